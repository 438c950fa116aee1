import { ApiProperty } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor';
import { formatMoney } from '../../common/money/money';
import { PageOf } from '../../common/pagination/page';
import { formatRate } from '../../programs/program-terms';
import { FinancingStatus } from '../financing-status';
import type { Financing } from '../financings/financing.entity';

const nullableMoney = { type: String, nullable: true } as const;

/**
 * A financing as its parties see it. The anchor learns that its invoices were assigned, to
 * whom, and what it must pay on which date — never the financier's pricing (those fields are
 * null for it).
 */
export class FinancingGuaranteeClaimView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '27000.00' }) amount: string;
  @ApiProperty({ enum: ['CLAIMED', 'PAID'] }) status: 'CLAIMED' | 'PAID';
}

export class FinancingGuaranteeView {
  @ApiProperty({ format: 'uuid' }) guaranteeId: string;
  @ApiProperty({ format: 'uuid' }) guarantorId: string;
  @ApiProperty({ example: '54000.00', description: 'The part of the advance it covers' })
  coveredAmount: string;
  @ApiProperty({
    type: FinancingGuaranteeClaimView,
    nullable: true,
    description: 'The claim on the guarantor after a write-off',
  })
  claim: FinancingGuaranteeClaimView | null;
}

/** A financing's cover as read from the database (amounts as stored). */
export interface FinancingGuaranteeRecord {
  guaranteeId: string;
  guarantorId: string;
  coveredAmount: string;
  claim: { id: string; amount: string; status: 'CLAIMED' | 'PAID' } | null;
}

export class FinancingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SCF-2026-000042' }) reference: string;
  @ApiProperty({ enum: FinancingStatus, enumName: 'FinancingStatus' }) status: FinancingStatus;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ format: 'uuid' }) financierId: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null for a pledge drawdown',
  })
  anchorId: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null for a drawdown on a pledge that names no program',
  })
  programId: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The inventory pledge a drawdown is secured by (then invoiceIds is empty)',
  })
  pledgeId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) requestId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) offerId: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) invoiceIds: string[];
  @ApiProperty({
    type: FinancingGuaranteeView,
    nullable: true,
    description: 'The guarantee covering part of it (not shown to the anchor)',
  })
  guarantee: FinancingGuaranteeView | null;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: ['WITH', 'WITHOUT'] }) recourse: 'WITH' | 'WITHOUT';
  @ApiProperty({
    example: '100000.00',
    description:
      'What the anchor pays on the maturity date (for a pledge drawdown: what the supplier repays)',
  })
  confirmedAmount: string;
  @ApiProperty({ ...nullableMoney, example: '0.0495' }) annualRate: string | null;
  @ApiProperty({ ...nullableMoney, example: '0.05035' }) effectiveAnnualRate: string | null;
  @ApiProperty({ ...nullableMoney, example: '90000.00' }) advanceAmount: string | null;
  @ApiProperty({ ...nullableMoney, example: '1138.50' }) discountAmount: string | null;
  @ApiProperty({ ...nullableMoney, example: '90.00' }) feeAmount: string | null;
  @ApiProperty({ ...nullableMoney, example: '88771.50' }) netProceeds: string | null;
  @ApiProperty({ ...nullableMoney, description: 'What the financier is still owed of its advance' })
  outstandingAmount: string | null;
  @ApiProperty({ example: '0.00', description: 'Received so far: settlements and recoveries' })
  paidAmount: string;
  @ApiProperty({
    ...nullableMoney,
    description: 'Paid beyond the advance: owed to the supplier by the financier',
  })
  surplusAmount: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2000.00',
    description:
      'What of the surplus the financier has paid over to the supplier (null to the anchor)',
  })
  surplusPaidAmount: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '3000.00',
    description:
      'Shortfalls dilution moved onto the supplier (DILUTION_PAYABLE) (null to the anchor)',
  })
  dilutedAmount: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '1000.00',
    description: 'What of them the supplier has paid back (null to the anchor)',
  })
  dilutionRepaidAmount: string | null;
  @ApiProperty({ example: '2026-12-01' }) valueDate: string;
  @ApiProperty({ example: '2027-03-01' }) maturityDate: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) makerId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) checkerId: string | null;
  @ApiProperty({ type: String, nullable: true }) declineReason: string | null;
  @ApiProperty({ type: String, nullable: true }) bankReference: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disbursedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) settledAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) overdueAt: string | null;
  @ApiProperty({ type: String, nullable: true }) writeOffReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static of(
    financing: Financing,
    invoiceIds: string[],
    viewer: Actor,
    guarantee: FinancingGuaranteeRecord | null = null,
  ): FinancingView {
    const money = (value: string) => formatMoney(value, financing.currency);
    const priced = viewer.organizationId !== financing.anchorId;
    const pricing = (value: string) => (priced ? money(value) : null);
    const iso = (value: Date | null) => (value ? value.toISOString() : null);
    return {
      id: financing.id,
      reference: financing.reference,
      status: financing.status,
      supplierId: financing.supplierId,
      financierId: financing.financierId,
      anchorId: financing.anchorId,
      programId: financing.programId,
      pledgeId: financing.pledgeId,
      requestId: financing.requestId,
      offerId: priced ? financing.offerId : null,
      invoiceIds,
      guarantee:
        priced && guarantee
          ? {
              guaranteeId: guarantee.guaranteeId,
              guarantorId: guarantee.guarantorId,
              coveredAmount: money(guarantee.coveredAmount),
              claim: guarantee.claim && {
                ...guarantee.claim,
                amount: money(guarantee.claim.amount),
              },
            }
          : null,
      currency: financing.currency.trim(),
      recourse: financing.recourse,
      confirmedAmount: money(financing.confirmedAmount),
      annualRate: priced ? formatRate(financing.annualRate) : null,
      effectiveAnnualRate: priced ? formatRate(financing.effectiveAnnualRate) : null,
      advanceAmount: pricing(financing.advanceAmount),
      discountAmount: pricing(financing.discountAmount),
      feeAmount: pricing(financing.feeAmount),
      netProceeds: pricing(financing.netProceeds),
      outstandingAmount: pricing(financing.outstandingAmount),
      paidAmount: money(financing.paidAmount),
      surplusAmount: pricing(financing.surplusAmount),
      surplusPaidAmount: pricing(financing.surplusPaidAmount),
      dilutedAmount: pricing(financing.dilutedAmount),
      dilutionRepaidAmount: pricing(financing.dilutionRepaidAmount),
      valueDate: financing.valueDate,
      maturityDate: financing.maturityDate,
      makerId: priced ? financing.makerId : null,
      checkerId: priced ? financing.checkerId : null,
      declineReason: priced ? financing.declineReason : null,
      bankReference: financing.bankReference,
      approvedAt: iso(financing.approvedAt),
      disbursedAt: iso(financing.disbursedAt),
      settledAt: iso(financing.settledAt),
      overdueAt: iso(financing.overdueAt),
      writeOffReason: priced ? financing.writeOffReason : null,
      createdAt: financing.createdAt.toISOString(),
      updatedAt: financing.updatedAt.toISOString(),
    };
  }
}

export class FinancingPage extends PageOf(FinancingView) {}
