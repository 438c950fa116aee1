import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, AnyMember } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { AutoAcceptRuleDto, CreateFinancingRequestDto } from '../dto/financing-request.dto';
import { FinancingRequestView } from '../dto/financing-request.view';
import { FinancingView } from '../dto/financing.view';
import { AutoAcceptRules, type AutoAcceptRuleView } from '../offers/auto-accept-rules.service';
import { OfferAcceptance } from '../offers/offer-acceptance.service';
import { FinancingsRepository } from '../financings/financings.repository';
import { foundOr404 } from '../../common/tenancy/not-found';
import { FinancingRequestsService } from './financing-requests.service';

const SUPPLIER_WRITERS = {
  kinds: [OrganizationKind.SUPPLIER],
  roles: [Role.ADMIN, Role.OPERATOR],
};

@ApiTags('Financing')
@ApiCredentials()
@Controller()
export class FinancingRequestsController {
  constructor(
    private readonly requests: FinancingRequestsService,
    private readonly acceptance: OfferAcceptance,
    private readonly rules: AutoAcceptRules,
    private readonly financings: FinancingsRepository,
  ) {}

  @Post('financing-requests')
  @HttpCode(202)
  @Allow(SUPPLIER_WRITERS)
  @ApiOperation({
    summary:
      'Ask to be paid early for confirmed invoices: they move to IN_FINANCING and the offers are priced in the worker',
  })
  @ApiAcceptedResponse({ type: FinancingRequestView })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateFinancingRequestDto,
  ): Promise<FinancingRequestView> {
    const { request, offers } = await this.requests.create(actor, dto);
    return FinancingRequestView.of(request, offers);
  }

  @Get('financing-requests/:id')
  @AnyMember()
  @ApiOperation({
    summary:
      'A request with its offers, best net proceeds first (the supplier sees all; a financier its own)',
  })
  @ApiOkResponse({ type: FinancingRequestView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing request')) id: string,
  ): Promise<FinancingRequestView> {
    const { request, offers } = await this.requests.view(actor, id);
    return FinancingRequestView.of(request, offers);
  }

  @Post('financing-requests/:id/cancel')
  @HttpCode(200)
  @Allow(SUPPLIER_WRITERS)
  @ApiOperation({
    summary: 'Withdraw a QUEUED or OFFERED request: the invoices are CONFIRMED again',
  })
  @ApiOkResponse({ type: FinancingRequestView })
  async cancel(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing request')) id: string,
  ): Promise<FinancingRequestView> {
    const { request, offers } = await this.requests.cancel(actor, id);
    return FinancingRequestView.of(request, offers);
  }

  @Post('offers/:id/accept')
  @Allow(SUPPLIER_WRITERS)
  @ApiOperation({
    summary:
      "Take one offer: the financier's limits are reserved, the other offers withdrawn, the financing created ACCEPTED",
  })
  @ApiCreatedResponse({ type: FinancingView })
  async accept(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Offer')) id: string,
  ): Promise<FinancingView> {
    const financingId = await this.acceptance.accept(actor, id);
    const financing = foundOr404(
      await this.financings.findVisible(actor, financingId),
      'Financing',
      financingId,
    );
    const invoiceIds = (await this.financings.invoiceIds([financingId])).get(financingId) ?? [];
    const cover = (await this.financings.guaranteeCovers([financingId])).get(financingId);
    return FinancingView.of(financing, invoiceIds, actor, cover ?? null);
  }

  @Put('auto-accept-rules')
  @Allow({ kinds: [OrganizationKind.SUPPLIER], roles: [Role.ADMIN] })
  @ApiOperation({
    summary:
      'Accept automatically the best offer of a program whose effective annual rate is at or below maxEffectiveRate',
  })
  @ApiOkResponse({ description: '{ programId, maxEffectiveRate, active, updatedAt }' })
  put(@CurrentActor() actor: Actor, @Body() dto: AutoAcceptRuleDto): Promise<AutoAcceptRuleView> {
    return this.rules.put(actor, dto);
  }
}
