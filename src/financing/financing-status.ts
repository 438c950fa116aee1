/** The request lifecycle of DESIGN.md §3. */
export enum RequestStatus {
  QUEUED = 'QUEUED',
  OFFERED = 'OFFERED',
  NO_OFFER = 'NO_OFFER',
  ACCEPTED = 'ACCEPTED',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
}

export enum OfferStatus {
  LIVE = 'LIVE',
  ACCEPTED = 'ACCEPTED',
  WITHDRAWN = 'WITHDRAWN',
  EXPIRED = 'EXPIRED',
}

/** The financing lifecycle of DESIGN.md §3. */
export enum FinancingStatus {
  ACCEPTED = 'ACCEPTED',
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  APPROVED = 'APPROVED',
  DISBURSED = 'DISBURSED',
  SETTLED = 'SETTLED',
  OVERDUE = 'OVERDUE',
  RECOVERED = 'RECOVERED',
  WRITTEN_OFF = 'WRITTEN_OFF',
  CANCELLED = 'CANCELLED',
  DECLINED = 'DECLINED',
}

/** Statuses in which a financing holds its invoices (the partial unique index uses the same list). */
export const LIVE_FINANCING_STATUSES: readonly FinancingStatus[] = [
  FinancingStatus.ACCEPTED,
  FinancingStatus.PENDING_APPROVAL,
  FinancingStatus.APPROVED,
  FinancingStatus.DISBURSED,
  FinancingStatus.SETTLED,
  FinancingStatus.OVERDUE,
  FinancingStatus.RECOVERED,
  FinancingStatus.WRITTEN_OFF,
];
