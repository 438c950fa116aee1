import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { paginate, type Page, type PageQuery } from '../common/pagination/page';
import { visibleTo } from '../common/tenancy/visibility';
import { TransactionHost } from '../database/transaction-host';
import { PledgeItem } from './pledge-item.entity';
import type { PledgeStatus } from './pledge-status';
import { Pledge } from './pledge.entity';

export interface NewPledgeItem {
  sku: string;
  description: string;
  quantity: string;
  unit: string;
  declaredUnitValue: string;
}

export interface NewPledge {
  id: string;
  supplierId: string;
  financierId: string;
  programId: string | null;
  currency: string;
  warehouse: { name: string; registrationId: string; address: string };
  receiptNumber: string;
  items: readonly NewPledgeItem[];
  createdBy: string | null;
}

/** What a pledge owes: reserved drawdowns at their advance, paid-out ones at what is left. */
const OUTSTANDING = `COALESCE(sum(CASE
    WHEN f.status IN ('ACCEPTED','PENDING_APPROVAL','APPROVED') THEN f.advance_amount
    WHEN f.status IN ('DISBURSED','OVERDUE') THEN f.outstanding_amount
    ELSE 0 END), 0)`;

export interface RevaluationRow {
  id: string;
  reference: string;
  status: PledgeStatus;
  supplier_id: string;
  financier_id: string;
  currency: string;
  haircut: string;
  margin_call_ltv: string;
  liquidation_ltv: string;
  liquidation_alerted: boolean;
  partly_released: boolean;
  outstanding: string;
  items: Array<{ sku: string; quantity: string; market_unit_price: string | null }>;
}

@Injectable()
export class PledgesRepository {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * The pledge, its goods and its receipt in one statement, or nothing when the receipt backs
   * a live pledge already. The receipt is claimed first (ON CONFLICT on the partial unique
   * index, which waits for a concurrent claim to commit or roll back); the pledge and items are
   * written only from a successful claim. The foreign key is checked at the end of the statement.
   */
  async insert(pledge: NewPledge): Promise<boolean> {
    const rows = (await this.tx.manager.query(
      `WITH claim AS (
         INSERT INTO pledge_receipts (pledge_id, warehouse_registration_id, receipt_number, live)
         VALUES ($1, $8, $10, true)
         ON CONFLICT (warehouse_registration_id, receipt_number) WHERE live DO NOTHING
         RETURNING pledge_id
       ), pledge AS (
         INSERT INTO pledges (id, reference, status, supplier_id, financier_id, program_id, currency,
                              warehouse_name, warehouse_registration_id, warehouse_address, receipt_number, created_by)
         SELECT $1, 'PLG-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('pledge_reference_seq')::text, 6, '0'),
                'REQUESTED', $2, $3, $4, $5, $6, $8, $7, $10, $11
           FROM claim
         RETURNING id
       ), items AS (
         INSERT INTO pledge_items (pledge_id, sku, description, quantity, unit, declared_unit_value, position)
         SELECT pledge.id, i.sku, i.description, i.quantity, i.unit, i.declared_unit_value, i.position
           FROM pledge, jsonb_to_recordset($9::jsonb)
                AS i(sku text, description text, quantity numeric, unit text, declared_unit_value numeric, position int)
       )
       SELECT id FROM pledge`,
      [
        pledge.id,
        pledge.supplierId,
        pledge.financierId,
        pledge.programId,
        pledge.currency,
        pledge.warehouse.name,
        pledge.warehouse.address,
        pledge.warehouse.registrationId,
        JSON.stringify(
          pledge.items.map((item, position) => ({
            sku: item.sku,
            description: item.description,
            quantity: item.quantity,
            unit: item.unit,
            declared_unit_value: item.declaredUnitValue,
            position,
          })),
        ),
        pledge.receiptNumber,
        pledge.createdBy,
      ],
    )) as Array<{ id: string }>;
    return rows.length === 1;
  }

  /** The live pledge a receipt backs, if any. */
  async holderOf(registrationId: string, receiptNumber: string): Promise<string | null> {
    const [row] = (await this.tx.manager.query(
      `SELECT pledge_id FROM pledge_receipts
        WHERE warehouse_registration_id = $1 AND receipt_number = $2 AND live`,
      [registrationId, receiptNumber],
    )) as Array<{ pledge_id: string }>;
    return row?.pledge_id ?? null;
  }

