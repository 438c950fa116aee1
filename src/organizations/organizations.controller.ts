import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AnyMember } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../common/auth/roles';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { ListOrganizationsQuery } from './dto/list-organizations.query';
import { OrganizationPage, OrganizationView } from './dto/organization-view';
import { OrganizationsService } from './organizations.service';

@ApiTags('Organizations')
@ApiCredentials()
@Controller('organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @Allow({ kinds: [OrganizationKind.PLATFORM], roles: [Role.ADMIN] })
  @ApiOperation({ summary: 'Onboard an organisation with its first ADMIN user (platform ADMIN)' })
  @ApiCreatedResponse({ type: OrganizationView })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateOrganizationDto,
  ): Promise<OrganizationView> {
    return OrganizationView.of(await this.organizations.create(actor, dto));
  }

  @Get()
  @AnyMember()
  @ApiOperation({ summary: 'Organisations the caller may see (the platform operator sees all)' })
  @ApiOkResponse({ type: OrganizationPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListOrganizationsQuery,
  ): Promise<OrganizationPage> {
    const page = await this.organizations.list(
      actor,
      { kind: query.kind, registrationId: query.registrationId },
      query,
    );
    return {
      items: page.items.map((organization) => OrganizationView.of(organization)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @AnyMember()
  @ApiOperation({ summary: 'One organisation (404 when it is not the caller’s to see)' })
  @ApiOkResponse({ type: OrganizationView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Organization')) id: string,
  ): Promise<OrganizationView> {
    return OrganizationView.of(await this.organizations.get(actor, id));
  }
}
