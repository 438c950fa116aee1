import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { isDecimalString } from '../../common/money/decimal';
import { TransactionHost } from '../../database/transaction-host';
import { Camt054ParseError, parseCamt054, type Camt054Transaction } from '../iso20022/camt054';
import { FinancingsRepository } from '../financings/financings.repository';
import { SettlementsService } from './settlements.service';

/** A financing reference as the portal writes it, found inside remittance text. */
const REFERENCE = /SCF-\d{4}-\d{6,}/;

export interface Camt054Line {
  entryReference: string;
  amount: string;
  currency: string;
  endToEndId: string | null;
  financingId?: string;
  reference?: string;
  reason?: string;
}

export interface Camt054ImportResult {
  messageId: string;
  matched: Camt054Line[];
  alreadyApplied: Camt054Line[];
  unmatched: Camt054Line[];
}

/**
 * A financier's bank notification (camt.054) applied as settlements. Each credit transaction is
 * matched to one of the financier's financings by end-to-end id or by a reference in the
 * remittance information, and applied once: its entry reference is unique per financier, so
 * the same file uploaded again reports every entry as already applied.
 */
@Injectable()
export class Camt054Import {
  constructor(
    private readonly tx: TransactionHost,
    private readonly financings: FinancingsRepository,
    private readonly settlements: SettlementsService,
    private readonly audit: AuditTrail,
  ) {}

  async import(actor: Actor, xml: Buffer | string): Promise<Camt054ImportResult> {
    let notification;
    try {
      notification = parseCamt054(xml);
    } catch (error) {
      if (!(error instanceof Camt054ParseError)) throw error;
      throw new DomainError(
        error.code === 'MALFORMED' ? ErrorCode.INVALID_XML : ErrorCode.XML_SCHEMA_INVALID,
        error.message,
        { reason: error.code },
      );
    }
    return this.tx.run(async () => {
      const result: Camt054ImportResult = {
        messageId: notification.messageId,
        matched: [],
        alreadyApplied: [],
        unmatched: [],
      };
      for (const entry of notification.entries) {
        for (const [index, transaction] of entry.transactions.entries()) {
          const entryReference =
            entry.transactions.length > 1
              ? `${entry.entryReference}/${index + 1}`
              : entry.entryReference;
          const line: Camt054Line = {
            entryReference,
            amount: transaction.amount,
            currency: transaction.currency,
            endToEndId: transaction.endToEndId,
          };
          if (entry.creditDebit !== 'CRDT' || entry.status !== 'BOOK') {
            result.unmatched.push({
              ...line,
              reason: `${entry.creditDebit} ${entry.status}: not a booked credit`,
            });
            continue;
          }
          if (transaction.amountFromEntry && entry.transactions.length > 1) {
            // camt.054.001.02 lets several transactions share the entry's amount: no split is known.
            result.unmatched.push({
              ...line,
              reason: 'The transaction states no amount of its own',
            });
            continue;
          }
          await this.applyOne(
            actor,
            transaction,
            line,
            entry.valueDate ?? entry.bookingDate,
            result,
          );
        }
      }
      await this.audit.record({
        actor,
        action: 'settlements.camt054_imported',
        entityType: 'camt054',
        entityId: actor.organizationId,
        data: {
          messageId: notification.messageId,
          matched: result.matched.map((line) => line.entryReference),
          alreadyApplied: result.alreadyApplied.map((line) => line.entryReference),
          unmatched: result.unmatched.map((line) => line.entryReference),
        },
      });
      return result;
    });
  }

  private async applyOne(
    actor: Actor,
    transaction: Camt054Transaction,
    line: Camt054Line,
    bookedOn: string | null,
    result: Camt054ImportResult,
  ): Promise<void> {
    const [applied] = (await this.tx.manager.query(
      `SELECT s.financing_id, f.reference FROM settlements s JOIN financings f ON f.id = s.financing_id
        WHERE s.financier_id = $1 AND s.entry_reference = $2`,
      [actor.organizationId, line.entryReference],
    )) as Array<{ financing_id: string; reference: string }>;
    if (applied) {
      result.alreadyApplied.push({
        ...line,
        financingId: applied.financing_id,
        reference: applied.reference,
      });
      return;
    }
    const candidates = [transaction.endToEndId, ...transaction.remittance]
      .map((text) => (text ? REFERENCE.exec(text)?.[0] : undefined))
      .filter((reference): reference is string => reference !== undefined);
    const [found] = candidates.length
      ? ((await this.tx.manager.query(
          `SELECT id, reference FROM financings WHERE financier_id = $1 AND reference = ANY($2::varchar[])
            ORDER BY array_position($2::varchar[], reference) LIMIT 1`,
          [actor.organizationId, candidates],
        )) as Array<{ id: string; reference: string }>)
      : [];
    if (!found) {
      result.unmatched.push({
        ...line,
        reason: 'No financing of yours has this end-to-end id or reference',
      });
      return;
    }
    const financing = await this.financings.lock(found.id);
    if (!financing) return;
    const matched = { ...line, financingId: found.id, reference: found.reference };
    if (
      transaction.currency !== financing.currency.trim() ||
      !isDecimalString(transaction.amount)
    ) {
      result.unmatched.push({ ...matched, reason: `Not a ${financing.currency.trim()} amount` });
      return;
    }
    const paidAt = await this.bookingMoment(financing.programId, bookedOn);
    if (!paidAt) {
      result.unmatched.push({
        ...matched,
        reason: `Booked on ${bookedOn}, after today: a booking is applied once its day has come`,
      });
      return;
    }
    await this.tx.manager.query('SAVEPOINT camt054_entry');
    try {
      await this.settlements.apply(actor, financing, {
        amount: transaction.amount,
        paidAt,
        bankReference: transaction.accountServicerReference ?? line.entryReference,
        entryReference: line.entryReference,
        source: 'CAMT054',
      });
      await this.tx.manager.query('RELEASE SAVEPOINT camt054_entry');
      result.matched.push(matched);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await this.tx.manager.query('ROLLBACK TO SAVEPOINT camt054_entry');
      // Another upload of the same entry committed after the check above: applied once, there.
      if (error.extensions.alreadyApplied === true) result.alreadyApplied.push(matched);
      else result.unmatched.push({ ...matched, reason: error.detail });
    }
  }

  /**
   * Midday of the bank's booking day (today when the file gives none) in the program's time
   * zone — or now, if that is earlier — as the moment recorded as paid: its business date in that
   * zone is the booking day itself, also for zones far from UTC. Null for a day after today.
   */
  private async bookingMoment(
    programId: string | null,
    bookedOn: string | null,
  ): Promise<Date | null> {
    // UTC for a drawdown on a pledge outside any program, as the overdue sweep counts it.
    const [row] = (await this.tx.manager.query(
      `SELECT d > (now() AT TIME ZONE zone)::date AS future,
              LEAST((d + time '12:00') AT TIME ZONE zone, now()) AS at
         FROM COALESCE((SELECT timezone FROM programs WHERE id = $1), 'UTC') AS zone,
              COALESCE($2::date, (now() AT TIME ZONE zone)::date) AS d`,
      [programId, bookedOn],
    )) as Array<{ future: boolean; at: Date }>;
    return row.future ? null : new Date(row.at);
  }
}
