import { Injectable } from '@nestjs/common';
import { fieldError, unknownParty } from '../../common/errors/field-error';
import { actorId, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { OrganizationKind } from '../../common/auth/roles';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Decimal } from '../../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../../common/money/money';
import type { Page, PageQuery } from '../../common/pagination/page';
import { foundOr404, notFound } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { refuseFutureMoment } from '../../financing/past-moment';
import { guaranteePaymentEntry } from '../../ledger/guarantee-entries';
import { Ledger } from '../../ledger/ledger';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { ProgramsRepository } from '../../programs/programs.repository';
import type {
  ProposeGuaranteeDto,
  SettleGuaranteeClaimDto,
  WithdrawGuaranteeDto,
} from './guarantee.dto';
import { GuaranteeStatus, type ProgramGuarantee } from './guarantee.entities';
import { GuaranteeClaimView, GuaranteeView } from './guarantee.view';
import { GuaranteesRepository } from './guarantees.repository';

const percent = (ratio: string): string => `${new Decimal(ratio).times('100').toFixed()} %`;

/**
 * Guarantees (担保) on a program's financings: the platform registers the terms agreed with a
 * guarantor, the guarantor accepts them (its money is at stake, so only it turns them ACTIVE),
 * either may withdraw. Claims are recorded by the write-off (GuaranteeCoverage); the financier
 * records the guarantor's payment here.
 */
