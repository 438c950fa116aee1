import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { Allow, AnyMember } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { PageQuery } from '../../common/pagination/page';
import { foundOr404 } from '../../common/tenancy/not-found';
import {
  DeclineFinancingDto,
  DisburseFinancingDto,
  RecordPaymentDto,
  RecordDilutionRepaymentDto,
  RecordSurplusPaymentDto,
  RecordRecoveryDto,
  WriteOffFinancingDto,
} from '../dto/financing-actions.dto';
import { FinancingPage, FinancingView } from '../dto/financing.view';
import { FinancingStatus } from '../financing-status';
import type { Pain001Version } from '../iso20022/pain001';
import {
  DILUTION_REPAYMENT,
  FinancierRecordedPayments,
  SURPLUS_PAYMENT,
} from '../settlements/financier-recorded-payments';
import { SettlementsService } from '../settlements/settlements.service';
import { Disbursements } from './disbursements.service';
import { FinancingDecisions } from './financing-decisions.service';
import type { Financing } from './financing.entity';
import { FinancingsRepository } from './financings.repository';
import { OverdueFinancings } from './overdue.service';

export const PAIN001_VERSIONS: readonly Pain001Version[] = ['001.001.12', '001.001.03'];

export class ListFinancingsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: FinancingStatus, enumName: 'FinancingStatus' })
  @IsOptional()
  @IsIn(Object.values(FinancingStatus))
  status?: FinancingStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programId?: string;
}

export class PaymentInstructionQuery {
  @ApiPropertyOptional({ enum: PAIN001_VERSIONS, default: '001.001.12' })
  @IsOptional()
  @IsIn(PAIN001_VERSIONS)
  version?: Pain001Version;
}

const FINANCIER = OrganizationKind.FINANCIER;

@ApiTags('Financing')
@ApiCredentials()
@Controller('financings')
export class FinancingsController {
  constructor(
    private readonly financings: FinancingsRepository,
    private readonly decisions: FinancingDecisions,
    private readonly disbursements: Disbursements,
    private readonly settlements: SettlementsService,
    private readonly overdue: OverdueFinancings,
    private readonly recordedPayments: FinancierRecordedPayments,
  ) {}

