import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import type { Actor } from '../common/auth/actor';
import { NotificationType, Notifier } from '../notifications/notifier';

/**
 * A pledge's events: one audit event in the chain of the organisation whose act it records
 * (or the financier's, for what the platform does), and a notification to each party named.
 */
@Injectable()
export class PledgeEvents {
  constructor(
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async record(event: {
    actor: Actor;
    organizationId?: string;
    action: string;
    pledgeId: string;
    /** What the audit event is about when it is not the pledge itself (a refused attempt). */
    entity?: { type: string; id: string };
    data: Record<string, unknown>;
    notify: ReadonlyArray<{ organizationId: string; type: NotificationType; title: string }>;
  }): Promise<string> {
    const eventId = await this.audit.record({
      actor: event.actor,
      organizationId: event.organizationId,
      action: event.action,
      entityType: event.entity?.type ?? 'pledge',
      entityId: event.entity?.id ?? event.pledgeId,
      data: event.data,
    });
    for (const notice of event.notify)
      await this.notifier.notify({
        organizationId: notice.organizationId,
        eventId,
        type: notice.type,
        title: notice.title,
        data: {
          pledgeId: event.pledgeId,
          ...(event.data.financingId ? { financingId: event.data.financingId } : {}),
        },
      });
    return eventId;
  }
}
