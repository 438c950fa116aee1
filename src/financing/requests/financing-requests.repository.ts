import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { visibleTo } from '../../common/tenancy/visibility';
import { preparedStatement } from '../../database/prepared-statement';
import { TransactionHost } from '../../database/transaction-host';
import { InvoiceStatus } from '../../trade/invoices/invoice-status';
import { RequestStatus } from '../financing-status';
import type { OfferReasonRecord } from './financing-request.entity';
import { FinancingRequest } from './financing-request.entity';

/** What a request needs to know of the program it is made in, for this supplier. */
export interface RequestProgram {
  id: string;
  anchorId: string;
  currency: string;
  active: boolean;
  timezone: string;
  holidays: string[];
  perFinancingCap: string | null;
  membership: 'INVITED' | 'ACTIVE';
  today: string;
}

/** An invoice as a request checks and prices it. */
export interface InvoiceFacts {
  id: string;
  number: string;
  supplierId: string;
  programId: string;
  status: InvoiceStatus;
  queryReason: string | null;
  disputedCreditNotes: number;
  /** Confirmed, less agreed credit notes, never below 0. */
  financeableAmount: string;
  paymentDate: string | null;
}

// Prepared: every offers job asks it first, and most find their request priced by a batch.
const QUEUED_AMONG = preparedStatement(
  'financing-requests.queued-among',
  `SELECT id FROM financing_requests WHERE id = ANY($1::uuid[]) AND status = 'QUEUED'`,
);

@Injectable()
export class FinancingRequestsRepository {
  constructor(private readonly tx: TransactionHost) {}

  async program(programId: string, supplierId: string): Promise<RequestProgram | null> {
    const [row] = (await this.tx.manager.query(
      `SELECT p.id, p.anchor_id, p.currency, p.active, p.timezone, p.holidays::text[] AS holidays,
              p.per_financing_cap::text AS per_financing_cap, ps.status AS membership,
              (now() AT TIME ZONE p.timezone)::date::text AS today
         FROM programs p JOIN program_suppliers ps ON ps.program_id = p.id AND ps.supplier_id = $2
        WHERE p.id = $1`,
      [programId, supplierId],
    )) as Array<{
      id: string;
      anchor_id: string;
      currency: string;
      active: boolean;
      timezone: string;
      holidays: string[];
      per_financing_cap: string | null;
      membership: 'INVITED' | 'ACTIVE';
      today: string;
    }>;
    return row
      ? {
          id: row.id,
          anchorId: row.anchor_id,
          currency: row.currency.trim(),
          active: row.active,
          timezone: row.timezone,
          holidays: row.holidays,
          perFinancingCap: row.per_financing_cap,
          membership: row.membership,
          today: row.today,
        }
      : null;
  }

  /**
   * The invoices, locked in id order (so two requests over the same invoices queue rather than
   * deadlock). Only the supplier's own: another supplier's id is simply absent.
   */
  async lockInvoices(ids: readonly string[], supplierId: string): Promise<InvoiceFacts[]> {
    const rows = (await this.tx.manager.query(
      `SELECT i.id, i.number, i.supplier_id, i.program_id, i.status, i.query_reason,
              i.payment_date::text AS payment_date,
              GREATEST(LEAST(i.confirmed_amount, i.total_amount - i.credited_amount), 0)::text AS financeable,
              (SELECT count(*)::int FROM credit_notes n WHERE n.invoice_id = i.id AND n.status = 'DISPUTED') AS disputed
         FROM invoices i
        WHERE i.id = ANY($1::uuid[]) AND i.supplier_id = $2
        ORDER BY i.id
          FOR UPDATE OF i`,
      [ids, supplierId],
    )) as Array<{
      id: string;
      number: string;
      supplier_id: string;
      program_id: string;
      status: InvoiceStatus;
      query_reason: string | null;
      payment_date: string | null;
      financeable: string | null;
      disputed: number;
    }>;
    return rows.map((row) => ({
      id: row.id,
      number: row.number,
      supplierId: row.supplier_id,
      programId: row.program_id,
      status: row.status,
      queryReason: row.query_reason,
      disputedCreditNotes: row.disputed,
      financeableAmount: row.financeable ?? '0',
      paymentDate: row.payment_date,
    }));
  }

  async insert(request: {
    supplierId: string;
    anchorId: string;
    programId: string;
    currency: string;
    valueDate: string;
    invoiceIds: string[];
    requestedBy: string | null;
  }): Promise<string> {
    const [row] = (await this.tx.manager.query(
      `WITH request AS (
         INSERT INTO financing_requests (supplier_id, anchor_id, program_id, currency, value_date, status, invoice_ids, requested_by)
         VALUES ($1, $2, $3, $4, $5, 'QUEUED', $6::uuid[], $7)
         RETURNING id
       ), links AS (
         INSERT INTO financing_request_invoices (request_id, invoice_id, active)
         SELECT request.id, invoice_id, true FROM request, unnest($6::uuid[]) AS invoice_id
       )
       SELECT id FROM request`,
      [
        request.supplierId,
        request.anchorId,
        request.programId,
        request.currency,
        request.valueDate,
        request.invoiceIds,
        request.requestedBy,
      ],
    )) as Array<{ id: string }>;
    return row.id;
  }