  @Get()
  @AnyMember()
  @ApiOperation({
    summary:
      'Financings the caller is party to (supplier, financier, anchor — the anchor without pricing)',
  })
  @ApiOkResponse({ type: FinancingPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListFinancingsQuery,
  ): Promise<FinancingPage> {
    const page = await this.financings.list(
      actor,
      { status: query.status, programId: query.programId },
      query,
    );
    const ids = page.items.map((item) => item.id);
    const invoiceIds = await this.financings.invoiceIds(ids);
    const covers = await this.financings.guaranteeCovers(ids);
    return {
      items: page.items.map((item) =>
        FinancingView.of(item, invoiceIds.get(item.id) ?? [], actor, covers.get(item.id) ?? null),
      ),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @AnyMember()
  @ApiOperation({
    summary: 'One financing (the anchor sees what it pays and to whom, not the pricing)',
  })
  @ApiOkResponse({ type: FinancingView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
  ): Promise<FinancingView> {
    return this.view(
      actor,
      foundOr404(await this.financings.findVisible(actor, id), 'Financing', id),
    );
  }

  @Post(':id/submit-approval')
  @HttpCode(200)
  @Allow({ kinds: [FINANCIER], roles: [Role.OPERATOR, Role.ADMIN] })
  @ApiOperation({ summary: "The maker: ACCEPTED → PENDING_APPROVAL, for a checker's approval" })
  @ApiOkResponse({ type: FinancingView })
  async submitApproval(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
  ): Promise<FinancingView> {
    return this.view(actor, await this.decisions.submitApproval(actor, id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Allow({ kinds: [FINANCIER], roles: [Role.APPROVER] })
  @ApiOperation({ summary: 'The checker, a different user from the maker: → APPROVED' })
  @ApiOkResponse({ type: FinancingView })
  async approve(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
  ): Promise<FinancingView> {
    return this.view(actor, await this.decisions.approve(actor, id));
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Allow({ kinds: [FINANCIER], roles: [Role.OPERATOR, Role.APPROVER, Role.ADMIN] })
  @ApiOperation({ summary: 'Refuse before payout: limits released, invoices CONFIRMED again' })
  @ApiOkResponse({ type: FinancingView })
  async decline(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
    @Body() dto: DeclineFinancingDto,
  ): Promise<FinancingView> {
    return this.view(actor, await this.decisions.decline(actor, id, dto.reason));
  }

  @Get(':id/payment-instruction')
  @Allow({ kinds: [FINANCIER] })
  @Header('Content-Type', 'application/xml; charset=utf-8')
  @ApiProduces('application/xml')
  @ApiOperation({
    summary:
      'ISO 20022 pain.001 credit transfer of the net proceeds, financier to supplier (001.001.12, or 001.001.03)',
  })
  @ApiOkResponse({ description: 'pain.001 XML', schema: { type: 'string' } })
  paymentInstruction(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
    @Query() query: PaymentInstructionQuery,
  ): Promise<string> {
    return this.disbursements.paymentInstruction(actor, id, query.version ?? '001.001.12');
  }

  @Post(':id/disburse')
  @HttpCode(200)
  @Allow({ kinds: [FINANCIER], roles: [Role.OPERATOR, Role.ADMIN] })
  @ApiOperation({
    summary:
      'The money left: → DISBURSED, invoices FINANCED, journal entry posted, assignment notice queued to the anchor',
  })
  @ApiOkResponse({ type: FinancingView })
  async disburse(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
    @Body() dto: DisburseFinancingDto,
  ): Promise<FinancingView> {
    return this.view(actor, await this.disbursements.disburse(actor, id, dto));
  }

  @Post(':id/settlements')
  @Allow({
    // The supplier records the repayment of its own pledge drawdown (the service checks whose).
    kinds: [OrganizationKind.ANCHOR, FINANCIER, OrganizationKind.SUPPLIER],
    roles: [Role.OPERATOR, Role.ADMIN],
  })
  @ApiOperation({
    summary:
      'A payment at maturity (partial allowed) by the anchor, or by the supplier on a pledge drawdown; fully paid → SETTLED, limit released, surplus owed to the supplier',
  })
  @ApiCreatedResponse({ type: FinancingView })
  async settle(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
    @Body() dto: RecordPaymentDto,
  ): Promise<FinancingView> {
    return this.view(actor, await this.settlements.record(actor, id, dto));
  }

  @Post(':id/surplus-payments')
  @Allow({ kinds: [FINANCIER], roles: [Role.OPERATOR, Role.ADMIN] })
  @ApiOperation({
    summary:
      'The financier pays the supplier (part of) the surplus it holds for it; never more than is owed',
  })
  @ApiCreatedResponse({ type: FinancingView })
  async paySurplus(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
    @Body() dto: RecordSurplusPaymentDto,
  ): Promise<FinancingView> {
    return this.view(actor, await this.recordedPayments.record(actor, id, dto, SURPLUS_PAYMENT));
  }

  @Post(':id/dilution-repayments')
  @Allow({ kinds: [FINANCIER], roles: [Role.OPERATOR, Role.ADMIN] })
  @ApiOperation({
    summary:
      'The financier records the supplier paying back (part of) a dilution shortfall; never more than is owed',
  })
  @ApiCreatedResponse({ type: FinancingView })
  async repayDilution(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
    @Body() dto: RecordDilutionRepaymentDto,
  ): Promise<FinancingView> {
    return this.view(actor, await this.recordedPayments.record(actor, id, dto, DILUTION_REPAYMENT));
  }

  @Post(':id/recoveries')
  @Allow({ kinds: [FINANCIER], roles: [Role.OPERATOR, Role.ADMIN] })
  @ApiOperation({ summary: 'With recourse, an OVERDUE financing repaid by the supplier' })
  @ApiCreatedResponse({ type: FinancingView })
  async recover(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
    @Body() dto: RecordRecoveryDto,
  ): Promise<FinancingView> {
    return this.view(actor, await this.overdue.recover(actor, id, dto));
  }

  @Post(':id/write-off')
  @HttpCode(200)
  @Allow({ kinds: [FINANCIER], roles: [Role.APPROVER] })
  @ApiOperation({
    summary: 'An OVERDUE financing written off by the financier: the loss is posted',
  })
  @ApiOkResponse({ type: FinancingView })
  async writeOff(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Financing')) id: string,
    @Body() dto: WriteOffFinancingDto,
  ): Promise<FinancingView> {
    return this.view(actor, await this.overdue.writeOff(actor, id, dto.reason));
  }

  private async view(actor: Actor, financing: Financing): Promise<FinancingView> {
    const invoiceIds = (await this.financings.invoiceIds([financing.id])).get(financing.id) ?? [];
    const cover = (await this.financings.guaranteeCovers([financing.id])).get(financing.id);
    return FinancingView.of(financing, invoiceIds, actor, cover ?? null);
  }
}
