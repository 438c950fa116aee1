import { ApiProperty } from '@nestjs/swagger';
import { formatMoney } from '../../common/money/money';
import { Decimal } from '../../common/money/decimal';
import type { PoolClaim, PoolClaimStatus, PoolContribution, RiskPool } from './risk-pool.entities';

export class PoolContributionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contributorId: string;
  @ApiProperty({ example: '500000.00' }) amount: string;
  @ApiProperty({ format: 'date-time' }) contributedAt: string;
}

export class PoolClaimView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty({ format: 'uuid' }) financingId: string;
  @ApiProperty({ format: 'uuid' }) financierId: string;
  @ApiProperty({ enum: ['REQUESTED', 'APPROVED', 'REJECTED'] }) status: PoolClaimStatus;
  @ApiProperty({ example: 'WRITTEN_OFF' }) basis: string;
  @ApiProperty({ example: '90000.00' }) loss: string;
  @ApiProperty({ type: String, nullable: true, example: '45000.00' }) payout: string | null;
  @ApiProperty({
    example: '4500.00',
    description: 'What came back to the pool from recoveries after the payout',
  })
  returned: string;
  @ApiProperty({ type: String, nullable: true, enum: ['RATIO', 'CAP', 'BALANCE'] })
  boundBy: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) approvedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) rejectedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectionReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(claim: PoolClaim, currency: string): PoolClaimView {
    return {
      id: claim.id,
      programId: claim.programId,
      financingId: claim.financingId,
      financierId: claim.financierId,
      status: claim.status,
      basis: claim.basis,
      loss: formatMoney(claim.loss, currency),
      payout: claim.payout === null ? null : formatMoney(claim.payout, currency),
      returned: formatMoney(claim.returned, currency),
      boundBy: claim.boundBy,
      approvedBy: claim.approvedBy,
      approvedAt: claim.approvedAt ? claim.approvedAt.toISOString() : null,
      rejectedAt: claim.rejectedAt ? claim.rejectedAt.toISOString() : null,
      rejectionReason: claim.rejectionReason,
      createdAt: claim.createdAt.toISOString(),
    };
  }
}

/** A pool's statement: its terms, what came in, what went out, what it can still pay. */
export class RiskPoolView {
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty() currency: string;
  @ApiProperty({ example: '0.5' }) coverageRatio: string;
  @ApiProperty({ example: '200000.00' }) capPerLoss: string;
  @ApiProperty({ type: Number, nullable: true }) claimAfterOverdueDays: number | null;
  @ApiProperty({ example: '600000.00' }) contributed: string;
  @ApiProperty({ example: '45000.00' }) paidOut: string;
  @ApiProperty({ example: '4500.00', description: 'Paid out, then returned from later recoveries' })
  returned: string;
  @ApiProperty({ example: '559500.00', description: 'contributed − paid out + returned' })
  balance: string;
  @ApiProperty({ type: [PoolContributionView] }) contributions: PoolContributionView[];
  @ApiProperty({ type: [PoolClaimView] }) claims: PoolClaimView[];

  static of(pool: RiskPool, contributions: PoolContribution[], claims: PoolClaim[]): RiskPoolView {
    const currency = pool.currency.trim();
    const money = (value: string) => formatMoney(value, currency);
    const contributed = contributions.reduce((total, c) => total.plus(c.amount), new Decimal('0'));
    const paidOut = claims.reduce((total, c) => total.plus(c.payout ?? '0'), new Decimal('0'));
    const returned = claims.reduce((total, c) => total.plus(c.returned), new Decimal('0'));
    return {
      programId: pool.programId,
      currency,
      coverageRatio: new Decimal(pool.coverageRatio).toFixed(),
      capPerLoss: money(pool.capPerLoss),
      claimAfterOverdueDays: pool.claimAfterOverdueDays,
      contributed: money(contributed.toFixed()),
      paidOut: money(paidOut.toFixed()),
      returned: money(returned.toFixed()),
      balance: money(contributed.minus(paidOut).plus(returned).toFixed()),
      contributions: contributions.map((c) => ({
        id: c.id,
        contributorId: c.contributorId,
        amount: money(c.amount),
        contributedAt: c.contributedAt.toISOString(),
      })),
      claims: claims.map((claim) => PoolClaimView.of(claim, currency)),
    };
  }
}
