/** What submitting an invoice needs to know of its program and the supplier's place in it. */
export interface SubmissionProgram {
  id: string;
  anchorId: string;
  currency: string;
  active: boolean;
  maxTenorDays: number;
  timezone: string;
  /** The supplier's membership: null when it was never invited. */
  membership: 'INVITED' | 'ACTIVE' | null;
}