@Injectable()
export class Guarantees {
  constructor(
    private readonly tx: TransactionHost,
    private readonly guarantees: GuaranteesRepository,
    private readonly programs: ProgramsRepository,
    private readonly ledger: Ledger,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async propose(actor: Actor, programId: string, dto: ProposeGuaranteeDto): Promise<GuaranteeView> {
    const id = await this.tx.run(async () => {
      const program = foundOr404(
        await this.programs.findVisible(actor, programId),
        'Program',
        programId,
      );
      const currency = program.currency.trim();
      if (!fitsMinorUnit(dto.capAmount, currency))
        throw fieldError('capAmount', 'IS_DECIMAL_STRING', `more decimals than ${currency} allows`);
      if (dto.validTo < dto.validFrom)
        throw fieldError('validTo', 'BEFORE_VALID_FROM', 'validTo is before validFrom');
      if (dto.validTo < (await this.guarantees.programDate(programId)))
        throw fieldError('validTo', 'IN_THE_PAST', 'the guarantee would have ended already');
      const [guarantor] = (await this.tx.manager.query(
        `SELECT kind FROM organizations WHERE id = $1`,
        [dto.guarantorId],
      )) as Array<{ kind: string }>;
      if (guarantor?.kind !== OrganizationKind.GUARANTOR)
        throw unknownParty('guarantorId', 'guarantorId names no guarantor organisation');
      if (dto.financierId !== undefined) {
        const [member] = (await this.tx.manager.query(
          `SELECT 1 FROM program_financiers WHERE program_id = $1 AND financier_id = $2`,
          [programId, dto.financierId],
        )) as unknown[];
        if (!member)
          throw unknownParty('financierId', 'financierId is no financier of the program');
      }
      const id = await this.guarantees.insert({
        programId,
        guarantorId: dto.guarantorId,
        financierId: dto.financierId ?? null,
        currency,
        coverageRatio: dto.coverageRatio,
        capAmount: dto.capAmount,
        validFrom: dto.validFrom,
        validTo: dto.validTo,
        proposedBy: actorId(actor),
      });
      const eventId = await this.audit.record({
        actor,
        action: 'guarantee.proposed',
        entityType: 'guarantee',
        entityId: id,
        data: { programId, ...dto, capAmount: formatMoney(dto.capAmount, currency) },
      });
      await this.notifier.notify({
        organizationId: dto.guarantorId,
        eventId,
        type: NotificationType.GUARANTEE_PROPOSED,
        title: `A guarantee of ${percent(dto.coverageRatio)} on program ${program.name} (cap ${currency} ${formatMoney(dto.capAmount, currency)}) awaits your acceptance`,
        data: { guaranteeId: id, programId },
      });
      return id;
    });
    return this.view(actor, id);
  }

  async accept(actor: Actor, id: string): Promise<GuaranteeView> {
    await this.tx.run(async () => {
      const guarantee = await this.visible(actor, id, true);
      if (!(await this.guarantees.activate(id, actorId(actor))))
        throw this.invalid(guarantee, GuaranteeStatus.ACTIVE);
      const eventId = await this.audit.record({
        actor,
        action: 'guarantee.accepted',
        entityType: 'guarantee',
        entityId: id,
        data: { programId: guarantee.programId },
      });
      await this.tell(
        guarantee,
        eventId,
        NotificationType.GUARANTEE_ACTIVE,
        'is now in force',
        false,
      );
    });
    return this.view(actor, id);
  }

  async withdraw(actor: Actor, id: string, dto: WithdrawGuaranteeDto): Promise<GuaranteeView> {
    await this.tx.run(async () => {
      const guarantee = await this.visible(actor, id, true);
      if (!(await this.guarantees.withdraw(id, dto.reason)))
        throw this.invalid(guarantee, GuaranteeStatus.WITHDRAWN);
      const eventId = await this.audit.record({
        actor,
        action: 'guarantee.withdrawn',
        entityType: 'guarantee',
        entityId: id,
        data: { programId: guarantee.programId, reason: dto.reason },
      });
      await this.tell(
        guarantee,
        eventId,
        NotificationType.GUARANTEE_WITHDRAWN,
        'was withdrawn; financings it covers stay covered',
        true,
      );
    });
    return this.view(actor, id);
  }

  async view(actor: Actor, id: string): Promise<GuaranteeView> {
    const guarantee = await this.visible(actor, id, false);
    const [usage, claims] = [
      await this.guarantees.usage([id]),
      await this.guarantees.claims([id], this.ownClaimsOnly(actor)),
    ];
    return GuaranteeView.of(guarantee, usage.get(id), claims);
  }

  async list(
    actor: Actor,
    filter: { programId?: string; status?: GuaranteeStatus },
    query: PageQuery,
  ): Promise<Page<GuaranteeView>> {
    const page = await this.guarantees.list(actor, filter, query);
    const ids = page.items.map((guarantee) => guarantee.id);
    const [usage, claims] = [
      await this.guarantees.usage(ids),
      await this.guarantees.claims(ids, this.ownClaimsOnly(actor)),
    ];
    return {
      items: page.items.map((guarantee) =>
        GuaranteeView.of(
          guarantee,
          usage.get(guarantee.id),
          claims.filter((claim) => claim.guaranteeId === guarantee.id),
        ),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /** The financier records the guarantor's payment of its claim (ledger GUARANTEE_PAYMENT). */
  async settleClaim(
    actor: Actor,
    claimId: string,
    dto: SettleGuaranteeClaimDto,
  ): Promise<GuaranteeClaimView> {
    return this.tx.run(async () => {
      const claim = await this.guarantees.claim(claimId, { lock: true });
      // Another financier's claim answers as if it did not exist.
      if (claim === null || claim.financierId !== actor.organizationId)
        throw notFound('Guarantee claim', claimId);
      if (claim.status !== 'CLAIMED')
        throw new DomainError(
          ErrorCode.INVALID_STATE_TRANSITION,
          `Guarantee claim ${claimId} is ${claim.status} already.`,
          { status: claim.status },
        );
      const paidAt = new Date(dto.paidAt);
      refuseFutureMoment('paidAt', paidAt);
      const [guarantee] = (await this.tx.manager.query(
        `SELECT g.program_id, g.currency, f.reference FROM program_guarantees g, financings f
          WHERE g.id = $1 AND f.id = $2`,
        [claim.guaranteeId, claim.financingId],
      )) as Array<{ program_id: string; currency: string; reference: string }>;
      const currency = guarantee.currency.trim();
      await this.guarantees.markPaid(claimId, {
        paidAt,
        bankReference: dto.bankReference,
        recordedBy: actorId(actor),
      });
      const amount = formatMoney(claim.amount, currency);
      await this.ledger.post(
        guaranteePaymentEntry({
          financingId: claim.financingId,
          currency,
          financierId: claim.financierId,
          guarantorId: claim.guarantorId,
          amount,
          paidOn: await this.guarantees.programDate(guarantee.program_id, paidAt),
          memo: `Guarantee claim on ${guarantee.reference} paid (${dto.bankReference})`,
        }),
      );
      const eventId = await this.audit.record({
        actor,
        action: 'guarantee.claim_paid',
        entityType: 'guarantee_claim',
        entityId: claimId,
        data: { financingId: claim.financingId, amount, bankReference: dto.bankReference },
      });
      await this.notifier.notify({
        organizationId: claim.guarantorId,
        eventId,
        type: NotificationType.GUARANTEE_CLAIM_PAID,
        title: `Your payment of ${currency} ${amount} on the claim for ${guarantee.reference} was received`,
        data: { claimId, financingId: claim.financingId },
      });
      return GuaranteeClaimView.of((await this.guarantees.claim(claimId))!, currency);
    });
  }

  private async visible(actor: Actor, id: string, lock: boolean): Promise<ProgramGuarantee> {
    return foundOr404(await this.guarantees.findVisible(actor, id, { lock }), 'Guarantee', id);
  }

  private ownClaimsOnly(actor: Actor): string | null {
    return actor.organizationKind === OrganizationKind.FINANCIER ? actor.organizationId : null;
  }

  private invalid(guarantee: ProgramGuarantee, to: GuaranteeStatus): DomainError {
    return new DomainError(
      ErrorCode.INVALID_STATE_TRANSITION,
      `Guarantee ${guarantee.id} is ${guarantee.status}: it cannot become ${to}.`,
      { status: guarantee.status, to },
    );
  }

  /** The anchor and the financiers it benefits (and the guarantor, when asked) hear of it. */
  private async tell(
    guarantee: ProgramGuarantee,
    eventId: string,
    type: NotificationType,
    what: string,
    guarantorToo: boolean,
  ): Promise<void> {
    const [program] = (await this.tx.manager.query(
      `SELECT anchor_id, name FROM programs WHERE id = $1`,
      [guarantee.programId],
    )) as Array<{ anchor_id: string; name: string }>;
    const parties = [
      program.anchor_id,
      ...(await this.guarantees.beneficiaries(guarantee)),
      ...(guarantorToo ? [guarantee.guarantorId] : []),
    ];
    const ratio = percent(guarantee.coverageRatio);
    for (const organizationId of new Set(parties))
      await this.notifier.notify({
        organizationId,
        eventId,
        type,
        title: `The ${ratio} guarantee on program ${program.name} ${what}`,
        data: { guaranteeId: guarantee.id, programId: guarantee.programId },
      });
  }
}
