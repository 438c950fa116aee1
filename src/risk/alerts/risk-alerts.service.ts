import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../../common/audit/audit-trail';
import { actorId, type Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { foundOr404 } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { AlertState } from './alert-kinds';
import type { RiskAlert } from './risk-alert.entity';
import { RiskAlertsRepository } from './risk-alerts.repository';

/** A party says it saw an alert: OPEN → ACKNOWLEDGED, audited in its chain. */
@Injectable()
export class RiskAlertsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly alerts: RiskAlertsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async acknowledge(actor: Actor, id: string): Promise<RiskAlert> {
    return this.tx.run(async () => {
      const alert = foundOr404(
        await this.alerts.findVisible(actor, id, { lock: true }),
        'Alert',
        id,
      );
      if (alert.state !== AlertState.OPEN)
        throw new DomainError(
          ErrorCode.INVALID_STATE_TRANSITION,
          `Alert ${id} is ${alert.state}; only an OPEN alert is acknowledged.`,
          { state: alert.state },
        );
      await this.alerts.acknowledge(id, actorId(actor));
      await this.audit.record({
        actor,
        action: 'alert.acknowledged',
        entityType: 'risk_alert',
        entityId: id,
        data: { type: alert.type, title: alert.title },
      });
      return foundOr404(await this.alerts.findVisible(actor, id), 'Alert', id);
    });
  }
}
