/**
 * What a guarantee has taken of its cap, as a SQL expression on a `program_guarantees` alias:
 * the covered amounts of its financings still at risk (accepted through overdue) plus the claims
 * made on it. Settled, recovered, cancelled and declined financings give their cover back; a
 * written-off one holds its claim instead. Shared by pricing, acceptance and the statement so that
 * all three count the same way.
 */
export const AT_RISK_FINANCING_STATUSES = [
  'ACCEPTED',
  'PENDING_APPROVAL',
  'APPROVED',
  'DISBURSED',
  'OVERDUE',
] as const;

export function guaranteeUsedSql(alias: string): string {
  const atRisk = AT_RISK_FINANCING_STATUSES.map((status) => `'${status}'`).join(',');
  return `((SELECT COALESCE(SUM(fg.covered_amount), 0) FROM financing_guarantees fg
             JOIN financings f ON f.id = fg.financing_id
            WHERE fg.guarantee_id = ${alias}.id AND f.status IN (${atRisk}))
         + (SELECT COALESCE(SUM(gc.amount), 0) FROM guarantee_claims gc WHERE gc.guarantee_id = ${alias}.id))`;
}
