import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { Role } from '../common/auth/roles';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { PageQuery } from '../common/pagination/page';
import { CreateUserDto } from './dto/new-user.dto';
import { UserPage, UserView } from './dto/user-view';
import { UsersService } from './users.service';

@ApiTags('Organizations')
@ApiCredentials()
@Controller('organizations/:id/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Allow({ roles: [Role.ADMIN] })
  @ApiOperation({ summary: "Add a user to the caller's own organisation (its ADMIN)" })
  @ApiCreatedResponse({ type: UserView })
  async create(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Organization')) organizationId: string,
    @Body() dto: CreateUserDto,
  ): Promise<UserView> {
    return UserView.of(await this.users.add(actor, organizationId, dto));
  }

  @Get()
  @Allow({ roles: [Role.ADMIN] })
  @ApiOperation({ summary: "The users of the caller's own organisation (its ADMIN)" })
  @ApiOkResponse({ type: UserPage })
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Organization')) organizationId: string,
    @Query() query: PageQuery,
  ): Promise<UserPage> {
    const page = await this.users.list(actor, organizationId, query);
    return { items: page.items.map((user) => UserView.of(user)), nextCursor: page.nextCursor };
  }
}
