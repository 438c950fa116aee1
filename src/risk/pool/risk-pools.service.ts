import { Injectable } from '@nestjs/common';
import { fieldError } from '../../common/errors/field-error';
import { AuditTrail } from '../../common/audit/audit-trail';
import { actorId, type Actor } from '../../common/auth/actor';
import { OrganizationKind } from '../../common/auth/roles';
import { isUniqueViolation } from '../../common/errors/constraint-violation';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Decimal } from '../../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../../common/money/money';
import { foundOr404, notFound } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { FinancingsRepository } from '../../financing/financings/financings.repository';
import { Ledger } from '../../ledger/ledger';
import { poolContributionEntry, poolPayoutEntry } from '../../ledger/pool-entries';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { ProgramsRepository } from '../../programs/programs.repository';
import { guaranteeClaimAmount } from '../guarantees/guarantee-cover';
import { poolPayout } from './pool-payout';
import type { ConfigureRiskPoolDto, PoolClaimDto, PoolContributionDto } from './risk-pool.dto';
import { PoolClaim, type RiskPool } from './risk-pool.entities';
import { RiskPoolView } from './risk-pool.view';
import { RiskPoolsRepository } from './risk-pools.repository';

const CONTRIBUTOR_KINDS: readonly string[] = [
  OrganizationKind.PLATFORM,
  OrganizationKind.GUARANTOR,
  OrganizationKind.ANCHOR,
];

/**
 * A program's risk compensation pool: the platform sets its terms and records contributions
 * (ledger: POOL_CONTRIBUTION); a financier claims its loss on a written-off (or long overdue)
 * financing; a platform APPROVER approves, and the pool pays min(loss × ratio, cap, balance)
 * (ledger: POOL_PAYOUT). The pool row is locked whenever money moves in or out of it.
 */