  /** Adds a receipt to a pledge (top-up); false when it backs a live pledge already. */
  async claimReceipt(
    pledgeId: string,
    registrationId: string,
    receiptNumber: string,
  ): Promise<boolean> {
    const rows = (await this.tx.manager.query(
      `INSERT INTO pledge_receipts (pledge_id, warehouse_registration_id, receipt_number, live)
       VALUES ($1, $2, $3, true)
       ON CONFLICT (warehouse_registration_id, receipt_number) WHERE live DO NOTHING
       RETURNING pledge_id`,
      [pledgeId, registrationId, receiptNumber],
    )) as unknown[];
    return rows.length === 1;
  }

  async recordAttempt(attempt: {
    registrationId: string;
    receiptNumber: string;
    supplierId: string;
    financierId: string;
    existingPledgeId: string;
    attemptedBy: string | null;
  }): Promise<string> {
    const [row] = (await this.tx.manager.query(
      `INSERT INTO pledge_attempts (warehouse_registration_id, receipt_number, supplier_id, financier_id,
                                    existing_pledge_id, attempted_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        attempt.registrationId,
        attempt.receiptNumber,
        attempt.supplierId,
        attempt.financierId,
        attempt.existingPledgeId,
        attempt.attemptedBy,
      ],
    )) as Array<{ id: string }>;
    return row.id;
  }

  findVisible(actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<Pledge | null> {
    const qb = visibleTo(this.tx.manager, Pledge, 'p', actor).andWhere('p.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  list(actor: Actor, filter: { status?: PledgeStatus }, query: PageQuery): Promise<Page<Pledge>> {
    const qb = visibleTo(this.tx.manager, Pledge, 'p', actor);
    if (filter.status) qb.andWhere('p.status = :status', { status: filter.status });
    return paginate(qb, { alias: 'p', column: 'created_at', property: 'createdAt', query });
  }

  items(pledgeIds: readonly string[]): Promise<PledgeItem[]> {
    return this.tx.manager
      .createQueryBuilder(PledgeItem, 'i')
      .where('i.pledge_id = ANY(:pledgeIds)', { pledgeIds })
      .orderBy('i.pledge_id')
      .addOrderBy('i.position')
      .getMany();
  }

  /** Per pledge: what is outstanding on its drawdowns, its receipts and its documents. */
  async extras(pledgeIds: readonly string[]): Promise<
    Map<
      string,
      {
        outstanding: string;
        receipts: Array<{ registrationId: string; receiptNumber: string; live: boolean }>;
        documentIds: string[];
      }
    >
  > {
    const rows = (await this.tx.manager.query(
      `SELECT p.id,
              (SELECT ${OUTSTANDING}::text FROM financings f WHERE f.pledge_id = p.id) AS outstanding,
              (SELECT COALESCE(jsonb_agg(jsonb_build_object('registrationId', r.warehouse_registration_id,
                                                            'receiptNumber', r.receipt_number, 'live', r.live)
                                         ORDER BY r.created_at, r.receipt_number), '[]')
                 FROM pledge_receipts r WHERE r.pledge_id = p.id) AS receipts,
              (SELECT COALESCE(array_agg(d.id::text ORDER BY d.created_at, d.id), '{}')
                 FROM documents d
                WHERE d.subject_id = p.id
                   OR d.subject_id IN (SELECT r.id FROM pledge_releases r WHERE r.pledge_id = p.id)) AS document_ids
         FROM pledges p WHERE p.id = ANY($1::uuid[])`,
      [pledgeIds],
    )) as Array<{
      id: string;
      outstanding: string;
      receipts: Array<{ registrationId: string; receiptNumber: string; live: boolean }>;
      document_ids: string[];
    }>;
    return new Map(
      rows.map((row) => [
        row.id,
        { outstanding: row.outstanding, receipts: row.receipts, documentIds: row.document_ids },
      ]),
    );
  }

  /** What a pledge's drawdowns owe now (call with the pledge row locked for a decision). */
  async outstanding(pledgeId: string): Promise<string> {
    const [row] = (await this.tx.manager.query(
      `SELECT ${OUTSTANDING}::text AS outstanding FROM financings f WHERE f.pledge_id = $1`,
      [pledgeId],
    )) as Array<{ outstanding: string }>;
    return row.outstanding;
  }

  /** Applies `changes` (column → value) if the pledge is still in `from`. */
  async transition(
    id: string,
    from: readonly PledgeStatus[],
    to: PledgeStatus,
    changes: Record<string, unknown> = {},
  ): Promise<boolean> {
    const columns = Object.keys(changes);
    const assignments = columns.map((column, index) => `, ${column} = $${index + 4}`).join('');
    const [, affected] = (await this.tx.manager.query(
      `UPDATE pledges SET status = $3, updated_at = now()${assignments}
        WHERE id = $1 AND status = ANY($2::varchar[])`,
      [id, from, to, ...columns.map((column) => changes[column])],
    )) as [unknown, number];
    return affected === 1;
  }

  /** Sets the latest market price of the named SKUs and records each as a mark, set-based. */
  async mark(
    pledgeId: string,
    prices: ReadonlyArray<{ sku: string; marketUnitPrice: string }>,
    asOf: Date,
    source: 'VALUATION' | 'PRICE_FEED',
    recordedBy: string | null,
  ): Promise<void> {
    await this.tx.manager.query(
      `WITH p AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS p(sku text, price numeric)),
       marks AS (
         INSERT INTO pledge_marks (pledge_id, sku, market_unit_price, as_of, source, recorded_by)
         SELECT $1, p.sku, p.price, $3, $4, $5 FROM p
       )
       UPDATE pledge_items i SET market_unit_price = p.price, marked_at = $3
         FROM p
        WHERE i.pledge_id = $1 AND i.sku = p.sku AND (i.marked_at IS NULL OR i.marked_at <= $3)`,
      [
        pledgeId,
        JSON.stringify(prices.map((price) => ({ sku: price.sku, price: price.marketUnitPrice }))),
        asOf,
        source,
        recordedBy,
      ],
    );
  }

  /** Goods added to a pledge: new SKUs appended, known ones grown, set-based. */
  async addItems(pledgeId: string, items: readonly NewPledgeItem[]): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO pledge_items AS i (pledge_id, sku, description, quantity, unit, declared_unit_value, position)
       SELECT $1, n.sku, n.description, n.quantity, n.unit, n.declared_unit_value,
              (SELECT COALESCE(max(position), -1) FROM pledge_items WHERE pledge_id = $1) + n.ordinality
         FROM ROWS FROM (jsonb_to_recordset($2::jsonb)
                AS (sku text, description text, quantity numeric, unit text, declared_unit_value numeric))
              WITH ORDINALITY AS n(sku, description, quantity, unit, declared_unit_value, ordinality)
       ON CONFLICT (pledge_id, sku) DO UPDATE SET quantity = i.quantity + EXCLUDED.quantity`,
      [
        pledgeId,
        JSON.stringify(
          items.map((item) => ({
            sku: item.sku,
            description: item.description,
            quantity: item.quantity,
            unit: item.unit,
            declared_unit_value: item.declaredUnitValue,
          })),
        ),
      ],
    );
  }

