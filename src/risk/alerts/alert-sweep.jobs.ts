import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../../common/audit/audit-trail';
import { systemActor } from '../../common/auth/actor';
import type { OrganizationKind } from '../../common/auth/roles';
import { JobName, type JobPayload } from '../../common/jobs/job-registry';
import { OnJob } from '../../common/jobs/on-job.decorator';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { AlertConditions, type AlertCondition } from './alert-conditions.repository';
import { ALL_ALERT_TYPES, type AlertType } from './alert-kinds';
import { RiskAlertsRepository, type ChangedAlert } from './risk-alerts.repository';

/**
 * The early-warning sweep (`maintenance` queue): for each type asked (all on the schedule), the
 * conditions that hold now become alerts — once per open condition — and open alerts whose
 * condition is gone are RESOLVED. Events that can start or end a condition (overdue, margin
 * call, double pledge, payout, payment, credit note) queue a sweep of their types.
 */
@Injectable()
export class AlertSweepJobs {
  constructor(
    private readonly tx: TransactionHost,
    private readonly conditions: AlertConditions,
    private readonly alerts: RiskAlertsRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  @OnJob(JobName.SWEEP_RISK_ALERTS)
  async sweep(
    payload: JobPayload<JobName.SWEEP_RISK_ALERTS>,
  ): Promise<{ raised: number; resolved: number }> {
    const types = (payload.types ?? ALL_ALERT_TYPES) as readonly AlertType[];
    return this.tx.run(async () => {
      await this.alerts.lockSweep();
      const current: AlertCondition[] = [];
      for (const type of types) current.push(...(await this.conditions.current(type)));
      const raised = await this.alerts.raise(current);
      const resolved = await this.alerts.resolveGone(
        types,
        current.map((condition) => condition.conditionKey),
      );
      const kinds = await this.kinds([...raised, ...resolved].flatMap((alert) => alert.party_ids));
      for (const alert of raised) await this.announce(alert, 'alert.raised', kinds);
      for (const alert of resolved) await this.announce(alert, 'alert.resolved', kinds);
      return { raised: raised.length, resolved: resolved.length };
    });
  }

  private async announce(
    alert: ChangedAlert,
    action: 'alert.raised' | 'alert.resolved',
    kinds: Map<string, OrganizationKind>,
  ): Promise<void> {
    for (const organizationId of alert.party_ids) {
      const eventId = await this.audit.record({
        actor: systemActor(organizationId, kinds.get(organizationId)!),
        action,
        entityType: 'risk_alert',
        entityId: alert.id,
        data: {
          type: alert.type,
          severity: alert.severity,
          title: alert.title,
          figures: alert.figures,
        },
      });
      if (action === 'alert.raised')
        await this.notifier.notify({
          organizationId,
          eventId,
          type: NotificationType.ALERT_RAISED,
          title: `${alert.severity} ${alert.type}: ${alert.title}`,
          data: { alertId: alert.id, type: alert.type, severity: alert.severity },
        });
    }
  }

  private async kinds(ids: readonly string[]): Promise<Map<string, OrganizationKind>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.tx.manager.query(
      `SELECT id, kind FROM organizations WHERE id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    )) as Array<{ id: string; kind: OrganizationKind }>;
    return new Map(rows.map((row) => [row.id, row.kind]));
  }
}
