import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A pledge's LTV as the revaluation found it, one row each time it changed: `pledges.ltv` holds
 * only the latest figure, and the enterprise profile shows the path (docs/risk.md). Appended by
 * the `revalue-pledges` job, never updated.
 */
@Entity('pledge_ltv_history')
@Index('pledge_ltv_history_pledge_idx', ['pledgeId', 'recordedAt'])
export class PledgeLtvHistory {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'pledge_id', type: 'uuid' })
  pledgeId: string;

  /** Null: nothing of value left under the pledge while something is outstanding. */
  @Column({ type: 'numeric', precision: 16, scale: 8, nullable: true })
  ltv: string | null;

  @Column({ name: 'collateral_value', type: 'numeric', precision: 20, scale: 4 })
  collateralValue: string;

  @Column({ name: 'outstanding_amount', type: 'numeric', precision: 20, scale: 4 })
  outstandingAmount: string;

  @Column({
    name: 'recorded_at',
    type: 'timestamptz',
    precision: 3,
    default: () => 'now()',
  })
  recordedAt: Date;
}