  /** Lowers quantities by a release (quantities already checked against what is pledged). */
  async releaseItems(
    pledgeId: string,
    lines: ReadonlyArray<{ sku: string; quantity: string }>,
  ): Promise<void> {
    await this.tx.manager.query(
      `UPDATE pledge_items i SET quantity = i.quantity - r.quantity
         FROM (SELECT sku, sum(quantity) AS quantity
                 FROM jsonb_to_recordset($2::jsonb) AS r(sku text, quantity numeric) GROUP BY sku) r
        WHERE i.pledge_id = $1 AND i.sku = r.sku`,
      [pledgeId, JSON.stringify(lines)],
    );
  }

  /** Released in full: its receipts are free for a new pledge. */
  async freeReceipts(pledgeId: string): Promise<void> {
    await this.tx.manager.query(`UPDATE pledge_receipts SET live = false WHERE pledge_id = $1`, [
      pledgeId,
    ]);
  }

  /**
   * The pledges a revaluation looks at, locked (SKIP LOCKED: one busy with a drawdown or release
   * is revalued by that action's own job), with their goods and what they owe.
   */
  async lockForRevaluation(pledgeIds: readonly string[] | null): Promise<RevaluationRow[]> {
    return (await this.tx.manager.query(
      `WITH target AS (
         SELECT p.* FROM pledges p
          WHERE p.status IN ('ACTIVE','PARTIALLY_RELEASED','MARGIN_CALL')
            AND ($1::uuid[] IS NULL OR p.id = ANY($1::uuid[]))
          ORDER BY p.id
          FOR UPDATE SKIP LOCKED
       )
       SELECT t.id, t.reference, t.status, t.supplier_id, t.financier_id, t.currency,
              t.haircut::text AS haircut, t.margin_call_ltv::text AS margin_call_ltv,
              t.liquidation_ltv::text AS liquidation_ltv,
              t.liquidation_alerted_at IS NOT NULL AS liquidation_alerted,
              EXISTS (SELECT 1 FROM pledge_releases r WHERE r.pledge_id = t.id) AS partly_released,
              (SELECT ${OUTSTANDING}::text FROM financings f WHERE f.pledge_id = t.id) AS outstanding,
              (SELECT COALESCE(jsonb_agg(jsonb_build_object('sku', i.sku, 'quantity', i.quantity::text,
                                                            'market_unit_price', i.market_unit_price::text)), '[]')
                 FROM pledge_items i WHERE i.pledge_id = t.id) AS items
         FROM target t`,
      [pledgeIds],
    )) as RevaluationRow[];
  }