@Injectable()
export class RiskPools {
  constructor(
    private readonly tx: TransactionHost,
    private readonly pools: RiskPoolsRepository,
    private readonly programs: ProgramsRepository,
    private readonly financings: FinancingsRepository,
    private readonly ledger: Ledger,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async configure(
    actor: Actor,
    programId: string,
    dto: ConfigureRiskPoolDto,
  ): Promise<RiskPoolView> {
    await this.tx.run(async () => {
      const program = foundOr404(
        await this.programs.findVisible(actor, programId),
        'Program',
        programId,
      );
      const currency = program.currency.trim();
      if (!fitsMinorUnit(dto.capPerLoss, currency))
        throw fieldError(
          'capPerLoss',
          'IS_DECIMAL_STRING',
          `more decimals than ${currency} allows`,
        );
      await this.pools.upsert({
        programId,
        currency,
        coverageRatio: dto.coverageRatio,
        capPerLoss: dto.capPerLoss,
        claimAfterOverdueDays: dto.claimAfterOverdueDays ?? null,
      });
      await this.audit.record({
        actor,
        action: 'risk_pool.configured',
        entityType: 'program',
        entityId: programId,
        data: { ...dto },
      });
    });
    return this.statement(actor, programId);
  }

  async statement(actor: Actor, programId: string): Promise<RiskPoolView> {
    if (
      !(await this.programs.findVisible(actor, programId)) &&
      !(await this.funds(actor, programId))
    )
      throw notFound('Program', programId);
    const pool = foundOr404(await this.pools.pool(programId), 'Risk pool', programId);
    // A financier sees its own claims; the anchor, a guarantor and the platform see them all; a
    // supplier none.
    const claims =
      actor.organizationKind === OrganizationKind.SUPPLIER
        ? []
        : await this.pools.claims(
            programId,
            actor.organizationKind === OrganizationKind.FINANCIER ? actor.organizationId : null,
          );
    const all = await this.pools.claims(programId, null);
    const view = RiskPoolView.of(pool, await this.pools.contributions(programId), all);
    return { ...view, claims: RiskPoolView.of(pool, [], claims).claims };
  }

  async contribute(
    actor: Actor,
    programId: string,
    dto: PoolContributionDto,
  ): Promise<RiskPoolView> {
    await this.tx.run(async () => {
      const pool = await this.lockedPool(actor, programId);
      const currency = pool.currency.trim();
      if (!fitsMinorUnit(dto.amount, currency))
        throw fieldError('amount', 'IS_DECIMAL_STRING', `more decimals than ${currency} allows`);
      const [contributor] = (await this.tx.manager.query(
        `SELECT kind FROM organizations WHERE id = $1`,
        [dto.contributorId],
      )) as Array<{ kind: string }>;
      if (!contributor || !CONTRIBUTOR_KINDS.includes(contributor.kind))
        throw new DomainError(
          ErrorCode.UNKNOWN_PARTY,
          'contributorId names no platform, guarantor or anchor.',
          {
            errors: [
              {
                field: 'contributorId',
                code: 'UNKNOWN_PARTY',
                message: 'not a possible contributor',
              },
            ],
          },
        );
      const [{ id }] = (await this.tx.manager.query(
        `INSERT INTO pool_contributions (program_id, contributor_id, amount, recorded_by) VALUES ($1, $2, $3, $4) RETURNING id`,
        [programId, dto.contributorId, dto.amount, actorId(actor)],
      )) as Array<{ id: string }>;
      await this.ledger.post(
        poolContributionEntry({
          currency,
          platformId: await this.platformId(),
          contributorId: dto.contributorId,
          amount: formatMoney(dto.amount, currency),
          contributedOn: await this.financings.programDate(programId),
          memo: `Contribution to the risk compensation pool of program ${programId}`,
        }),
      );
      await this.audit.record({
        actor,
        action: 'risk_pool.contribution',
        entityType: 'program',
        entityId: programId,
        data: {
          contributionId: id,
          contributorId: dto.contributorId,
          amount: formatMoney(dto.amount, currency),
        },
      });
    });
    return this.statement(actor, programId);
  }

  async claim(actor: Actor, programId: string, dto: PoolClaimDto): Promise<PoolClaim> {
    return this.tx.run(async () => {
      const pool = await this.lockedPool(actor, programId);
      const financing = foundOr404(
        await this.financings.findVisible(actor, dto.financingId, { lock: true }),
        'Financing',
        dto.financingId,
      );
      if (financing.financierId !== actor.organizationId)
        throw new DomainError(
          ErrorCode.FORBIDDEN,
          'Only the financing’s financier claims its loss.',
        );
      if (financing.programId !== programId)
        throw fieldError('financingId', 'NOT_IN_PROGRAM', 'the financing is not in this program');
      const loss = await this.loss(pool, financing.id, financing.status);
      try {
        const [{ id }] = (await this.tx.manager.query(
          `INSERT INTO pool_claims (program_id, financing_id, financier_id, status, basis, loss, requested_by)
           VALUES ($1, $2, $3, 'REQUESTED', $4, $5, $6) RETURNING id`,
          [programId, financing.id, financing.financierId, financing.status, loss, actorId(actor)],
        )) as Array<{ id: string }>;
        await this.audit.record({
          actor,
          action: 'risk_pool.claimed',
          entityType: 'pool_claim',
          entityId: id,
          data: {
            financingId: financing.id,
            reference: financing.reference,
            loss: formatMoney(loss, pool.currency.trim()),
          },
        });
        return (await this.pools.claim(id))!;
      } catch (error) {
        if (isUniqueViolation(error, 'pool_claims_financing_key'))
          throw new DomainError(
            ErrorCode.CONFLICT,
            `Financing ${financing.reference} is claimed already.`,
          );
        throw error;
      }
    });
  }

  async approve(actor: Actor, claimId: string): Promise<PoolClaim> {
    return this.tx.run(async () => {
      const claim = foundOr404(
        await this.pools.claim(claimId, { lock: true }),
        'Pool claim',
        claimId,
      );
      if (claim.status !== 'REQUESTED')
        throw new DomainError(
          ErrorCode.INVALID_STATE_TRANSITION,
          `Claim ${claimId} is ${claim.status}.`,
          {
            status: claim.status,
          },
        );
      const pool = (await this.pools.pool(claim.programId, { lock: true }))!;
      const currency = pool.currency.trim();
      const payout = poolPayout({
        loss: claim.loss,
        coverageRatio: pool.coverageRatio,
        capPerLoss: pool.capPerLoss,
        balance: await this.pools.balance(claim.programId),
        currency,
      });
      await this.tx.manager.query(
        `UPDATE pool_claims SET status = 'APPROVED', payout = $2, bound_by = $3, approved_by = $4, approved_at = now()
          WHERE id = $1`,
        [claimId, payout.payout, payout.boundBy, actorId(actor)],
      );
      if (new Decimal(payout.payout).gt('0'))
        await this.ledger.post(
          poolPayoutEntry({
            financingId: claim.financingId,
            currency,
            platformId: await this.platformId(),
            financierId: claim.financierId,
            amount: payout.payout,
            paidOn: await this.financings.programDate(claim.programId),
          }),
        );
      const eventId = await this.audit.record({
        actor,
        action: 'risk_pool.paid',
        entityType: 'pool_claim',
        entityId: claimId,
        data: {
          financingId: claim.financingId,
          loss: formatMoney(claim.loss, currency),
          ...payout,
        },
      });
      await this.notifier.notify({
        organizationId: claim.financierId,
        eventId,
        type: NotificationType.POOL_CLAIM_PAID,
        title: `Risk pool claim approved: ${currency} ${payout.payout} paid towards a loss of ${currency} ${formatMoney(claim.loss, currency)} (bound by ${payout.boundBy.toLowerCase()})`,
        data: { claimId, financingId: claim.financingId },
      });
      return (await this.pools.claim(claimId))!;
    });
  }

  /** A platform APPROVER refuses a claim: nothing is paid, and the financier may claim again. */
  async reject(actor: Actor, claimId: string, reason: string): Promise<PoolClaim> {
    return this.tx.run(async () => {
      const claim = foundOr404(
        await this.pools.claim(claimId, { lock: true }),
        'Pool claim',
        claimId,
      );
      if (claim.status !== 'REQUESTED')
        throw new DomainError(
          ErrorCode.INVALID_STATE_TRANSITION,
          `Claim ${claimId} is ${claim.status}.`,
          { status: claim.status },
        );
      await this.tx.manager.query(
        `UPDATE pool_claims SET status = 'REJECTED', rejected_by = $2, rejected_at = now(), rejection_reason = $3
          WHERE id = $1`,
        [claimId, actorId(actor), reason],
      );
      const eventId = await this.audit.record({
        actor,
        action: 'risk_pool.claim_rejected',
        entityType: 'pool_claim',
        entityId: claimId,
        data: { financingId: claim.financingId, reason },
      });
      await this.notifier.notify({
        organizationId: claim.financierId,
        eventId,
        type: NotificationType.POOL_CLAIM_REJECTED,
        title: `Risk pool claim rejected: ${reason}`,
        data: { claimId, financingId: claim.financingId },
      });
      return (await this.pools.claim(claimId))!;
    });
  }

  /**
   * WRITTEN_OFF: what was written off; OVERDUE past the pool's days: what is outstanding. Either
   * net of what a guarantee bears (its claim, or for an overdue financing the claim a write-off
   * would make): the pool shares the loss that is left (docs/guarantees.md).
   */
  private async loss(pool: RiskPool, financingId: string, status: string): Promise<string> {
    const [row] = (await this.tx.manager.query(
      `SELECT f.written_off_amount::text AS written_off, f.outstanding_amount::text AS outstanding,
              ((now() AT TIME ZONE COALESCE(p.timezone, 'UTC'))::date - f.maturity_date) AS days_overdue,
              gc.amount::text AS guarantee_claim, g.coverage_ratio::text AS coverage_ratio,
              fg.covered_amount::text AS covered_amount
         FROM financings f LEFT JOIN programs p ON p.id = f.program_id
         LEFT JOIN guarantee_claims gc ON gc.financing_id = f.id
         LEFT JOIN financing_guarantees fg ON fg.financing_id = f.id
         LEFT JOIN program_guarantees g ON g.id = fg.guarantee_id
        WHERE f.id = $1`,
      [financingId],
    )) as Array<{
      written_off: string;
      outstanding: string;
      days_overdue: number;
      guarantee_claim: string | null;
      coverage_ratio: string | null;
      covered_amount: string | null;
    }>;
    const currency = pool.currency.trim();
    let gross: string | null = null;
    let guaranteed = '0';
    if (status === 'WRITTEN_OFF' && new Decimal(row.written_off).gt('0')) {
      gross = row.written_off;
      guaranteed = row.guarantee_claim ?? '0';
    } else if (
      status === 'OVERDUE' &&
      pool.claimAfterOverdueDays !== null &&
      row.days_overdue >= pool.claimAfterOverdueDays &&
      new Decimal(row.outstanding).gt('0')
    ) {
      gross = row.outstanding;
      if (row.coverage_ratio !== null && row.covered_amount !== null)
        guaranteed = guaranteeClaimAmount({
          loss: row.outstanding,
          coverageRatio: row.coverage_ratio,
          coveredAmount: row.covered_amount,
          currency,
        });
    }
    if (gross === null)
      throw new DomainError(
        ErrorCode.INVALID_STATE_TRANSITION,
        pool.claimAfterOverdueDays === null
          ? `The financing is ${status}; this pool pays on write-offs only.`
          : `The financing is ${status}; the pool pays on a write-off or after ${pool.claimAfterOverdueDays} days overdue.`,
        { status },
      );
    const net = new Decimal(gross).minus(guaranteed);
    if (net.lte('0'))
      throw new DomainError(
        ErrorCode.INVALID_STATE_TRANSITION,
        'Its guarantee bears the whole loss: nothing is left for the pool.',
        { status, guaranteed: formatMoney(guaranteed, currency) },
      );
    return net.toFixed();
  }

  /**
   * A guarantor is no member of the program, yet its money is in the pool: it reads the statement
   * of a program it paid into or guarantees.
   */
  private async funds(actor: Actor, programId: string): Promise<boolean> {
    if (actor.organizationKind !== OrganizationKind.GUARANTOR) return false;
    const [row] = (await this.tx.manager.query(
      `SELECT EXISTS (SELECT 1 FROM pool_contributions WHERE program_id = $1 AND contributor_id = $2)
           OR EXISTS (SELECT 1 FROM program_guarantees WHERE program_id = $1 AND guarantor_id = $2) AS funds`,
      [programId, actor.organizationId],
    )) as Array<{ funds: boolean }>;
    return row.funds;
  }

  private async lockedPool(actor: Actor, programId: string): Promise<RiskPool> {
    foundOr404(await this.programs.findVisible(actor, programId), 'Program', programId);
    return foundOr404(await this.pools.pool(programId, { lock: true }), 'Risk pool', programId);
  }

  private async platformId(): Promise<string> {
    const [row] = (await this.tx.manager.query(
      `SELECT id FROM organizations WHERE kind = 'PLATFORM' ORDER BY created_at LIMIT 1`,
    )) as Array<{ id: string }>;
    return row.id;
  }
}
