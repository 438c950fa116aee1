import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AnyMember } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../common/auth/roles';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { CreateProgramDto } from './dto/create-program.dto';
import { ListProgramsQuery } from './dto/list-programs.query';
import { UpdateProgramDto } from './dto/update-program.dto';
import { ProgramPage, ProgramView } from './program.view';
import { ProgramsService } from './programs.service';

@ApiTags('Programs')
@ApiCredentials()
@Controller('programs')
export class ProgramsController {
  constructor(private readonly programs: ProgramsService) {}

  @Post()
  @Allow({ kinds: [OrganizationKind.ANCHOR], roles: [Role.ADMIN] })
  @ApiOperation({ summary: 'Create a financing program (anchor ADMIN)' })
  @ApiCreatedResponse({ type: ProgramView })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateProgramDto): Promise<ProgramView> {
    const { program, members } = await this.programs.create(actor, dto);
    return ProgramView.of(program, members, actor);
  }

  @Get()
  @AnyMember()
  @ApiOperation({
    summary: "Programs the caller runs, is invited to or takes part in (the platform's: all)",
  })
  @ApiOkResponse({ type: ProgramPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListProgramsQuery,
  ): Promise<ProgramPage> {
    const page = await this.programs.list(
      actor,
      { active: query.active, currency: query.currency },
      query,
    );
    return {
      items: page.items.map(({ program, members }) => ProgramView.of(program, members, actor)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @AnyMember()
  @ApiOperation({ summary: 'One program (404 when it is not the caller’s to see)' })
  @ApiOkResponse({ type: ProgramView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) id: string,
  ): Promise<ProgramView> {
    const { program, members } = await this.programs.get(actor, id);
    return ProgramView.of(program, members, actor);
  }

  @Patch(':id')
  @Allow({ kinds: [OrganizationKind.ANCHOR], roles: [Role.ADMIN] })
  @ApiOperation({
    summary: "Change a program's terms or pause it (its anchor's ADMIN); the currency is fixed",
  })
  @ApiOkResponse({ type: ProgramView })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) id: string,
    @Body() dto: UpdateProgramDto,
  ): Promise<ProgramView> {
    const { program, members } = await this.programs.update(actor, id, dto);
    return ProgramView.of(program, members, actor);
  }
}
