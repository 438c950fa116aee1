/**
 * Every queue and job of the portal, with its payload type, in one place. A job that is added
 * here must get exactly one @OnJob handler; the worker refuses to start otherwise.
 */
export enum QueueName {
  VERIFICATION = 'verification',
  OFFERS = 'offers',
  DOCUMENTS = 'documents',
  NOTIFICATIONS = 'notifications',
  MAINTENANCE = 'maintenance',
}

export enum JobName {
  NOTIFY_ORGANIZATION = 'notify-organization',
  VERIFY_INVOICES = 'verify-invoices',
  REVERIFY_PURCHASE_ORDERS = 'reverify-purchase-orders',
  PURGE_IDEMPOTENCY_RECORDS = 'purge-idempotency-records',
  PURGE_RELAYED_OUTBOX = 'purge-relayed-outbox',
  PRICE_FINANCING_REQUEST = 'price-financing-request',
  EXPIRE_OFFERS = 'expire-offers',
  MARK_OVERDUE_FINANCINGS = 'mark-overdue-financings',
  RENDER_DOCUMENT = 'render-document',
  REVALUE_PLEDGES = 'revalue-pledges',
  SWEEP_RISK_ALERTS = 'sweep-risk-alerts',
  DELIVER_WEBHOOK = 'deliver-webhook',
  REFRESH_SUPPLIER_PROFILES = 'refresh-supplier-profiles',
}

export interface JobPayloads {
  [JobName.NOTIFY_ORGANIZATION]: {
    /** The audit event that caused it; one notification per organisation and event. */
    eventId: string;
    organizationId: string;
    type: string;
    title: string;
    data: Record<string, unknown>;
  };
  /** Invoices to check against the anchor's records, set-based, as one batch. */
  [JobName.VERIFY_INVOICES]: { invoiceIds: string[] };
  /** Orders that were created or received goods: their invoices in EXCEPTION are checked again. */
  [JobName.REVERIFY_PURCHASE_ORDERS]: { purchaseOrderIds: string[] };
  [JobName.PURGE_IDEMPOTENCY_RECORDS]: Record<string, never>;
  [JobName.PURGE_RELAYED_OUTBOX]: Record<string, never>;
  /** New financing requests: one priced offer per eligible financier, or NO_OFFER. */
  [JobName.PRICE_FINANCING_REQUEST]: { requestIds: string[] };
  [JobName.EXPIRE_OFFERS]: Record<string, never>;
  [JobName.MARK_OVERDUE_FINANCINGS]: Record<string, never>;
  /** A QUEUED document: render its PDF, store it, mark it READY (or FAILED after the last try). */
  [JobName.RENDER_DOCUMENT]: { documentId: string };
  /**
   * Mark pledges to market: LTV from the latest prices and what is outstanding, margin calls
   * raised and cleared. No ids (the schedule): every pledge that secures anything.
   */
  [JobName.REVALUE_PLEDGES]: { pledgeIds?: string[] };
  /** Raise and resolve early warnings of these types (names of AlertType); none: every type. */
  [JobName.SWEEP_RISK_ALERTS]: { types?: string[] };
  /**
   * POST one webhook delivery to its endpoint, signed. `generation` is the delivery's send
   * generation when the job was queued: a resend starts a new one, and a job of an older
   * generation (still waiting for its retry) then does nothing.
   */
  [JobName.DELIVER_WEBHOOK]: { deliveryId: string; generation: number };
  /** Every supplier's enterprise profile and score recomputed, set-based, in batches. */
  [JobName.REFRESH_SUPPLIER_PROFILES]: Record<string, never>;
}

export type JobPayload<N extends JobName> = JobPayloads[N];

export const JOB_QUEUE = {
  [JobName.NOTIFY_ORGANIZATION]: QueueName.NOTIFICATIONS,
  [JobName.VERIFY_INVOICES]: QueueName.VERIFICATION,
  [JobName.REVERIFY_PURCHASE_ORDERS]: QueueName.VERIFICATION,
  [JobName.PURGE_IDEMPOTENCY_RECORDS]: QueueName.MAINTENANCE,
  [JobName.PURGE_RELAYED_OUTBOX]: QueueName.MAINTENANCE,
  [JobName.PRICE_FINANCING_REQUEST]: QueueName.OFFERS,
  [JobName.EXPIRE_OFFERS]: QueueName.MAINTENANCE,
  [JobName.MARK_OVERDUE_FINANCINGS]: QueueName.MAINTENANCE,
  [JobName.RENDER_DOCUMENT]: QueueName.DOCUMENTS,
  [JobName.REVALUE_PLEDGES]: QueueName.MAINTENANCE,
  [JobName.SWEEP_RISK_ALERTS]: QueueName.MAINTENANCE,
  [JobName.DELIVER_WEBHOOK]: QueueName.NOTIFICATIONS,
  [JobName.REFRESH_SUPPLIER_PROFILES]: QueueName.MAINTENANCE,
} as const satisfies Record<JobName, QueueName>;

/**
 * Jobs whose outbox rows the relay merges into one BullMQ job per relay batch (its id is the
 * smallest row id), because their handler works set-based: how their payloads merge.
 */
export const COALESCED_JOBS: Partial<{
  [N in JobName]: (payloads: ReadonlyArray<JobPayload<N>>) => JobPayload<N>;
}> = {
  [JobName.PRICE_FINANCING_REQUEST]: (payloads) => ({
    requestIds: [...new Set(payloads.flatMap((payload) => payload.requestIds))],
  }),
  // One pass over the union; a payload without ids (the schedule's) means every pledge.
  [JobName.REVALUE_PLEDGES]: (payloads) =>
    payloads.some((payload) => payload.pledgeIds === undefined)
      ? {}
      : { pledgeIds: [...new Set(payloads.flatMap((payload) => payload.pledgeIds ?? []))] },
  [JobName.SWEEP_RISK_ALERTS]: (payloads) =>
    payloads.some((payload) => payload.types === undefined)
      ? {}
      : { types: [...new Set(payloads.flatMap((payload) => payload.types ?? []))] },
};

/** Repeatable maintenance jobs, upserted as BullMQ job schedulers when a worker starts. */
export const JOB_SCHEDULES: ReadonlyArray<{ name: JobName; everyMs: number }> = [
  { name: JobName.PURGE_IDEMPOTENCY_RECORDS, everyMs: 60 * 60_000 },
  { name: JobName.PURGE_RELAYED_OUTBOX, everyMs: 60 * 60_000 },
  { name: JobName.EXPIRE_OFFERS, everyMs: 60_000 },
  { name: JobName.MARK_OVERDUE_FINANCINGS, everyMs: 15 * 60_000 },
  { name: JobName.REVALUE_PLEDGES, everyMs: 15 * 60_000 },
  { name: JobName.SWEEP_RISK_ALERTS, everyMs: 15 * 60_000 },
  { name: JobName.REFRESH_SUPPLIER_PROFILES, everyMs: 60 * 60_000 },
];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
