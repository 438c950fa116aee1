import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { AuditTrail } from '../common/audit/audit-trail';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import type { Page, PageQuery } from '../common/pagination/page';
import { foundOr404 } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import { NotificationType, Notifier } from '../notifications/notifier';
import { DEFAULT_TIME_ZONE, type CreateProgramDto } from './dto/create-program.dto';
import { NO_RISK_SPREAD, riskSpreadOf } from './dto/risk-spread.dto';
import type { UpdateProgramDto } from './dto/update-program.dto';
import { diffProgram } from './program-changes';
import { NO_MEMBERS, type ProgramMembers } from './program-members';
import { amountScaleErrors, invoiceBoundsErrors, throwIfInvalid } from './program-rules';
import { programTermsOf } from './program-terms';
import type { Program } from './program.entity';
import { ProgramsRepository } from './programs.repository';

export interface ProgramWithMembers {
  program: Program;
  members: ProgramMembers;
}

/** An anchor's programs: creation, reading, and changes to the program's own terms. */
@Injectable()
export class ProgramsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly programs: ProgramsRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  /** The anchor (the actor's organisation) creates a program; it starts active, with no members. */
  async create(actor: Actor, dto: CreateProgramDto): Promise<ProgramWithMembers> {
    return this.tx.run(async () => {
      const id = await this.programs.insert({
        anchorId: actor.organizationId,
        name: dto.name,
        currency: dto.currency,
        advanceRate: dto.advanceRate,
        dayCount: dto.dayCount ?? 'ACT/360',
        recourse: dto.recourse,
        maxTenorDays: dto.maxTenorDays,
        minInvoiceAmount: dto.minInvoiceAmount ?? null,
        maxInvoiceAmount: dto.maxInvoiceAmount ?? null,
        perFinancingCap: dto.perFinancingCap ?? null,
        matchTolerance: dto.matchTolerance,
        baseRate: dto.baseRate,
        platformFeeBps: dto.platformFeeBps,
        offerTtlHours: dto.offerTtlHours,
        graceDays: dto.graceDays,
        timezone: dto.timezone ?? DEFAULT_TIME_ZONE,
        holidays: [...(dto.holidays ?? [])].sort(),
        riskSpreadBps: riskSpreadOf(dto.riskSpreadBps ?? NO_RISK_SPREAD),
      });
      const program = (await this.programs.findVisible(actor, id)) as Program;
      const eventId = await this.audit.record({
        actor,
        action: 'program.created',
        entityType: 'program',
        entityId: id,
        data: { currency: program.currency, ...programTermsOf(program) },
      });
      // The anchor's other users learn of it; there are no members to tell yet.
      await this.notifier.notify({
        organizationId: actor.organizationId,
        eventId,
        type: NotificationType.PROGRAM_CHANGED,
        title: `Program "${program.name}" (${program.currency}) was created`,
        data: { programId: id, created: true },
      });
      return { program, members: NO_MEMBERS };
    });
  }

  async get(actor: Actor, id: string): Promise<ProgramWithMembers> {
    const program = foundOr404(await this.programs.findVisible(actor, id), 'Program', id);
    const members = await this.programs.membersOf(actor, [id]);
    return { program, members: members.get(id) ?? NO_MEMBERS };
  }

  async list(
    actor: Actor,
    filter: { active?: boolean; currency?: string },
    query: PageQuery,
  ): Promise<Page<ProgramWithMembers>> {
    const page = await this.programs.listVisible(actor, filter, query);
    const members = await this.programs.membersOf(
      actor,
      page.items.map((program) => program.id),
    );
    return {
      items: page.items.map((program) => ({
        program,
        members: members.get(program.id) ?? NO_MEMBERS,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * The anchor changes its program. The row is locked while the change is checked against the
   * stored values (min ≤ max may pair a new bound with a stored one) and written. A change that
   * changes nothing is answered with the program and leaves no trace.
   */
  async update(actor: Actor, id: string, dto: UpdateProgramDto): Promise<ProgramWithMembers> {
    return this.tx.run(async () => {
      const program = foundOr404(
        await this.programs.findVisibleForUpdate(actor, id),
        'Program',
        id,
      );
      assertAnchor(actor, program);
      const amounts = {
        minInvoiceAmount: dto.minInvoiceAmount,
        maxInvoiceAmount: dto.maxInvoiceAmount,
        perFinancingCap: dto.perFinancingCap,
      };
      const scaleErrors = amountScaleErrors(amounts, program.currency);
      throwIfInvalid(
        scaleErrors.length > 0
          ? scaleErrors
          : invoiceBoundsErrors(
              dto.minInvoiceAmount === undefined ? program.minInvoiceAmount : dto.minInvoiceAmount,
              dto.maxInvoiceAmount === undefined ? program.maxInvoiceAmount : dto.maxInvoiceAmount,
            ),
      );
      const { columns, changes } = diffProgram(program, dto);
      if (Object.keys(changes).length === 0) return this.get(actor, id);
      await this.programs.update(id, columns);
      const eventId = await this.audit.record({
        actor,
        action: 'program.updated',
        entityType: 'program',
        entityId: id,
        data: { changes },
      });
      const fields = Object.keys(changes);
      const concerned = [actor.organizationId, ...(await this.programs.memberOrganizationIds(id))];
      for (const organizationId of concerned) {
        await this.notifier.notify({
          organizationId,
          eventId,
          type: NotificationType.PROGRAM_CHANGED,
          title: `Program "${program.name}" changed: ${fields.join(', ')}`,
          data: { programId: id, changes },
        });
      }
      return this.get(actor, id);
    });
  }
}

/**
 * Only the program's anchor changes it or invites into it. Callers who cannot see the program
 * were answered 404 before; one who can (a member) gets 403.
 */
export function assertAnchor(actor: Actor, program: Program): void {
  if (program.anchorId !== actor.organizationId) {
    throw new DomainError(ErrorCode.FORBIDDEN, "Only the program's anchor may do this.");
  }
}
