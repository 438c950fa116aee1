import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ExposureFact, PledgeFact } from './relationship-facts';

/**
 * A supplier's dealings with one anchor in one currency (amounts in different currencies do not
 * add), counted by set-based SQL at the refresh: the facts the profile's rates and the scorecard
 * are derived from (relationship-facts.ts). `anchorId` null gathers what no anchor stands
 * behind: inventory pledges and their drawdowns, which the supplier repays itself. Windows: the 12 months before `as_of`.
 * Counts and sums only; the rates are derived when read, so they can never disagree with them.
 */
@Entity('supplier_relationship_profiles')
@Index('supplier_relationship_profiles_organization_idx', ['organizationId'])
export class RelationshipProfile {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'anchor_id', type: 'uuid', nullable: true })
  anchorId: string | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** First purchase order of the anchor or first program acceptance, whichever came first. */
  @Column({ type: 'date', nullable: true })
  since: string | null;

  /** Invoices submitted in the window that were neither cancelled nor rejected, and their total. */
  @Column({ type: 'integer' })
  invoices: number;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  volume: string;

  /** Credit notes (agreed or disputed) on those invoices. */
  @Column({ type: 'numeric', precision: 20, scale: 4 })
  diluted: string;

  /** Invoices of the window verification has checked, and those in EXCEPTION. */
  @Column({ type: 'integer' })
  checked: number;

  @Column({ type: 'integer' })
  exceptions: number;

  /** Invoices of the window the anchor confirmed or rejected, and those it confirmed. */
  @Column({ type: 'integer' })
  decided: number;

  @Column({ type: 'integer' })
  confirmed: number;

  @Column({ name: 'confirmed_amount', type: 'numeric', precision: 20, scale: 4 })
  confirmedAmount: string;

  /** Σ confirmed amount × days from confirmation to payment date: sizes the suggested sub-limit. */
  @Column({ name: 'confirmed_amount_days', type: 'numeric', precision: 28, scale: 4 })
  confirmedAmountDays: string;

  /** Disbursed financings that came to an end (or went overdue) with maturity in the window. */
  @Column({ name: 'financings_due', type: 'integer' })
  financingsDue: number;

  /** Of those, SETTLED without ever being marked OVERDUE. */
  @Column({ name: 'settled_on_time', type: 'integer' })
  settledOnTime: number;

  /** Financings marked OVERDUE in the window or overdue still, and those overdue now. */
  @Column({ name: 'overdue_count', type: 'integer' })
  overdueCount: number;

  @Column({ name: 'overdue_now', type: 'integer' })
  overdueNow: number;

  @Column({ name: 'max_days_past_due', type: 'integer' })
  maxDaysPastDue: number;

  @Column({ name: 'overdue_outstanding', type: 'numeric', precision: 20, scale: 4 })
  overdueOutstanding: string;

  /** Live financings by financier: outstanding (paid out) and committed (accepted, not yet paid). */
  @Column({ type: 'jsonb' })
  exposure: ExposureFact[];

  /** Pledges from approval on (released ones for 12 months) with their LTV path. */
  @Column({ type: 'jsonb' })
  pledges: PledgeFact[];
}
