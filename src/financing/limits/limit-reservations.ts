import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { TransactionHost } from '../../database/transaction-host';

export interface LimitHolder {
  /** Null for a drawdown on a pledge outside any program: its lending value is its only limit. */
  programId: string | null;
  financierId: string;
  supplierId: string;
  /** The advance amount: what a financing takes of its financier's limits. */
  amount: string;
}

/**
 * The financier's limits, moved by conditional UPDATEs that cannot overshoot: the row is
 * locked by the UPDATE and its WHERE is re-checked on the newest version, so under any number
 * of concurrent acceptances reserved + used stays within the program limit and the supplier
 * sub-limit (the financier's own for that supplier when it set one, else its program-wide one). A refusal throws, and the caller's transaction rolls back whatever moved before.
 */
@Injectable()
export class LimitReservations {
  constructor(private readonly tx: TransactionHost) {}

  async reserve(holder: LimitHolder): Promise<void> {
    if (holder.programId === null) return;
    const program = (await this.tx.manager.query(
      `UPDATE program_financiers
          SET reserved_amount = reserved_amount + $3
        WHERE program_id = $1 AND financier_id = $2
          AND limit_amount IS NOT NULL
          AND reserved_amount + used_amount + $3 <= limit_amount
        RETURNING COALESCE(
                    (SELECT s.amount FROM supplier_sub_limits s
                      WHERE s.program_id = $1 AND s.financier_id = $2 AND s.supplier_id = $4),
                    supplier_sub_limit)::text AS supplier_sub_limit`,
      [holder.programId, holder.financierId, holder.amount, holder.supplierId],
    )) as [Array<{ supplier_sub_limit: string | null }>, number];
    if (program[1] !== 1)
      throw new DomainError(
        ErrorCode.LIMIT_EXCEEDED,
        'The financier’s available limit in this program is not enough for this financing any more.',
        { limit: 'PROGRAM' },
      );
    const subLimit = program[0][0].supplier_sub_limit;
    const supplier = (await this.tx.manager.query(
      `INSERT INTO supplier_limit_usage AS u (program_id, financier_id, supplier_id, reserved_amount, used_amount)
       SELECT $1, $2, $3, $4, 0 WHERE $5::numeric IS NULL OR $4::numeric <= $5::numeric
       ON CONFLICT (program_id, financier_id, supplier_id) DO UPDATE
          SET reserved_amount = u.reserved_amount + EXCLUDED.reserved_amount
        WHERE $5::numeric IS NULL OR u.reserved_amount + u.used_amount + EXCLUDED.reserved_amount <= $5::numeric
       RETURNING 1`,
      [holder.programId, holder.financierId, holder.supplierId, holder.amount, subLimit],
    )) as unknown[];
    if (supplier.length !== 1)
      throw new DomainError(
        ErrorCode.LIMIT_EXCEEDED,
        'The financier’s available limit for this supplier is not enough for this financing any more.',
        { limit: 'SUPPLIER' },
      );
  }

  /** On payout: the reservation becomes use. */
  async use(holder: LimitHolder): Promise<void> {
    await this.move(
      holder,
      'reserved_amount = reserved_amount - $4, used_amount = used_amount + $4',
    );
  }

  /** A financing that ends before payout gives its reservation back. */
  async releaseReserved(holder: LimitHolder): Promise<void> {
    await this.move(holder, 'reserved_amount = reserved_amount - $4');
  }

  /** A financing repaid, recovered or written off gives its use back. */
  async releaseUsed(holder: LimitHolder): Promise<void> {
    await this.move(holder, 'used_amount = used_amount - $4');
  }

  private async move(holder: LimitHolder, assignment: string): Promise<void> {
    if (holder.programId === null) return;
    const params = [holder.programId, holder.financierId, holder.supplierId, holder.amount];
    // The CHECKs (>= 0) refuse a release of more than is held: a bug, never a business outcome.
    await this.tx.manager.query(
      `WITH program AS (
         UPDATE program_financiers SET ${assignment}
          WHERE program_id = $1 AND financier_id = $2
       )
       UPDATE supplier_limit_usage SET ${assignment}
        WHERE program_id = $1 AND financier_id = $2 AND supplier_id = $3`,
      params,
    );
  }
}
