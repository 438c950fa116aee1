import { Injectable } from '@nestjs/common';
import { JobName } from '../common/jobs/job-registry';
import { Outbox, type OutboxEntry } from '../common/outbox/outbox';

export enum NotificationType {
  ORGANIZATION_ONBOARDED = 'ORGANIZATION_ONBOARDED',
  USER_ADDED = 'USER_ADDED',
  API_KEY_CREATED = 'API_KEY_CREATED',
  API_KEY_REVOKED = 'API_KEY_REVOKED',
  ORGANIZATION_IDENTIFIER_ADDED = 'ORGANIZATION_IDENTIFIER_ADDED',
  BANK_ACCOUNT_REGISTERED = 'BANK_ACCOUNT_REGISTERED',
  PROGRAM_INVITATION = 'PROGRAM_INVITATION',
  PROGRAM_MEMBER_JOINED = 'PROGRAM_MEMBER_JOINED',
  PROGRAM_CHANGED = 'PROGRAM_CHANGED',
  INVOICE_RECEIVED = 'INVOICE_RECEIVED',
  INVOICE_VERIFIED = 'INVOICE_VERIFIED',
  INVOICE_EXCEPTION = 'INVOICE_EXCEPTION',
  INVOICE_CONFIRMED = 'INVOICE_CONFIRMED',
  INVOICE_REJECTED = 'INVOICE_REJECTED',
  INVOICE_QUERIED = 'INVOICE_QUERIED',
  INVOICE_CANCELLED = 'INVOICE_CANCELLED',
  CREDIT_NOTE_RAISED = 'CREDIT_NOTE_RAISED',
  INVOICE_DILUTED = 'INVOICE_DILUTED',
  FINANCING_REQUESTED = 'FINANCING_REQUESTED',
  OFFERS_READY = 'OFFERS_READY',
  NO_OFFER = 'NO_OFFER',
  OFFERS_EXPIRED = 'OFFERS_EXPIRED',
  OFFER_ACCEPTED = 'OFFER_ACCEPTED',
  OFFER_WITHDRAWN = 'OFFER_WITHDRAWN',
  FINANCING_APPROVAL_REQUESTED = 'FINANCING_APPROVAL_REQUESTED',
  FINANCING_APPROVED = 'FINANCING_APPROVED',
  FINANCING_DECLINED = 'FINANCING_DECLINED',
  FINANCING_DISBURSED = 'FINANCING_DISBURSED',
  INVOICES_ASSIGNED = 'INVOICES_ASSIGNED',
  PAYMENT_RECEIVED = 'PAYMENT_RECEIVED',
  FINANCING_SETTLED = 'FINANCING_SETTLED',
  FINANCING_OVERDUE = 'FINANCING_OVERDUE',
  FINANCING_RECOVERED = 'FINANCING_RECOVERED',
  FINANCING_WRITTEN_OFF = 'FINANCING_WRITTEN_OFF',
  PLEDGE_REQUESTED = 'PLEDGE_REQUESTED',
  DOUBLE_PLEDGE_ATTEMPT = 'DOUBLE_PLEDGE_ATTEMPT',
  PLEDGE_VALUED = 'PLEDGE_VALUED',
  PLEDGE_APPROVED = 'PLEDGE_APPROVED',
  PLEDGE_ACTIVE = 'PLEDGE_ACTIVE',
  PLEDGE_TOPPED_UP = 'PLEDGE_TOPPED_UP',
  DRAWDOWN_REQUESTED = 'DRAWDOWN_REQUESTED',
  PLEDGE_MARGIN_CALL = 'PLEDGE_MARGIN_CALL',
  PLEDGE_MARGIN_CLEARED = 'PLEDGE_MARGIN_CLEARED',
  PLEDGE_LIQUIDATION_LEVEL = 'PLEDGE_LIQUIDATION_LEVEL',
  PLEDGE_RELEASED = 'PLEDGE_RELEASED',
  ALERT_RAISED = 'ALERT_RAISED',
  POOL_CLAIM_PAID = 'POOL_CLAIM_PAID',
  DOCUMENT_READY = 'DOCUMENT_READY',
  WEBHOOK_CREATED = 'WEBHOOK_CREATED',
  WEBHOOK_DEACTIVATED = 'WEBHOOK_DEACTIVATED',
}

export interface Notification {
  organizationId: string;
  eventId: string;
  type: NotificationType;
  title: string;
  data?: Record<string, unknown>;
}

/**
 * Tells an organisation that something happened to it. Queued through the outbox in the
 * caller's transaction and delivered by the `notifications` worker; keyed by the audit event
 * that caused it, so it is delivered once however often the job runs.
 */
@Injectable()
export class Notifier {
  constructor(private readonly outbox: Outbox) {}

  async notify(input: Notification): Promise<void> {
    await this.outbox.enqueueMany([this.message(input)]);
  }

  /** The outbox entry of a notification, for a service that enqueues it beside other jobs. */
  message(input: Notification): OutboxEntry<JobName.NOTIFY_ORGANIZATION> {
    return Outbox.message(JobName.NOTIFY_ORGANIZATION, {
      eventId: input.eventId,
      organizationId: input.organizationId,
      type: input.type,
      title: input.title,
      data: input.data ?? {},
    });
  }
}
