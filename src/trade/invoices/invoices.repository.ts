import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { paginate, type Page, type PageQuery } from '../../common/pagination/page';
import { visibleTo } from '../../common/tenancy/visibility';
import { preparedStatement, preparedStatementFor } from '../../database/prepared-statement';
import { TransactionHost } from '../../database/transaction-host';
import type { InvoiceStatus } from './invoice-status';
import { InvoiceLine } from './invoice-line.entity';
import { Invoice } from './invoice.entity';
import type { SubmissionProgram } from './submission-program';

export interface InvoiceFilter {
  status?: InvoiceStatus;
  anchorId?: string;
  supplierId?: string;
  programId?: string;
  dueFrom?: string;
  dueTo?: string;
  batchId?: string;
}

export interface ProgramTerms {
  maxTenorDays: number;
  holidays: string[];
  timezone: string;
  active: boolean;
  minInvoiceAmount: string | null;
  maxInvoiceAmount: string | null;
  today: string;
}

export type NewInvoice = Omit<
  Invoice,
  | 'id'
  | 'submissionSeq'
  | 'createdAt'
  | 'updatedAt'
  | 'lines'
  | 'creditNotes'
  | 'supplier'
  | 'anchor'
  | 'program'
> & {
  lines: Array<Omit<InvoiceLine, 'id' | 'invoiceId' | 'invoice'>>;
};

const SUBMISSION_PROGRAM = preparedStatement(
  'invoices.submission-program',
  `SELECT p.id, p.anchor_id, p.currency, p.active, p.max_tenor_days, p.timezone, ps.status AS membership
         FROM programs p LEFT JOIN program_suppliers ps ON ps.program_id = p.id AND ps.supplier_id = $2
        WHERE p.id = $1`,
);

@Injectable()
export class InvoicesRepository {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Inserts an invoice with its lines and returns it as stored, or null when the supplier already
   * sent this number to this anchor. Built from what was written and what the database generated,
   * so a submission needs no read-back.
   */
  async insert(invoice: NewInvoice): Promise<Invoice | null> {
    const { lines, ...columns } = invoice;
    // Plain SQL from the entity's own column metadata: the busiest write of the API.
    const metadata = this.tx.manager.connection.getMetadata(Invoice);
    const names: string[] = [];
    const values: unknown[] = [];
    for (const [property, value] of Object.entries(columns)) {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`invoices has no column for ${property}`);
      names.push(`"${column.databaseName}"`);
      values.push(column.type === 'jsonb' && value !== null ? JSON.stringify(value) : value);
    }
    // Prepared under a name from its text: the column list is the same on every call.
    const statement = preparedStatementFor(
      'invoices.insert',
      `INSERT INTO invoices (${names.join(', ')})
       VALUES (${values.map((_, index) => `$${index + 1}`).join(', ')})
       ON CONFLICT DO NOTHING
       RETURNING id, submission_seq::text AS submission_seq, created_at, updated_at`,
    );
    const [row] = await this.tx.query<{
      id: string;
      submission_seq: string;
      created_at: Date;
      updated_at: Date;
    }>(statement, values);
    if (!row) return null;
    const generated = {
      id: row.id,
      submissionSeq: row.submission_seq,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    const stored = Object.assign(new Invoice(), columns, generated, { creditNotes: [] });
    const withInvoice = lines.map((line) => ({ ...line, invoiceId: generated.id }));
    const inserted =
      withInvoice.length > 0 ? await this.tx.manager.insert(InvoiceLine, withInvoice) : null;
    stored.lines = withInvoice.map((line, index) =>
      Object.assign(new InvoiceLine(), line, inserted?.generatedMaps[index]),
    );
    return stored;
  }

  async findIdByNumber(
    supplierId: string,
    anchorId: string,
    number: string,
  ): Promise<string | null> {
    const [row] = (await this.tx.manager.query(
      'SELECT id FROM invoices WHERE supplier_id = $1 AND anchor_id = $2 AND number = $3',
      [supplierId, anchorId, number],
    )) as Array<{ id: string }>;
    return row?.id ?? null;
  }

