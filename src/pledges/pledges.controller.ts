import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { Allow, AnyMember } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../common/auth/roles';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { PageQuery } from '../common/pagination/page';
import { FinancingView } from '../financing/dto/financing.view';
import {
  CreatePledgeDto,
  PledgeDrawdownDto,
  PledgePricesDto,
  PledgeReleaseDto,
  PledgeTopUpDto,
  PledgeValuationDto,
} from './dto/pledge-requests.dto';
import { PledgePage, PledgeView } from './dto/pledge.view';
import { PledgeDrawdowns } from './pledge-drawdowns.service';
import { PledgeMarks } from './pledge-marks.service';
import { PledgeReader } from './pledge-reader';
import { PledgeReleases } from './pledge-releases.service';
import { PledgeStatus } from './pledge-status';
import { PledgeValuation } from './pledge-valuation.service';
import { PledgesRepository } from './pledges.repository';
import { PledgesService } from './pledges.service';

const SUPPLIER_WRITERS = { kinds: [OrganizationKind.SUPPLIER], roles: [Role.ADMIN, Role.OPERATOR] };

export class ListPledgesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PledgeStatus, enumName: 'PledgeStatus' })
  @IsOptional()
  @IsEnum(PledgeStatus)
  status?: PledgeStatus;
}

/** Inventory pledges (存货/仓单质押): the supplier's and its financier's, nobody else's. */
@ApiTags('Pledges')
@ApiCredentials()
@Controller('pledges')
export class PledgesController {
  constructor(
    private readonly pledges: PledgesService,
    private readonly repository: PledgesRepository,
    private readonly reader: PledgeReader,
    private readonly valuation: PledgeValuation,
    private readonly drawdowns: PledgeDrawdowns,
    private readonly marks: PledgeMarks,
    private readonly releases: PledgeReleases,
  ) {}

  @Post()
  @Allow(SUPPLIER_WRITERS)
  @ApiOperation({
    summary:
      'Pledge goods under a warehouse receipt to a financier; a receipt backing a live pledge answers 409 DOUBLE_PLEDGE',
  })
  @ApiCreatedResponse({ type: PledgeView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePledgeDto): Promise<PledgeView> {
    return this.pledges.create(actor, dto);
  }

  @Get()
  @AnyMember()
  @ApiOperation({ summary: 'Pledges the caller gave or holds, newest first' })
  @ApiOkResponse({ type: PledgePage })
  async list(@CurrentActor() actor: Actor, @Query() query: ListPledgesQuery): Promise<PledgePage> {
    const page = await this.repository.list(actor, { status: query.status }, query);
    return { items: await this.reader.views(page.items), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @AnyMember()
  @ApiOperation({ summary: 'One pledge: goods, values, LTV, levels, documents' })
  @ApiOkResponse({ type: PledgeView })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Pledge')) id: string,
  ): Promise<PledgeView> {
    return this.reader.view(actor, id);
  }

  @Post(':id/valuation')
  @HttpCode(200)
  @Allow({ kinds: [OrganizationKind.FINANCIER], roles: [Role.OPERATOR] })
  @ApiOperation({
    summary:
      'Value the goods (the maker): market prices, haircut, margin-call and liquidation levels → VALUED',
  })
  @ApiOkResponse({ type: PledgeView })
  value(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Pledge')) id: string,
    @Body() dto: PledgeValuationDto,
  ): Promise<PledgeView> {
    return this.valuation.value(actor, id, dto);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Allow({ kinds: [OrganizationKind.FINANCIER], roles: [Role.APPROVER] })
  @ApiOperation({
    summary:
      'Approve the valuation (the checker, not the valuer): the pledge agreement is queued; ACTIVE once it is READY',
  })
  @ApiOkResponse({ type: PledgeView })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Pledge')) id: string,
  ): Promise<PledgeView> {
    return this.valuation.approve(actor, id);
  }

  @Post(':id/drawdowns')
  @Allow(SUPPLIER_WRITERS)
  @ApiOperation({
    summary:
      'Draw on an ACTIVE pledge up to lending value − outstanding: a financing (ACCEPTED) that follows the financing flow',
  })
  @ApiCreatedResponse({ type: FinancingView })
  draw(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Pledge')) id: string,
    @Body() dto: PledgeDrawdownDto,
  ): Promise<FinancingView> {
    return this.drawdowns.draw(actor, id, dto);
  }

  @Post(':id/prices')
  @HttpCode(200)
  @Allow({ kinds: [OrganizationKind.FINANCIER], roles: [Role.ADMIN, Role.OPERATOR] })
  @ApiOperation({
    summary:
      'Record market prices (the financier or its price feed by API key); the revaluation job updates LTV and margin calls',
  })
  @ApiOkResponse({ type: PledgeView })
  prices(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Pledge')) id: string,
    @Body() dto: PledgePricesDto,
  ): Promise<PledgeView> {
    return this.marks.record(actor, id, dto);
  }

  @Post(':id/items')
  @HttpCode(200)
  @Allow(SUPPLIER_WRITERS)
  @ApiOperation({
    summary:
      'Top up: add goods (under the pledge’s receipt or a further one that backs no other live pledge)',
  })
  @ApiOkResponse({ type: PledgeView })
  topUp(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Pledge')) id: string,
    @Body() dto: PledgeTopUpDto,
  ): Promise<PledgeView> {
    return this.pledges.topUp(actor, id, dto);
  }

  @Post(':id/release')
  @HttpCode(200)
  @Allow({
    kinds: [OrganizationKind.SUPPLIER, OrganizationKind.FINANCIER],
    roles: [Role.ADMIN, Role.OPERATOR, Role.APPROVER],
  })
  @ApiOperation({
    summary:
      'Release goods while LTV after release ≤ approval LTV (or nothing is outstanding); a release certificate is queued',
  })
  @ApiOkResponse({ type: PledgeView })
  release(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Pledge')) id: string,
    @Body() dto: PledgeReleaseDto,
  ): Promise<PledgeView> {
    return this.releases.release(actor, id, dto);
  }
}
