import { NotificationType } from '../notifications/notifier';
import { WEBHOOK_EVENT_OF_NOTIFICATION, WEBHOOK_EVENTS, webhookEventOf } from './webhook-events';

describe('webhook events', () => {
  it('has each event of the issue’s list fed by exactly one notification type', () => {
    const sources = Object.entries(WEBHOOK_EVENT_OF_NOTIFICATION);
    for (const event of WEBHOOK_EVENTS)
      expect(sources.filter(([, mapped]) => mapped === event)).toHaveLength(1);
    expect(sources).toHaveLength(WEBHOOK_EVENTS.length);
    for (const [type] of sources) expect(Object.values(NotificationType)).toContain(type);
  });

  it.each([
    [NotificationType.INVOICE_VERIFIED, 'invoice.verified'],
    [NotificationType.INVOICE_EXCEPTION, 'invoice.exception'],
    [NotificationType.INVOICE_CONFIRMED, 'invoice.confirmed'],
    [NotificationType.INVOICE_REJECTED, 'invoice.rejected'],
    [NotificationType.OFFERS_READY, 'financing_request.offered'],
    [NotificationType.OFFER_ACCEPTED, 'financing.accepted'],
    [NotificationType.FINANCING_APPROVED, 'financing.approved'],
    [NotificationType.FINANCING_DISBURSED, 'financing.disbursed'],
    [NotificationType.FINANCING_SETTLED, 'financing.settled'],
    [NotificationType.FINANCING_OVERDUE, 'financing.overdue'],
    [NotificationType.PLEDGE_ACTIVE, 'pledge.active'],
    [NotificationType.PLEDGE_MARGIN_CALL, 'pledge.margin_call'],
    [NotificationType.PLEDGE_RELEASED, 'pledge.released'],
    [NotificationType.DOCUMENT_READY, 'document.ready'],
    [NotificationType.ALERT_RAISED, 'alert.raised'],
  ])('maps %s to %s', (type, event) => {
    expect(webhookEventOf(type)).toBe(event);
  });

  it.each([
    NotificationType.USER_ADDED,
    NotificationType.NO_OFFER,
    NotificationType.PAYMENT_RECEIVED,
    NotificationType.PLEDGE_MARGIN_CLEARED,
    NotificationType.WEBHOOK_CREATED,
    'NOT_A_TYPE',
  ])('offers no webhook for %s', (type) => {
    expect(webhookEventOf(type)).toBeNull();
  });
});
