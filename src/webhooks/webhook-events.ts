import { NotificationType } from '../notifications/notifier';

/**
 * The events an organisation can subscribe a webhook to (issue 6: a fixed list). Their names are
 * part of the public contract: receivers switch on them, so one is never renamed.
 */
export const WEBHOOK_EVENTS = [
  'invoice.verified',
  'invoice.exception',
  'invoice.confirmed',
  'invoice.rejected',
  'financing_request.offered',
  'financing.accepted',
  'financing.approved',
  'financing.disbursed',
  'financing.settled',
  'financing.overdue',
  'pledge.active',
  'pledge.margin_call',
  'pledge.released',
  'document.ready',
  'alert.raised',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * The one table from notifications to webhook events. A webhook event is a notification the
 * organisation received, so it is delivered exactly to whom the notification was; notification
 * types missing here (user added, program invitation …) are not offered as webhooks.
 */
export const WEBHOOK_EVENT_OF_NOTIFICATION: Readonly<
  Partial<Record<NotificationType, WebhookEvent>>
> = {
  [NotificationType.INVOICE_VERIFIED]: 'invoice.verified',
  [NotificationType.INVOICE_EXCEPTION]: 'invoice.exception',
  [NotificationType.INVOICE_CONFIRMED]: 'invoice.confirmed',
  [NotificationType.INVOICE_REJECTED]: 'invoice.rejected',
  [NotificationType.OFFERS_READY]: 'financing_request.offered',
  [NotificationType.OFFER_ACCEPTED]: 'financing.accepted',
  [NotificationType.FINANCING_APPROVED]: 'financing.approved',
  [NotificationType.FINANCING_DISBURSED]: 'financing.disbursed',
  [NotificationType.FINANCING_SETTLED]: 'financing.settled',
  [NotificationType.FINANCING_OVERDUE]: 'financing.overdue',
  [NotificationType.PLEDGE_ACTIVE]: 'pledge.active',
  [NotificationType.PLEDGE_MARGIN_CALL]: 'pledge.margin_call',
  [NotificationType.PLEDGE_RELEASED]: 'pledge.released',
  [NotificationType.DOCUMENT_READY]: 'document.ready',
  [NotificationType.ALERT_RAISED]: 'alert.raised',
};

/** The webhook event of a notification type (a string from a job payload), or null. */
export function webhookEventOf(notificationType: string): WebhookEvent | null {
  return WEBHOOK_EVENT_OF_NOTIFICATION[notificationType as NotificationType] ?? null;
}
