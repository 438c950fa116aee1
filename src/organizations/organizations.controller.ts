import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, AnyMember } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../common/auth/roles';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { CreateOrganizationDto, OrganizationIdentifierDto } from './dto/create-organization.dto';
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
  @ApiOperation({
    summary:
      'Organisations the caller may see: itself and its program counterparts (the platform operator sees all). ' +
      'With registrationId, a directory look-up: the organisation registered under exactly that id.',
  })
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

  @Post(':id/identifiers')
  @Allow({ roles: [Role.ADMIN] })
  @ApiOperation({
    summary:
      "Register an ISO 6523 identifier of an organisation (its ADMIN, or the platform's); 200 when it is already registered to it",
  })
  @ApiCreatedResponse({ type: OrganizationView })
  @ApiOkResponse({ type: OrganizationView, description: 'The identifier was already registered' })
  async addIdentifier(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Organization')) id: string,
    @Body() dto: OrganizationIdentifierDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrganizationView> {
    const { organization, added } = await this.organizations.addIdentifier(actor, id, dto);
    if (!added) response.status(200);
    return OrganizationView.of(organization);
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
