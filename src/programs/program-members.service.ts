import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { OrganizationKind } from '../common/auth/roles';
import { AuditTrail } from '../common/audit/audit-trail';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { formatMoney, formatMoneyOrNull } from '../common/money/money';
import { foundOr404, notFound } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import { NotificationType, Notifier } from '../notifications/notifier';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import type { FinancierTermsDto } from './dto/financier-terms.dto';
import {
  FinancierTermsView,
  type FinancierInvitationView,
  type SupplierAcceptanceView,
  type SupplierInvitationView,
} from './dto/membership.view';
import { amountScaleErrors, financierTenorErrors, throwIfInvalid } from './program-rules';
import type { Program } from './program.entity';
import { ProgramsRepository } from './programs.repository';
import { assertAnchor } from './programs.service';

/**
 * Who takes part in a program: the anchor invites suppliers and financiers; a supplier's ADMIN
 * accepts (until then nothing of it is financeable); a financier joins by setting its terms.
 * Each change is one transaction with its audit event and the notification of the other side.
 */
@Injectable()
export class ProgramMembersService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly programs: ProgramsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async inviteSupplier(
    actor: Actor,
    programId: string,
    supplierId: string,
  ): Promise<SupplierInvitationView> {
    return this.tx.run(async () => {
      const program = await this.anchorsProgram(actor, programId);
      await this.assertKind(supplierId, OrganizationKind.SUPPLIER, 'supplierId');
      const invited = await this.programs.insertSupplier(programId, supplierId);
      if (!invited) throw alreadyMember('supplier', supplierId);
      const eventId = await this.audit.record({
        actor,
        action: 'program.supplier_invited',
        entityType: 'program',
        entityId: programId,
        data: { supplierId },
      });
      await this.notifier.notify({
        organizationId: supplierId,
        eventId,
        type: NotificationType.PROGRAM_INVITATION,
        title: `${await this.nameOf(actor.organizationId)} invites you to its program "${program.name}" (${program.currency})`,
        data: { programId, anchorId: program.anchorId, role: 'SUPPLIER' },
      });
      return {
        programId,
        supplierId,
        status: 'INVITED',
        invitedAt: invited.invitedAt.toISOString(),
      };
    });
  }

  /**
   * The supplier's ADMIN accepts its own invitation. Another organisation's membership is
   * answered 404 whatever it is: suppliers of a program do not see each other.
   */
  async acceptSupplier(
    actor: Actor,
    programId: string,
    supplierId: string,
  ): Promise<SupplierAcceptanceView> {
    if (supplierId !== actor.organizationId) throw notFound('Program supplier', supplierId);
    return this.tx.run(async () => {
      const program = foundOr404(
        await this.programs.findVisible(actor, programId),
        'Program',
        programId,
      );
      const accepted = await this.programs.activateSupplier(programId, supplierId);
      if (!accepted) {
        const membership = foundOr404(
          await this.programs.findSupplier(actor, programId, supplierId),
          'Program supplier',
          supplierId,
        );
        throw new DomainError(
          ErrorCode.INVALID_STATE_TRANSITION,
          `The invitation was already accepted; the membership is ${membership.status}.`,
          { currentStatus: membership.status },
        );
      }
      const eventId = await this.audit.record({
        actor,
        action: 'program.supplier_accepted',
        entityType: 'program',
        entityId: programId,
        data: { supplierId },
      });
      await this.notifier.notify({
        organizationId: program.anchorId,
        eventId,
        type: NotificationType.PROGRAM_MEMBER_JOINED,
        title: `${await this.nameOf(supplierId)} joined your program "${program.name}" as a supplier`,
        data: { programId, supplierId, role: 'SUPPLIER' },
      });
      return {
        programId,
        supplierId,
        status: 'ACTIVE',
        acceptedAt: accepted.acceptedAt.toISOString(),
      };
    });
  }

  async inviteFinancier(
    actor: Actor,
    programId: string,
    financierId: string,
  ): Promise<FinancierInvitationView> {
    return this.tx.run(async () => {
      const program = await this.anchorsProgram(actor, programId);
      await this.assertKind(financierId, OrganizationKind.FINANCIER, 'financierId');
      const invited = await this.programs.insertFinancier(programId, financierId);
      if (!invited) throw alreadyMember('financier', financierId);
      const eventId = await this.audit.record({
        actor,
        action: 'program.financier_invited',
        entityType: 'program',
        entityId: programId,
        data: { financierId },
      });
      await this.notifier.notify({
        organizationId: financierId,
        eventId,
        type: NotificationType.PROGRAM_INVITATION,
        title: `${await this.nameOf(actor.organizationId)} invites you to finance its program "${program.name}" (${program.currency})`,
        data: { programId, anchorId: program.anchorId, role: 'FINANCIER' },
      });
      return {
        programId,
        financierId,
        status: 'INVITED',
        invitedAt: invited.invitedAt.toISOString(),
      };
    });
  }

  /**
   * The financier's ADMIN sets (or replaces) its own terms; the first terms make it ACTIVE.
   * The anchor is told that the financier joined or changed its terms, never the terms
   * themselves (they stay between the financier and the platform).
   */
  async setFinancierTerms(
    actor: Actor,
    programId: string,
    financierId: string,
    dto: FinancierTermsDto,
  ): Promise<FinancierTermsView> {
    if (financierId !== actor.organizationId) throw notFound('Program financier', financierId);
    return this.tx.run(async () => {
      const program = foundOr404(
        await this.programs.findVisible(actor, programId),
        'Program',
        programId,
      );
      const membership = foundOr404(
        await this.programs.findFinancierForUpdate(actor, programId, financierId),
        'Program financier',
        financierId,
      );
      throwIfInvalid([
        ...amountScaleErrors(
          { limit: dto.limit, supplierSubLimit: dto.supplierSubLimit },
          program.currency,
        ),
        ...financierTenorErrors(dto, program.maxTenorDays),
      ]);
      const before = FinancierTermsView.of(membership, program.currency);
      // The same terms again (a retried PUT) change nothing and leave no trace.
      if (membership.status === 'ACTIVE' && sameTerms(before, dto, program.currency)) return before;
      const saved = await this.programs.saveFinancierTerms(programId, financierId, {
        limitAmount: dto.limit,
        supplierSubLimit: dto.supplierSubLimit ?? null,
        marginBps: dto.marginBps,
        minTenorDays: dto.minTenorDays,
        maxTenorDays: dto.maxTenorDays,
        active: dto.active,
      });
      const after = FinancierTermsView.of(saved, program.currency);
      const eventId = await this.audit.record({
        actor,
        action: 'program.financier_terms_set',
        entityType: 'program',
        entityId: programId,
        data: { financierId, before: termsOnly(before), after: termsOnly(after) },
      });
      const joined = membership.status === 'INVITED';
      const financierName = await this.nameOf(financierId);
      await this.notifier.notify({
        organizationId: program.anchorId,
        eventId,
        type: joined ? NotificationType.PROGRAM_MEMBER_JOINED : NotificationType.PROGRAM_CHANGED,
        title: joined
          ? `${financierName} joined your program "${program.name}" as a financier`
          : `${financierName} changed its terms in your program "${program.name}"`,
        data: { programId, financierId, role: 'FINANCIER', active: after.active },
      });
      return after;
    });
  }

  /** The program, if the actor is its anchor: 404 when it cannot see it, 403 when only a member. */
  private async anchorsProgram(actor: Actor, programId: string): Promise<Program> {
    const program = foundOr404(
      await this.programs.findVisible(actor, programId),
      'Program',
      programId,
    );
    assertAnchor(actor, program);
    return program;
  }

  /**
   * The invitee must be an organisation of the right kind. A missing one and one of another kind
   * get the same answer, so the check reveals nothing about ids the anchor cannot see.
   */
  private async assertKind(id: string, kind: OrganizationKind, field: string): Promise<void> {
    const organization = await this.organizations.findByIdInternal(id);
    if (organization?.kind === kind) return;
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field} names no ${kind} organisation.`, {
      errors: [
        {
          field,
          code: `NOT_A_${kind}`,
          message: `${field} must be the id of a ${kind} organisation`,
        },
      ],
    });
  }

  /** Not scoped: the name of a party to this very program, for the other party's notification. */
  private async nameOf(organizationId: string): Promise<string> {
    return (await this.organizations.findByIdInternal(organizationId))?.name ?? organizationId;
  }
}

function alreadyMember(role: 'supplier' | 'financier', id: string): DomainError {
  return new DomainError(
    ErrorCode.ALREADY_MEMBER,
    `The ${role} ${id} is already invited to or active in this program.`,
  );
}

function termsOnly(
  view: FinancierTermsView,
): Omit<FinancierTermsView, 'programId' | 'financierId'> {
  const { programId: _programId, financierId: _financierId, ...terms } = view;
  return terms;
}

function sameTerms(current: FinancierTermsView, dto: FinancierTermsDto, currency: string): boolean {
  return (
    current.limit === formatMoney(dto.limit, currency) &&
    current.supplierSubLimit === formatMoneyOrNull(dto.supplierSubLimit ?? null, currency) &&
    current.marginBps === dto.marginBps &&
    current.minTenorDays === dto.minTenorDays &&
    current.maxTenorDays === dto.maxTenorDays &&
    current.active === dto.active
  );
}
