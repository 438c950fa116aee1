import { Injectable } from '@nestjs/common';
import { systemActor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { OrganizationKind } from '../../common/auth/roles';
import { Decimal } from '../../common/money/decimal';
import { TransactionHost } from '../../database/transaction-host';
import { Ledger } from '../../ledger/ledger';
import { poolRefundEntry } from '../../ledger/pool-entries';
import { poolRefundShare } from './pool-payout';

/** The financing a recovery came in on (a subset of Financing). */
export interface RecoveringFinancing {
  id: string;
  reference: string;
  financierId: string;
  currency: string;
}

/**
 * Money that reaches a financing after its pool paid towards it (a recourse payment, or the
 * anchor paying late) is shared with the pool in the proportion the pool bore of the loss; the
 * financier would otherwise be paid twice for the same loss. Called by financing inside its own
 * transaction, so the refund commits with the payment that caused it.
 */
@Injectable()
export class PoolRecoveries {
  constructor(
    private readonly tx: TransactionHost,
    private readonly ledger: Ledger,
    private readonly audit: AuditTrail,
  ) {}

  /** Returns what went back to the pool (null: the financing had no paid claim). */
  async shareRecovery(
    financing: RecoveringFinancing,
    amount: string,
    receivedOn: string,
  ): Promise<string | null> {
    if (!new Decimal(amount).gt('0')) return null;
    const [claim] = (await this.tx.manager.query(
      `SELECT id, program_id, payout::text AS payout, loss::text AS loss,
              recovered_since::text AS recovered_since, returned::text AS returned
         FROM pool_claims WHERE financing_id = $1 AND status = 'APPROVED' AND payout > 0
          FOR UPDATE`,
      [financing.id],
    )) as Array<{
      id: string;
      program_id: string;
      payout: string;
      loss: string;
      recovered_since: string;
      returned: string;
    }>;
    if (!claim) return null;
    const currency = financing.currency.trim();
    const recoveredTotal = new Decimal(claim.recovered_since).plus(amount).toFixed();
    const share = poolRefundShare({
      recoveredTotal,
      payout: claim.payout,
      loss: claim.loss,
      alreadyReturned: claim.returned,
      currency,
    });
    await this.tx.manager.query(
      `UPDATE pool_claims SET recovered_since = $2, returned = returned + $3 WHERE id = $1`,
      [claim.id, recoveredTotal, share],
    );
    if (!new Decimal(share).gt('0')) return share;
    const [platform] = (await this.tx.manager.query(
      `SELECT id FROM organizations WHERE kind = 'PLATFORM' ORDER BY created_at LIMIT 1`,
    )) as Array<{ id: string }>;
    await this.ledger.post(
      poolRefundEntry({
        financingId: financing.id,
        currency,
        platformId: platform.id,
        financierId: financing.financierId,
        amount: share,
        paidOn: receivedOn,
        memo: `Recovery on ${financing.reference} after the pool's payout: the pool's share`,
      }),
    );
    await this.audit.record({
      actor: systemActor(financing.financierId, OrganizationKind.FINANCIER),
      action: 'risk_pool.recovery_shared',
      entityType: 'pool_claim',
      entityId: claim.id,
      data: {
        financingId: financing.id,
        programId: claim.program_id,
        recovered: amount,
        returned: share,
      },
    });
    return share;
  }
}
