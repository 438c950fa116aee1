import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { actorId, systemActor, type Actor } from '../common/auth/actor';
import { OrganizationKind } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { JobName } from '../common/jobs/job-registry';
import { fitsMinorUnit } from '../common/money/money';
import { Outbox } from '../common/outbox/outbox';
import { foundOr404 } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import { AlertType } from '../risk/alerts/alert-kinds';
import { NotificationType } from '../notifications/notifier';
import type { CreatePledgeDto, PledgeTopUpDto } from './dto/pledge-requests.dto';
import type { PledgeView } from './dto/pledge.view';
import { fieldError, pledgeNotReady, refuseRepeatedSkus } from './pledge-errors';
import { PledgeEvents } from './pledge-events';
import { PledgeReader } from './pledge-reader';
import { pledgeActionAllowed } from './pledge-transitions';
import { PledgesRepository } from './pledges.repository';

type Outcome =
  | { pledgeId: string }
  | { refused: { existingPledgeId: string; attemptId: string; receipt: string } };

/**
 * A supplier pledges goods under a warehouse receipt. The receipt can back one live pledge on
 * the whole platform: a second pledge is refused with 409 DOUBLE_PLEDGE, and the attempt is
 * kept (committed although the request fails) and told to the financier holding the receipt.
 */
