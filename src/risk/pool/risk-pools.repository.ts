import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import { PoolClaim, PoolContribution, RiskPool } from './risk-pool.entities';

@Injectable()
export class RiskPoolsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** The pool row, locked when money is about to move in or out of it. */
  pool(programId: string, options: { lock?: boolean } = {}): Promise<RiskPool | null> {
    const qb = this.tx.manager
      .createQueryBuilder(RiskPool, 'p')
      .where('p.program_id = :programId', { programId });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  async upsert(pool: {
    programId: string;
    currency: string;
    coverageRatio: string;
    capPerLoss: string;
    claimAfterOverdueDays: number | null;
  }): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO risk_pools (program_id, currency, coverage_ratio, cap_per_loss, claim_after_overdue_days)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (program_id) DO UPDATE
          SET coverage_ratio = EXCLUDED.coverage_ratio, cap_per_loss = EXCLUDED.cap_per_loss,
              claim_after_overdue_days = EXCLUDED.claim_after_overdue_days, updated_at = now()`,
      [
        pool.programId,
        pool.currency,
        pool.coverageRatio,
        pool.capPerLoss,
        pool.claimAfterOverdueDays,
      ],
    );
  }

  /** Contributed less paid out plus returned from later recoveries: what the pool can still pay. */
  async balance(programId: string): Promise<string> {
    const [row] = (await this.tx.manager.query(
      `SELECT ((SELECT COALESCE(sum(amount), 0) FROM pool_contributions WHERE program_id = $1)
             - (SELECT COALESCE(sum(payout - returned), 0) FROM pool_claims WHERE program_id = $1 AND status = 'APPROVED'))::text AS balance`,
      [programId],
    )) as Array<{ balance: string }>;
    return row.balance;
  }

  contributions(programId: string): Promise<PoolContribution[]> {
    return this.tx.manager.find(PoolContribution, {
      where: { programId },
      order: { contributedAt: 'ASC', id: 'ASC' },
    });
  }

  claims(programId: string, financierId: string | null): Promise<PoolClaim[]> {
    return this.tx.manager.find(PoolClaim, {
      where: financierId === null ? { programId } : { programId, financierId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  claim(id: string, options: { lock?: boolean } = {}): Promise<PoolClaim | null> {
    const qb = this.tx.manager.createQueryBuilder(PoolClaim, 'c').where('c.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }
}
