/**
 * One INSERT … SELECT that counts every relationship of a batch of suppliers ($1, uuid[]) into
 * `supplier_relationship_profiles`, as of the database's current date. Set-based: each source
 * table is read once for the whole batch, through its supplier index, and grouped by
 * (supplier, anchor, currency); the groups are then joined on the union of their keys. A
 * relationship exists as soon as any source names it: a program membership, an order of the
 * anchor, an invoice, a financing or a pledge. Inventory pledges and their drawdowns have no
 * anchor (anchor_id null), even in a program: the supplier repays them itself, no anchor
 * confirmed anything, and anchors do not see pledges. The 12-month window runs on the platform's own clock
 * (created_at, maturity, overdue_at), not on dates the supplier writes on its invoices.
 */
export const RELATIONSHIP_FACTS_SQL = `
WITH s AS (
  SELECT id FROM organizations WHERE kind = 'SUPPLIER' AND id = ANY($1::uuid[])
),
membership AS (
  SELECT ps.supplier_id, p.anchor_id, p.currency, min(ps.accepted_at)::date AS since
    FROM program_suppliers ps JOIN programs p ON p.id = ps.program_id
   WHERE ps.supplier_id IN (SELECT id FROM s)
   GROUP BY 1, 2, 3
),
orders AS (
  SELECT po.supplier_id, po.anchor_id, po.currency, min(po.issue_date) AS since
    FROM purchase_orders po
   WHERE po.supplier_id IN (SELECT id FROM s)
   GROUP BY 1, 2, 3
),
trade AS (
  SELECT i.supplier_id, i.anchor_id, i.currency,
         count(*) FILTER (WHERE i.status NOT IN ('CANCELLED', 'REJECTED'))::int AS invoices,
         COALESCE(sum(i.total_amount) FILTER (WHERE i.status NOT IN ('CANCELLED', 'REJECTED')), 0) AS volume,
         COALESCE(sum(cn.amount) FILTER (WHERE i.status NOT IN ('CANCELLED', 'REJECTED')), 0) AS diluted,
         count(*) FILTER (WHERE i.verification_status <> 'PENDING')::int AS checked,
         count(*) FILTER (WHERE i.verification_status = 'EXCEPTION')::int AS exceptions,
         count(*) FILTER (WHERE i.confirmed_at IS NOT NULL OR i.status = 'REJECTED')::int AS decided,
         count(*) FILTER (WHERE i.confirmed_at IS NOT NULL)::int AS confirmed,
         COALESCE(sum(i.confirmed_amount) FILTER (WHERE i.confirmed_at IS NOT NULL), 0) AS confirmed_amount,
         COALESCE(sum(i.confirmed_amount * GREATEST(i.payment_date - i.confirmed_at::date, 0))
                    FILTER (WHERE i.confirmed_at IS NOT NULL), 0) AS confirmed_amount_days
    FROM invoices i
    LEFT JOIN LATERAL (SELECT sum(c.amount) AS amount FROM credit_notes c WHERE c.invoice_id = i.id) cn ON TRUE
   WHERE i.supplier_id IN (SELECT id FROM s)
     AND i.created_at >= now() - interval '12 months'
   GROUP BY 1, 2, 3
),
lateness AS (
  -- Days past maturity, in the program's time zone like the overdue sweep: until it was paid,
  -- recovered or written off, or until today while it is still overdue.
  SELECT f.*,
         ((COALESCE(f.settled_at, f.closed_at, now()) AT TIME ZONE COALESCE(p.timezone, 'UTC'))::date
           - f.maturity_date) AS days_past_due,
         f.overdue_at IS NOT NULL
           AND (f.status = 'OVERDUE' OR f.overdue_at >= now() - interval '12 months') AS late_in_window
    FROM financings f
    LEFT JOIN programs p ON p.id = f.program_id
   WHERE f.supplier_id IN (SELECT id FROM s)
),
financed AS (
  SELECT supplier_id, anchor_id, currency,
         count(*) FILTER (WHERE status IN ('SETTLED', 'OVERDUE', 'RECOVERED', 'WRITTEN_OFF')
                            AND maturity_date >= (current_date - interval '12 months')::date)::int AS financings_due,
         count(*) FILTER (WHERE status = 'SETTLED' AND overdue_at IS NULL
                            AND maturity_date >= (current_date - interval '12 months')::date)::int AS settled_on_time,
         count(*) FILTER (WHERE late_in_window)::int AS overdue_count,
         count(*) FILTER (WHERE status = 'OVERDUE')::int AS overdue_now,
         COALESCE(max(GREATEST(days_past_due, 0)) FILTER (WHERE late_in_window), 0)::int AS max_days_past_due,
         COALESCE(sum(outstanding_amount) FILTER (WHERE status = 'OVERDUE'), 0) AS overdue_outstanding
    FROM lateness
   GROUP BY 1, 2, 3
),
exposure AS (
  SELECT e.supplier_id, e.anchor_id, e.currency,
         jsonb_agg(jsonb_build_object(
           'financierId', e.financier_id, 'financierName', o.name,
           'outstanding', e.outstanding::text, 'committed', e.committed::text, 'financings', e.financings)
           ORDER BY o.name, e.financier_id) AS lines
    FROM (SELECT supplier_id, anchor_id, currency, financier_id,
                 COALESCE(sum(outstanding_amount) FILTER (WHERE status IN ('DISBURSED', 'OVERDUE')), 0) AS outstanding,
                 COALESCE(sum(advance_amount) FILTER (WHERE status IN ('ACCEPTED', 'PENDING_APPROVAL', 'APPROVED')), 0) AS committed,
                 count(*)::int AS financings
            FROM financings
           WHERE supplier_id IN (SELECT id FROM s)
             AND status IN ('ACCEPTED', 'PENDING_APPROVAL', 'APPROVED', 'DISBURSED', 'OVERDUE')
           GROUP BY 1, 2, 3, 4) e
    JOIN organizations o ON o.id = e.financier_id
   GROUP BY 1, 2, 3
),
pledged AS (
  SELECT pl.supplier_id, NULL::uuid AS anchor_id, pl.currency,
         jsonb_agg(jsonb_build_object(
           'pledgeId', pl.id, 'reference', pl.reference, 'financierId', pl.financier_id,
           'status', pl.status, 'ltv', pl.ltv::text, 'marginCallLtv', pl.margin_call_ltv::text,
           'liquidationLtv', pl.liquidation_ltv::text, 'history', h.points)
           ORDER BY pl.reference) AS lines
    FROM pledges pl
    CROSS JOIN LATERAL (
      SELECT COALESCE(jsonb_agg(jsonb_build_object('at', x.recorded_at, 'ltv', x.ltv::text)
                                ORDER BY x.recorded_at), '[]'::jsonb) AS points
        FROM (SELECT recorded_at, ltv FROM pledge_ltv_history
               WHERE pledge_id = pl.id AND recorded_at >= now() - interval '12 months'
               ORDER BY recorded_at DESC LIMIT 100) x
    ) h
   WHERE pl.supplier_id IN (SELECT id FROM s)
     AND (pl.status IN ('APPROVED', 'ACTIVE', 'PARTIALLY_RELEASED', 'MARGIN_CALL')
          OR (pl.status = 'RELEASED' AND pl.released_at >= now() - interval '12 months'))
   GROUP BY 1, 2, 3
),
keys AS (
  SELECT supplier_id, anchor_id, currency FROM membership
  UNION SELECT supplier_id, anchor_id, currency FROM orders
  UNION SELECT supplier_id, anchor_id, currency FROM trade
  UNION SELECT supplier_id, anchor_id, currency FROM financed
  UNION SELECT supplier_id, anchor_id, currency FROM pledged
)
INSERT INTO supplier_relationship_profiles (
  organization_id, anchor_id, currency, since, invoices, volume, diluted, checked, exceptions,
  decided, confirmed, confirmed_amount, confirmed_amount_days, financings_due, settled_on_time,
  overdue_count, overdue_now, max_days_past_due, overdue_outstanding, exposure, pledges)
SELECT k.supplier_id, k.anchor_id, k.currency,
       -- LEAST ignores nulls: the earlier of the first order and the first acceptance.
       LEAST(o.since, m.since),
       COALESCE(t.invoices, 0), COALESCE(t.volume, 0), COALESCE(t.diluted, 0),
       COALESCE(t.checked, 0), COALESCE(t.exceptions, 0), COALESCE(t.decided, 0),
       COALESCE(t.confirmed, 0), COALESCE(t.confirmed_amount, 0), COALESCE(t.confirmed_amount_days, 0),
       COALESCE(f.financings_due, 0), COALESCE(f.settled_on_time, 0), COALESCE(f.overdue_count, 0),
       COALESCE(f.overdue_now, 0), COALESCE(f.max_days_past_due, 0), COALESCE(f.overdue_outstanding, 0),
       COALESCE(e.lines, '[]'::jsonb), COALESCE(pl.lines, '[]'::jsonb)
  FROM keys k
  LEFT JOIN membership m ON m.supplier_id = k.supplier_id AND m.anchor_id = k.anchor_id AND m.currency = k.currency
  LEFT JOIN orders o ON o.supplier_id = k.supplier_id AND o.anchor_id = k.anchor_id AND o.currency = k.currency
  LEFT JOIN trade t ON t.supplier_id = k.supplier_id AND t.anchor_id = k.anchor_id AND t.currency = k.currency
  LEFT JOIN financed f ON f.supplier_id = k.supplier_id AND f.anchor_id IS NOT DISTINCT FROM k.anchor_id AND f.currency = k.currency
  LEFT JOIN exposure e ON e.supplier_id = k.supplier_id AND e.anchor_id IS NOT DISTINCT FROM k.anchor_id AND e.currency = k.currency
  LEFT JOIN pledged pl ON pl.supplier_id = k.supplier_id AND pl.anchor_id IS NOT DISTINCT FROM k.anchor_id AND pl.currency = k.currency
RETURNING organization_id, anchor_id, currency, since::text AS since, invoices, volume::text AS volume,
          diluted::text AS diluted, checked, exceptions, decided, confirmed,
          confirmed_amount::text AS confirmed_amount, confirmed_amount_days::text AS confirmed_amount_days,
          financings_due, settled_on_time, overdue_count, overdue_now, max_days_past_due,
          overdue_outstanding::text AS overdue_outstanding, exposure, pledges`;