  /** Moves the invoices together; false unless every one of them was in `from`. */
  async moveInvoices(
    ids: readonly string[],
    from: InvoiceStatus,
    to: InvoiceStatus,
  ): Promise<boolean> {
    const [, affected] = (await this.tx.manager.query(
      `UPDATE invoices SET status = $3, updated_at = now() WHERE id = ANY($1::uuid[]) AND status = $2`,
      [ids, from, to],
    )) as [unknown, number];
    return affected === ids.length;
  }

  findVisible(
    actor: Actor,
    id: string,
    options: { lock?: boolean } = {},
  ): Promise<FinancingRequest | null> {
    const qb = visibleTo(this.tx.manager, FinancingRequest, 'r', actor).andWhere('r.id = :id', {
      id,
    });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Which of the requests are still QUEUED, read without a lock. */
  async queuedAmong(ids: readonly string[]): Promise<string[]> {
    const rows = await this.tx.query<{ id: string }>(QUEUED_AMONG, [ids]);
    return rows.map((row) => row.id);
  }

  /**
   * The QUEUED ones of the requests, locked in id order. A row another job holds is waited for
   * (it may roll back); FOR UPDATE then returns the row as that job left it.
   */
  async lockQueued(ids: readonly string[]): Promise<string[]> {
    const rows = (await this.tx.manager.query(
      `SELECT id, status FROM financing_requests WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    )) as Array<{ id: string; status: RequestStatus }>;
    return rows.filter((row) => row.status === RequestStatus.QUEUED).map((row) => row.id);
  }

  /** For the worker and the acceptance: the request by id, locked. */
  lock(id: string): Promise<FinancingRequest | null> {
    return this.tx.manager
      .createQueryBuilder(FinancingRequest, 'r')
      .where('r.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** Ends a request that will lead to no financing: its invoices may be requested again. */
  async close(
    id: string,
    from: readonly RequestStatus[],
    to: RequestStatus,
    reasons?: OfferReasonRecord[],
  ): Promise<boolean> {
    const [, affected] = (await this.tx.manager.query(
      `UPDATE financing_requests SET status = $3, reasons = COALESCE($4::jsonb, reasons), updated_at = now()
        WHERE id = $1 AND status = ANY($2::varchar[])`,
      [id, from, to, reasons ? JSON.stringify(reasons) : null],
    )) as [unknown, number];
    if (affected !== 1) return false;
    await this.tx.manager.query(
      `UPDATE financing_request_invoices SET active = false WHERE request_id = $1 AND active`,
      [id],
    );
    return true;
  }

  async markOffered(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.tx.manager.query(
      `UPDATE financing_requests SET status = 'OFFERED', offered_at = now(), updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status = 'QUEUED'`,
      [ids],
    );
  }

  /**
   * No financier offered: the requests end NO_OFFER with their reasons and their invoices are
   * CONFIRMED again, free for a new request — three statements for the whole batch.
   */
  async markNoOffer(
    requests: ReadonlyArray<{ id: string; reasons: OfferReasonRecord[] }>,
  ): Promise<void> {
    if (requests.length === 0) return;
    const [rows] = (await this.tx.manager.query(
      `UPDATE financing_requests r SET status = 'NO_OFFER', reasons = x.reasons, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, reasons jsonb)
        WHERE r.id = x.id AND r.status = 'QUEUED'
        RETURNING r.id`,
      [JSON.stringify(requests)],
    )) as [Array<{ id: string }>, number];
    const ended = rows.map((row) => row.id);
    const [links] = (await this.tx.manager.query(
      `UPDATE financing_request_invoices SET active = false
        WHERE request_id = ANY($1::uuid[]) AND active RETURNING invoice_id`,
      [ended],
    )) as [Array<{ invoice_id: string }>, number];
    await this.moveInvoices(
      links.map((link) => link.invoice_id),
      InvoiceStatus.IN_FINANCING,
      InvoiceStatus.CONFIRMED,
    );
  }

  /** Accepted: the financing holds the invoices from now on. */
  async markAccepted(id: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE financing_requests SET status = 'ACCEPTED', updated_at = now() WHERE id = $1 AND status = 'OFFERED'`,
      [id],
    );
    await this.tx.manager.query(
      `UPDATE financing_request_invoices SET active = false WHERE request_id = $1 AND active`,
      [id],
    );
  }
}