  /** The program an invoice is submitted to, with the supplier's membership in it. */
  async submissionProgram(
    programId: string,
    supplierId: string,
  ): Promise<SubmissionProgram | null> {
    const [row] = await this.tx.query<{
      id: string;
      anchor_id: string;
      currency: string;
      active: boolean;
      max_tenor_days: number;
      timezone: string;
      membership: 'INVITED' | 'ACTIVE' | null;
    }>(SUBMISSION_PROGRAM, [programId, supplierId]);
    return row
      ? {
          id: row.id,
          anchorId: row.anchor_id,
          currency: row.currency.trim(),
          active: row.active,
          maxTenorDays: row.max_tenor_days,
          timezone: row.timezone,
          membership: row.membership,
        }
      : null;
  }

  /** The program terms that decide confirmations and eligibility, with today in its time zone. */
  async programTerms(programId: string): Promise<ProgramTerms> {
    const [row] = (await this.tx.manager.query(
      `SELECT max_tenor_days, holidays::text[] AS holidays, timezone, active,
              min_invoice_amount::text AS min_invoice_amount, max_invoice_amount::text AS max_invoice_amount,
              (now() AT TIME ZONE timezone)::date::text AS today
         FROM programs WHERE id = $1`,
      [programId],
    )) as Array<{
      max_tenor_days: number;
      holidays: string[];
      timezone: string;
      active: boolean;
      min_invoice_amount: string | null;
      max_invoice_amount: string | null;
      today: string;
    }>;
    return {
      maxTenorDays: row.max_tenor_days,
      holidays: row.holidays,
      timezone: row.timezone,
      active: row.active,
      minInvoiceAmount: row.min_invoice_amount,
      maxInvoiceAmount: row.max_invoice_amount,
      today: row.today,
    };
  }

  /**
   * Moves an invoice from one of `from` with the given changes; false when it was no longer in
   * one of them (a concurrent decision got there first).
   */
  async transition(
    id: string,
    from: readonly InvoiceStatus[],
    changes: Record<string, unknown>,
  ): Promise<boolean> {
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(Invoice)
      .set(changes)
      .where('id = :id AND status IN (:...from)', { id, from })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** One invoice the actor may see, with its lines and credit notes. */
  findVisible(actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<Invoice | null> {
    const qb = visibleTo(this.tx.manager, Invoice, 'i', actor).andWhere('i.id = :id', { id });
    if (options.lock) return qb.setLock('pessimistic_write').getOne();
    return qb
      .leftJoinAndSelect('i.lines', 'line')
      .leftJoinAndSelect('i.creditNotes', 'note')
      .getOne();
  }

  async withDetails(invoice: Invoice): Promise<Invoice> {
    const full = await this.tx.manager
      .createQueryBuilder(Invoice, 'i')
      .leftJoinAndSelect('i.lines', 'line')
      .leftJoinAndSelect('i.creditNotes', 'note')
      .where('i.id = :id', { id: invoice.id })
      .getOneOrFail();
    return full;
  }

  list(actor: Actor, filter: InvoiceFilter, query: PageQuery): Promise<Page<Invoice>> {
    const qb = visibleTo(this.tx.manager, Invoice, 'i', actor).leftJoinAndSelect(
      'i.creditNotes',
      'note',
    );
    if (filter.status) qb.andWhere('i.status = :status', { status: filter.status });
    if (filter.anchorId) qb.andWhere('i.anchor_id = :anchorId', { anchorId: filter.anchorId });
    if (filter.supplierId)
      qb.andWhere('i.supplier_id = :supplierId', { supplierId: filter.supplierId });
    if (filter.programId) qb.andWhere('i.program_id = :programId', { programId: filter.programId });
    if (filter.dueFrom) qb.andWhere('i.due_date >= :dueFrom', { dueFrom: filter.dueFrom });
    if (filter.dueTo) qb.andWhere('i.due_date <= :dueTo', { dueTo: filter.dueTo });
    if (filter.batchId) qb.andWhere('i.batch_id = :batchId', { batchId: filter.batchId });
    return paginate(qb, { alias: 'i', column: 'created_at', property: 'createdAt', query });
  }
}