  /** Writes a revaluation's figures for many pledges in one statement. */
  /**
   * Appends each revalued pledge's LTV to its history when it differs from the last one kept:
   * the revaluation runs every 15 minutes, the history keeps only the moves (docs/risk.md).
   */
  async appendLtvHistory(
    rows: ReadonlyArray<{
      id: string;
      ltv: string | null;
      collateralValue: string;
      outstanding: string;
    }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.tx.manager.query(
      `INSERT INTO pledge_ltv_history (pledge_id, ltv, collateral_value, outstanding_amount)
       SELECT v.id, v.ltv, v.collateral_value, v.outstanding
         FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, ltv numeric, collateral_value numeric, outstanding numeric)
        WHERE NOT EXISTS (
          SELECT 1 FROM (SELECT h.ltv FROM pledge_ltv_history h WHERE h.pledge_id = v.id
                          ORDER BY h.recorded_at DESC LIMIT 1) last
           WHERE last.ltv IS NOT DISTINCT FROM v.ltv)`,
      [
        JSON.stringify(
          rows.map((row) => ({
            id: row.id,
            ltv: row.ltv,
            collateral_value: row.collateralValue,
            outstanding: row.outstanding,
          })),
        ),
      ],
    );
  }

  async saveRevaluation(
    rows: ReadonlyArray<{
      id: string;
      status: PledgeStatus;
      collateralValue: string;
      lendingValue: string;
      ltv: string | null;
      marginCalled: boolean;
      liquidationAlerted: boolean;
    }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.tx.manager.query(
      `UPDATE pledges p
          SET status = v.status, collateral_value = v.collateral_value, lending_value = v.lending_value,
              ltv = v.ltv, revalued_at = now(), updated_at = now(),
              margin_called_at = CASE WHEN v.margin_called THEN COALESCE(p.margin_called_at, now()) END,
              liquidation_alerted_at = CASE WHEN v.liquidation_alerted THEN COALESCE(p.liquidation_alerted_at, now()) END
         FROM jsonb_to_recordset($1::jsonb)
              AS v(id uuid, status text, collateral_value numeric, lending_value numeric, ltv numeric,
                   margin_called boolean, liquidation_alerted boolean)
        WHERE p.id = v.id`,
      [
        JSON.stringify(
          rows.map((row) => ({
            id: row.id,
            status: row.status,
            collateral_value: row.collateralValue,
            lending_value: row.lendingValue,
            ltv: row.ltv,
            margin_called: row.marginCalled,
            liquidation_alerted: row.liquidationAlerted,
          })),
        ),
      ],
    );
  }
}
