import { ApiProperty } from '@nestjs/swagger';
import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { PageOf } from '../../common/pagination/page';
import type { GuaranteeClaim, GuaranteeClaimStatus, ProgramGuarantee } from './guarantee.entities';
import { GuaranteeStatus } from './guarantee.entities';
import type { GuaranteeUsage } from './guarantees.repository';

export class GuaranteeClaimView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) guaranteeId: string;
  @ApiProperty({ format: 'uuid' }) financingId: string;
  @ApiProperty({ format: 'uuid' }) financierId: string;
  @ApiProperty({ format: 'uuid' }) guarantorId: string;
  @ApiProperty({ enum: ['CLAIMED', 'PAID'] }) status: GuaranteeClaimStatus;
  @ApiProperty({ example: '45000.00', description: 'What was written off' }) loss: string;
  @ApiProperty({ example: '27000.00', description: 'min(loss × coverage ratio, covered amount)' })
  amount: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) paidAt: string | null;
  @ApiProperty({ type: String, nullable: true }) bankReference: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(claim: GuaranteeClaim, currency: string): GuaranteeClaimView {
    return {
      id: claim.id,
      guaranteeId: claim.guaranteeId,
      financingId: claim.financingId,
      financierId: claim.financierId,
      guarantorId: claim.guarantorId,
      status: claim.status,
      loss: formatMoney(claim.loss, currency),
      amount: formatMoney(claim.amount, currency),
      paidAt: claim.paidAt?.toISOString() ?? null,
      bankReference: claim.bankReference,
      createdAt: claim.createdAt.toISOString(),
    };
  }
}

export class GuaranteeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty({ format: 'uuid' }) guarantorId: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The one financier it benefits; null: every financier of the program',
  })
  financierId: string | null;
  @ApiProperty({ enum: GuaranteeStatus, enumName: 'GuaranteeStatus' }) status: GuaranteeStatus;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: '0.6' }) coverageRatio: string;
  @ApiProperty({ example: '5000000.00' }) capAmount: string;
  @ApiProperty({
    example: '54000.00',
    description: 'Covered on financings at risk (accepted through overdue) plus claims',
  })
  usedAmount: string;
  @ApiProperty({ example: '4946000.00' }) availableAmount: string;
  @ApiProperty({ example: 1, description: 'Financings at risk it covers now' })
  coveredFinancings: number;
  @ApiProperty({ example: '2026-12-01' }) validFrom: string;
  @ApiProperty({ example: '2027-12-31' }) validTo: string;
  @ApiProperty({ format: 'date-time' }) proposedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acceptedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) withdrawnAt: string | null;
  @ApiProperty({ type: String, nullable: true }) withdrawalReason: string | null;
  @ApiProperty({
    type: [GuaranteeClaimView],
    description: 'Claims under it (a financier sees its own)',
  })
  claims: GuaranteeClaimView[];

  static of(
    guarantee: ProgramGuarantee,
    usage: GuaranteeUsage | undefined,
    claims: readonly GuaranteeClaim[],
  ): GuaranteeView {
    const currency = guarantee.currency.trim();
    const used = usage?.used ?? '0';
    const available = new Decimal(guarantee.capAmount).minus(used);
    return {
      id: guarantee.id,
      programId: guarantee.programId,
      guarantorId: guarantee.guarantorId,
      financierId: guarantee.financierId,
      status: guarantee.status,
      currency,
      coverageRatio: new Decimal(guarantee.coverageRatio).toFixed(),
      capAmount: formatMoney(guarantee.capAmount, currency),
      usedAmount: formatMoney(used, currency),
      availableAmount: formatMoney(
        (available.lt('0') ? new Decimal('0') : available).toFixed(),
        currency,
      ),
      coveredFinancings: usage?.coveredFinancings ?? 0,
      validFrom: guarantee.validFrom,
      validTo: guarantee.validTo,
      proposedAt: guarantee.createdAt.toISOString(),
      acceptedAt: guarantee.acceptedAt?.toISOString() ?? null,
      withdrawnAt: guarantee.withdrawnAt?.toISOString() ?? null,
      withdrawalReason: guarantee.withdrawalReason,
      claims: claims.map((claim) => GuaranteeClaimView.of(claim, currency)),
    };
  }
}

export class GuaranteePage extends PageOf(GuaranteeView) {}
