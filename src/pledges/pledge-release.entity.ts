import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Goods let out of a pledge, with the figures the release was allowed on. */
@Entity('pledge_releases')
@Index('pledge_releases_pledge_idx', ['pledgeId', 'createdAt'])
export class PledgeRelease {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'pledge_id', type: 'uuid' })
  pledgeId: string;

  /** RC-<pledge reference>-<n>: the release certificate's number. */
  @Column({ type: 'varchar', length: 40 })
  number: string;

  /** [{ sku, quantity }] as released. */
  @Column({ type: 'jsonb' })
  lines: Array<{ sku: string; quantity: string }>;

  @Column({ name: 'collateral_before', type: 'numeric', precision: 20, scale: 4 })
  collateralBefore: string;

  @Column({ name: 'collateral_after', type: 'numeric', precision: 20, scale: 4 })
  collateralAfter: string;

  @Column({ name: 'outstanding_amount', type: 'numeric', precision: 20, scale: 4 })
  outstandingAmount: string;

  @Column({ name: 'ltv_after', type: 'numeric', precision: 16, scale: 8, nullable: true })
  ltvAfter: string | null;

  /** The pledge was released in full by it. */
  @Column({ type: 'boolean' })
  full: boolean;

  @Column({ name: 'released_by', type: 'uuid', nullable: true })
  releasedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
