import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { paginate, type Page, type PageQuery } from '../../common/pagination/page';
import { visibleTo } from '../../common/tenancy/visibility';
import { TransactionHost } from '../../database/transaction-host';
import { programDate } from '../../programs/program-date';
import { GuaranteeClaim, GuaranteeStatus, ProgramGuarantee } from './guarantee.entities';
import { AT_RISK_FINANCING_STATUSES, guaranteeUsedSql } from './guarantee-usage';

const AT_RISK = AT_RISK_FINANCING_STATUSES.map((status) => `'${status}'`).join(',');

export interface GuaranteeUsage {
  used: string;
  coveredFinancings: number;
}

export interface NewGuarantee {
  programId: string;
  guarantorId: string;
  financierId: string | null;
  currency: string;
  coverageRatio: string;
  capAmount: string;
  validFrom: string;
  validTo: string;
  proposedBy: string | null;
}

/** A financing's cover with the terms of its guarantee. */
export interface FinancingCover {
  guaranteeId: string;
  guarantorId: string;
  coverageRatio: string;
  coveredAmount: string;
}

/** Guarantees, their covers and claims. Tenant reads go through `visibleTo`. */
@Injectable()
export class GuaranteesRepository {
  constructor(private readonly tx: TransactionHost) {}

  findVisible(
    actor: Actor,
    id: string,
    options: { lock?: boolean } = {},
  ): Promise<ProgramGuarantee | null> {
    const qb = visibleTo(this.tx.manager, ProgramGuarantee, 'g', actor).andWhere('g.id = :id', {
      id,
    });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  list(
    actor: Actor,
    filter: { programId?: string; status?: GuaranteeStatus },
    query: PageQuery,
  ): Promise<Page<ProgramGuarantee>> {
    const qb = visibleTo(this.tx.manager, ProgramGuarantee, 'g', actor);
    if (filter.programId) qb.andWhere('g.program_id = :programId', { programId: filter.programId });
    if (filter.status) qb.andWhere('g.status = :status', { status: filter.status });
    return paginate(qb, { alias: 'g', column: 'created_at', property: 'createdAt', query });
  }

  async insert(guarantee: NewGuarantee): Promise<string> {
    const [{ id }] = (await this.tx.manager.query(
      `INSERT INTO program_guarantees (program_id, guarantor_id, financier_id, currency, coverage_ratio,
                                       cap_amount, valid_from, valid_to, status, proposed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'PROPOSED', $9) RETURNING id`,
      [
        guarantee.programId,
        guarantee.guarantorId,
        guarantee.financierId,
        guarantee.currency,
        guarantee.coverageRatio,
        guarantee.capAmount,
        guarantee.validFrom,
        guarantee.validTo,
        guarantee.proposedBy,
      ],
    )) as Array<{ id: string }>;
    return id;
  }

  /** PROPOSED → ACTIVE; false when it was no longer PROPOSED. */
  async activate(id: string, by: string | null): Promise<boolean> {
    const [, affected] = (await this.tx.manager.query(
      `UPDATE program_guarantees SET status = 'ACTIVE', accepted_by = $2, accepted_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'PROPOSED'`,
      [id, by],
    )) as [unknown, number];
    return affected === 1;
  }

  async withdraw(id: string, reason: string): Promise<boolean> {
    const [, affected] = (await this.tx.manager.query(
      `UPDATE program_guarantees SET status = 'WITHDRAWN', withdrawn_at = now(), withdrawal_reason = $2, updated_at = now()
        WHERE id = $1 AND status IN ('PROPOSED', 'ACTIVE')`,
      [id, reason],
    )) as [unknown, number];
    return affected === 1;
  }

  /** What each guarantee has taken of its cap, and how many financings it covers at risk now. */
  async usage(ids: readonly string[]): Promise<Map<string, GuaranteeUsage>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.tx.manager.query(
      `SELECT g.id, ${guaranteeUsedSql('g')}::text AS used,
              (SELECT count(*)::int FROM financing_guarantees fg JOIN financings f ON f.id = fg.financing_id
                WHERE fg.guarantee_id = g.id AND f.status IN (${AT_RISK}))
                AS covered_financings
         FROM program_guarantees g WHERE g.id = ANY($1::uuid[])`,
      [ids],
    )) as Array<{ id: string; used: string; covered_financings: number }>;
    return new Map(
      rows.map((row) => [row.id, { used: row.used, coveredFinancings: row.covered_financings }]),
    );
  }

  /** The guarantee locked (it serialises every cover taken of its cap), with what it has left. */
  async lockForCover(
    id: string,
  ): Promise<{ status: GuaranteeStatus; available: string; currency: string } | null> {
    await this.tx.manager.query(`SELECT 1 FROM program_guarantees WHERE id = $1 FOR UPDATE`, [id]);
    const [row] = (await this.tx.manager.query(
      `SELECT g.status, g.currency, (g.cap_amount - ${guaranteeUsedSql('g')})::text AS available
         FROM program_guarantees g WHERE g.id = $1`,
      [id],
    )) as Array<{ status: GuaranteeStatus; currency: string; available: string }>;
    return row ?? null;
  }

  async insertCover(
    financingId: string,
    guaranteeId: string,
    coveredAmount: string,
  ): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO financing_guarantees (financing_id, guarantee_id, covered_amount) VALUES ($1, $2, $3)`,
      [financingId, guaranteeId, coveredAmount],
    );
  }

  async coverOf(financingId: string): Promise<FinancingCover | null> {
    const [row] = (await this.tx.manager.query(
      `SELECT fg.guarantee_id, g.guarantor_id, g.coverage_ratio::text AS coverage_ratio,
              fg.covered_amount::text AS covered_amount
         FROM financing_guarantees fg JOIN program_guarantees g ON g.id = fg.guarantee_id
        WHERE fg.financing_id = $1`,
      [financingId],
    )) as Array<{
      guarantee_id: string;
      guarantor_id: string;
      coverage_ratio: string;
      covered_amount: string;
    }>;
    return row
      ? {
          guaranteeId: row.guarantee_id,
          guarantorId: row.guarantor_id,
          coverageRatio: row.coverage_ratio,
          coveredAmount: row.covered_amount,
        }
      : null;
  }

  async insertClaim(claim: {
    guaranteeId: string;
    financingId: string;
    financierId: string;
    guarantorId: string;
    loss: string;
    amount: string;
  }): Promise<string> {
    const [{ id }] = (await this.tx.manager.query(
      `INSERT INTO guarantee_claims (guarantee_id, financing_id, financier_id, guarantor_id, status, loss, amount)
       VALUES ($1, $2, $3, $4, 'CLAIMED', $5, $6) RETURNING id`,
      [
        claim.guaranteeId,
        claim.financingId,
        claim.financierId,
        claim.guarantorId,
        claim.loss,
        claim.amount,
      ],
    )) as Array<{ id: string }>;
    return id;
  }

  /** The guarantees' claims, in one read; a financier's view holds its own only. */
  claims(guaranteeIds: readonly string[], financierId: string | null): Promise<GuaranteeClaim[]> {
    if (guaranteeIds.length === 0) return Promise.resolve([]);
    const qb = this.tx.manager
      .createQueryBuilder(GuaranteeClaim, 'c')
      .where('c.guarantee_id = ANY(:guaranteeIds)', { guaranteeIds })
      .orderBy('c.created_at', 'ASC')
      .addOrderBy('c.id', 'ASC');
    if (financierId !== null) qb.andWhere('c.financier_id = :financierId', { financierId });
    return qb.getMany();
  }

  claim(id: string, options: { lock?: boolean } = {}): Promise<GuaranteeClaim | null> {
    const qb = this.tx.manager.createQueryBuilder(GuaranteeClaim, 'c').where('c.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  async markPaid(
    id: string,
    paid: { paidAt: Date; bankReference: string; recordedBy: string | null },
  ): Promise<boolean> {
    const [, affected] = (await this.tx.manager.query(
      `UPDATE guarantee_claims SET status = 'PAID', paid_at = $2, bank_reference = $3, recorded_by = $4
        WHERE id = $1 AND status = 'CLAIMED'`,
      [id, paid.paidAt, paid.bankReference, paid.recordedBy],
    )) as [unknown, number];
    return affected === 1;
  }

  /** The financiers a guarantee benefits: its one financier, or every financier of the program. */
  async beneficiaries(guarantee: ProgramGuarantee): Promise<string[]> {
    if (guarantee.financierId !== null) return [guarantee.financierId];
    const rows = (await this.tx.manager.query(
      `SELECT financier_id FROM program_financiers WHERE program_id = $1 ORDER BY financier_id`,
      [guarantee.programId],
    )) as Array<{ financier_id: string }>;
    return rows.map((row) => row.financier_id);
  }

  /** A day of business meaning in the program's time zone. */
  programDate(programId: string, moment: Date | null = null): Promise<string> {
    return programDate(this.tx.manager, programId, moment);
  }
}