@Injectable()
export class PledgesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly pledges: PledgesRepository,
    private readonly reader: PledgeReader,
    private readonly events: PledgeEvents,
    private readonly outbox: Outbox,
  ) {}

  async create(actor: Actor, dto: CreatePledgeDto): Promise<PledgeView> {
    refuseRepeatedSkus(
      'items',
      dto.items.map((item) => item.sku),
    );
    for (const [index, item] of dto.items.entries())
      if (!fitsMinorUnit(item.declaredUnitValue, dto.currency))
        throw fieldError(
          `items[${index}].declaredUnitValue`,
          'IS_DECIMAL_STRING',
          `more decimals than ${dto.currency} allows`,
        );
    const outcome = await this.tx.run<Outcome>(async () => {
      await this.checkParties(actor.organizationId, dto);
      const id = randomUUID();
      const created = await this.pledges.insert({
        id,
        supplierId: actor.organizationId,
        financierId: dto.financierId,
        programId: dto.programId ?? null,
        currency: dto.currency,
        warehouse: dto.warehouse,
        receiptNumber: dto.receiptNumber,
        items: dto.items,
        createdBy: actorId(actor),
      });
      if (!created) return { refused: await this.recordDoublePledge(actor, dto) };
      await this.events.record({
        actor,
        action: 'pledge.requested',
        pledgeId: id,
        data: {
          financierId: dto.financierId,
          warehouse: dto.warehouse.registrationId,
          receiptNumber: dto.receiptNumber,
          items: dto.items.length,
        },
        notify: [
          {
            organizationId: dto.financierId,
            type: NotificationType.PLEDGE_REQUESTED,
            title: `Inventory pledge requested: receipt ${dto.receiptNumber} at ${dto.warehouse.name}, ${dto.items.length} item(s) to value`,
          },
        ],
      });
      return { pledgeId: id };
    });
    if ('refused' in outcome)
      throw new DomainError(
        ErrorCode.DOUBLE_PLEDGE,
        `Warehouse receipt ${outcome.refused.receipt} already backs a live pledge; a receipt can be pledged once.`,
        { attemptId: outcome.refused.attemptId },
      );
    return this.reader.view(actor, outcome.pledgeId);
  }

  /** Goods added to a pledge, under its receipt or a further one of the same warehouse. */
  async topUp(actor: Actor, id: string, dto: PledgeTopUpDto): Promise<PledgeView> {
    refuseRepeatedSkus(
      'items',
      dto.items.map((item) => item.sku),
    );
    const outcome = await this.tx.run<Outcome>(async () => {
      const pledge = foundOr404(
        await this.pledges.findVisible(actor, id, { lock: true }),
        'Pledge',
        id,
      );
      if (pledge.supplierId !== actor.organizationId)
        throw new DomainError(ErrorCode.FORBIDDEN, 'Only the pledging supplier adds goods.');
      if (!pledgeActionAllowed('topUp', pledge.status)) throw pledgeNotReady(pledge, 'topUp');
      const currency = pledge.currency.trim();
      for (const [index, item] of dto.items.entries())
        if (!fitsMinorUnit(item.declaredUnitValue, currency))
          throw fieldError(
            `items[${index}].declaredUnitValue`,
            'IS_DECIMAL_STRING',
            `more decimals than ${currency} allows`,
          );
      const known = new Map(
        (await this.pledges.items([id])).map((item) => [item.sku, item] as const),
      );
      for (const [index, item] of dto.items.entries()) {
        const existing = known.get(item.sku);
        if (existing && existing.unit !== item.unit)
          throw fieldError(
            `items[${index}].unit`,
            'UNIT_MISMATCH',
            `SKU ${item.sku} is pledged in ${existing.unit}, not ${item.unit}`,
          );
      }
      const receipt = dto.receiptNumber;
      if (receipt && receipt !== pledge.receiptNumber) {
        const claimed = await this.pledges.claimReceipt(
          id,
          pledge.warehouseRegistrationId,
          receipt,
        );
        if (!claimed)
          return {
            refused: await this.recordDoublePledge(actor, {
              financierId: pledge.financierId,
              warehouse: { registrationId: pledge.warehouseRegistrationId },
              receiptNumber: receipt,
            }),
          };
      }
      await this.pledges.addItems(id, dto.items);
      await this.outbox.enqueue(JobName.REVALUE_PLEDGES, { pledgeIds: [id] });
      await this.events.record({
        actor,
        action: 'pledge.topped_up',
        pledgeId: id,
        data: {
          items: dto.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
          receiptNumber: receipt ?? pledge.receiptNumber,
        },
        notify: [
          {
            organizationId: pledge.financierId,
            type: NotificationType.PLEDGE_TOPPED_UP,
            title: `Pledge ${pledge.reference}: ${dto.items.length} item(s) added; value them with a price mark`,
          },
        ],
      });
      return { pledgeId: id };
    });
    if ('refused' in outcome)
      throw new DomainError(
        ErrorCode.DOUBLE_PLEDGE,
        `Warehouse receipt ${outcome.refused.receipt} already backs a live pledge; a receipt can be pledged once.`,
        { attemptId: outcome.refused.attemptId },
      );
    return this.reader.view(actor, id);
  }

  private async checkParties(supplierId: string, dto: CreatePledgeDto): Promise<void> {
    const [financier] = (await this.tx.manager.query(
      `SELECT kind FROM organizations WHERE id = $1`,
      [dto.financierId],
    )) as Array<{ kind: string }>;
    if (financier?.kind !== OrganizationKind.FINANCIER)
      throw new DomainError(ErrorCode.UNKNOWN_PARTY, 'financierId names no financier.', {
        errors: [{ field: 'financierId', code: 'UNKNOWN_PARTY', message: 'no such financier' }],
      });
    if (!dto.programId) return;
    const [program] = (await this.tx.manager.query(
      `SELECT p.currency,
              EXISTS (SELECT 1 FROM program_suppliers s
                       WHERE s.program_id = p.id AND s.supplier_id = $2 AND s.status = 'ACTIVE') AS supplier_in,
              EXISTS (SELECT 1 FROM program_financiers f
                       WHERE f.program_id = p.id AND f.financier_id = $3 AND f.status = 'ACTIVE') AS financier_in
         FROM programs p WHERE p.id = $1`,
      [dto.programId, supplierId, dto.financierId],
    )) as Array<{ currency: string; supplier_in: boolean; financier_in: boolean }>;
    // A program the supplier is not in is none of its business: not found, as for any tenant.
    if (!program || !program.supplier_in)
      throw new DomainError(ErrorCode.NOT_FOUND, `Program ${dto.programId} was not found.`);
    if (!program.financier_in)
      throw fieldError(
        'financierId',
        'NOT_IN_PROGRAM',
        'the financier takes no part in this program',
      );
    if (program.currency.trim() !== dto.currency)
      throw fieldError(
        'currency',
        'CURRENCY_MISMATCH',
        `the program runs in ${program.currency.trim()}`,
      );
  }

  private async recordDoublePledge(
    actor: Actor,
    attempt: {
      financierId: string;
      warehouse: { registrationId: string };
      receiptNumber: string;
    },
  ): Promise<{ existingPledgeId: string; attemptId: string; receipt: string }> {
    const existingPledgeId = await this.pledges.holderOf(
      attempt.warehouse.registrationId,
      attempt.receiptNumber,
    );
    // The holder was released between the claim and this read: a retry will go through.
    if (!existingPledgeId)
      throw new DomainError(ErrorCode.CONCURRENT_UPDATE, 'The receipt changed meanwhile; retry.');
    await this.outbox.enqueue(JobName.SWEEP_RISK_ALERTS, { types: [AlertType.DUPLICATE_ATTEMPT] });
    const attemptId = await this.pledges.recordAttempt({
      registrationId: attempt.warehouse.registrationId,
      receiptNumber: attempt.receiptNumber,
      supplierId: actor.organizationId,
      financierId: attempt.financierId,
      existingPledgeId,
      attemptedBy: actorId(actor),
    });
    const [holder] = (await this.tx.manager.query(
      `SELECT financier_id, reference FROM pledges WHERE id = $1`,
      [existingPledgeId],
    )) as Array<{ financier_id: string; reference: string }>;
    const receipt = `${attempt.warehouse.registrationId}/${attempt.receiptNumber}`;
    const data = {
      attemptId,
      receipt,
      supplierId: actor.organizationId,
      financierId: attempt.financierId,
    };
    await this.events.record({
      actor,
      action: 'pledge.double_pledge_refused',
      pledgeId: existingPledgeId,
      // The attempting supplier's chain names its attempt, not another tenant's pledge.
      entity: { type: 'pledge_attempt', id: attemptId },
      data,
      notify: [],
    });
    // The holder's financier learns that its collateral was offered again elsewhere.
    await this.events.record({
      actor: systemActor(holder.financier_id, OrganizationKind.FINANCIER),
      action: 'pledge.double_pledge_attempt',
      pledgeId: existingPledgeId,
      data,
      notify: [
        {
          organizationId: holder.financier_id,
          type: NotificationType.DOUBLE_PLEDGE_ATTEMPT,
          title: `Warehouse receipt ${receipt}, pledged to you under ${holder.reference}, was offered as collateral again and refused`,
        },
      ],
    });
    return { existingPledgeId, attemptId, receipt };
  }
}
