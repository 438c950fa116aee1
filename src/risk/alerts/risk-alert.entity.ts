import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OrganizationKind } from '../../common/auth/roles';
import { TenantVisibility } from '../../common/tenancy/visibility';
import type { AlertSeverity, AlertState, AlertType } from './alert-kinds';

/**
 * An early warning about a subject (a financing, a pledge, a supplier, a financier's book),
 * visible to the parties it concerns and to the platform operator. One alert per open condition:
 * the partial unique index on (type, condition_key) while not RESOLVED is what keeps the sweep
 * from raising it twice.
 */
@Entity('risk_alerts')
@Index('risk_alerts_open_condition_key', ['type', 'conditionKey'], {
  unique: true,
  where: `"state" <> 'RESOLVED'`,
})
@Index('risk_alerts_raised_idx', ['raisedAt', 'id'])
@Check(
  'risk_alerts_type_check',
  `"type" IN ('OVERDUE','MARGIN_CALL','LIQUIDATION_LEVEL','DILUTION_SPIKE','CONCENTRATION','LIMIT_NEAR_FULL','DUPLICATE_ATTEMPT','RAPID_GROWTH')`,
)
@Check('risk_alerts_severity_check', `"severity" IN ('MEDIUM','HIGH','CRITICAL')`)
@Check('risk_alerts_state_check', `"state" IN ('OPEN','ACKNOWLEDGED','RESOLVED')`)
@TenantVisibility((alias, actor) =>
  actor.organizationKind === OrganizationKind.PLATFORM
    ? null
    : {
        sql: `:visibleOrganizationId = ANY(${alias}.party_ids)`,
        params: { visibleOrganizationId: actor.organizationId },
      },
)
export class RiskAlert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 24 })
  type: AlertType;

  @Column({ type: 'varchar', length: 8 })
  severity: AlertSeverity;

  @Column({ type: 'varchar', length: 12 })
  state: AlertState;

  /** What the alert is about: 'financing', 'pledge', 'supplier', 'financier', 'program'. */
  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  /** The condition it stands for, e.g. `CONCENTRATION:<financier>:<anchor>`. */
  @Column({ name: 'condition_key', type: 'varchar', length: 120 })
  conditionKey: string;

  @Column({ name: 'party_ids', type: 'uuid', array: true })
  partyIds: string[];

  /** The figures that raised it, updated while it stays open. */
  @Column({ type: 'jsonb' })
  figures: Record<string, unknown>;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ name: 'raised_at', type: 'timestamptz', precision: 3 })
  raisedAt: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', precision: 3, nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'acknowledged_by', type: 'uuid', nullable: true })
  acknowledgedBy: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
