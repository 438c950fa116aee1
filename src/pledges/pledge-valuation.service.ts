import { Injectable } from '@nestjs/common';
import { actorId, systemActor, type Actor } from '../common/auth/actor';
import { OrganizationKind } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Decimal } from '../common/money/decimal';
import { formatMoney } from '../common/money/money';
import { foundOr404 } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import { DocumentRecords } from '../documents/document-records';
import { DocumentKind } from '../documents/document.entity';
import { refuseFutureMoment } from '../financing/past-moment';
import { NotificationType } from '../notifications/notifier';
import { approvalLtv, collateralValue, lendingValue } from './collateral';
import type { PledgeValuationDto } from './dto/pledge-requests.dto';
import type { PledgeView } from './dto/pledge.view';
import { fieldError, pledgeNotReady, refuseRepeatedSkus } from './pledge-errors';
import { PledgeEvents } from './pledge-events';
import { PledgeReader } from './pledge-reader';
import { PledgeStatus } from './pledge-status';
import { pledgeActionFrom } from './pledge-transitions';
import type { Pledge } from './pledge.entity';
import { PledgesRepository } from './pledges.repository';

/**
 * The financier's side of a new pledge: an OPERATOR values the goods (market prices, haircut,
 * levels), a different APPROVER approves (maker-checker), which queues the pledge agreement;
 * the pledge is ACTIVE once that document is READY.
 */
@Injectable()
export class PledgeValuation {
  constructor(
    private readonly tx: TransactionHost,
    private readonly pledges: PledgesRepository,
    private readonly reader: PledgeReader,
    private readonly events: PledgeEvents,
    private readonly documents: DocumentRecords,
  ) {}

  async value(actor: Actor, id: string, dto: PledgeValuationDto): Promise<PledgeView> {
    refuseRepeatedSkus(
      'items',
      dto.items.map((item) => item.sku),
    );
    if (!new Decimal(dto.marginCallLtv).lt(dto.liquidationLtv))
      throw fieldError(
        'liquidationLtv',
        'LEVELS_OUT_OF_ORDER',
        'liquidationLtv must be above marginCallLtv',
      );
    const lendingRatio = approvalLtv(dto.haircut);
    if (new Decimal(dto.marginCallLtv).lt(lendingRatio))
      throw fieldError(
        'marginCallLtv',
        'BELOW_LENDING_RATIO',
        `marginCallLtv must be at least 1 − haircut (${new Decimal(lendingRatio).toFixed()}), or a full drawdown would be called at once`,
      );
    const verifiedAt = new Date(dto.warehouseVerifiedAt);
    refuseFutureMoment('warehouseVerifiedAt', verifiedAt);
    await this.tx.run(async () => {
      const pledge = await this.ownPledge(actor, id);
      if (!pledgeActionFrom('value').includes(pledge.status)) throw pledgeNotReady(pledge, 'value');
      if (pledge.programId === null && dto.annualRate === undefined)
        throw fieldError(
          'annualRate',
          'PLEDGE_TERMS_REQUIRED',
          'the pledge names no program: its drawdowns are priced at this annualRate',
        );
      const items = await this.pledges.items([id]);
      const priced = new Map(dto.items.map((item) => [item.sku, item.marketUnitPrice]));
      const unknown = dto.items.find((item) => !items.some((pledged) => pledged.sku === item.sku));
      if (unknown) throw fieldError('items', 'UNKNOWN_SKU', `SKU ${unknown.sku} is not pledged`);
      const missing = items.filter((item) => !priced.has(item.sku));
      if (missing.length > 0)
        throw fieldError(
          'items',
          'PRICE_MISSING',
          `every pledged SKU needs a market price; missing: ${missing.map((item) => item.sku).join(', ')}`,
        );
      const currency = pledge.currency.trim();
      const collateral = collateralValue(
        items.map((item) => ({
          sku: item.sku,
          quantity: item.quantity,
          marketUnitPrice: priced.get(item.sku)!,
        })),
        currency,
      );
      const lending = lendingValue(collateral, dto.haircut, currency);
      await this.pledges.mark(id, dto.items, verifiedAt, 'VALUATION', actorId(actor));
      const moved = await this.pledges.transition(
        id,
        pledgeActionFrom('value'),
        PledgeStatus.VALUED,
        {
          haircut: dto.haircut,
          margin_call_ltv: dto.marginCallLtv,
          liquidation_ltv: dto.liquidationLtv,
          approval_ltv: lendingRatio,
          annual_rate: dto.annualRate ?? null,
          day_count: dto.dayCount ?? (pledge.programId === null ? 'ACT/360' : null),
          collateral_value: collateral,
          lending_value: lending,
          ltv: '0',
          warehouse_verified_at: verifiedAt,
          valued_by: actorId(actor),
          valued_at: new Date(),
          revalued_at: new Date(),
        },
      );
      if (!moved) throw pledgeNotReady(pledge, 'value');
      await this.events.record({
        actor,
        action: 'pledge.valued',
        pledgeId: id,
        data: {
          collateralValue: formatMoney(collateral, currency),
          lendingValue: formatMoney(lending, currency),
          haircut: dto.haircut,
          marginCallLtv: dto.marginCallLtv,
          liquidationLtv: dto.liquidationLtv,
        },
        notify: [
          {
            organizationId: pledge.supplierId,
            type: NotificationType.PLEDGE_VALUED,
            title: `Pledge ${pledge.reference} valued at ${currency} ${formatMoney(collateral, currency)}; lending value ${currency} ${formatMoney(lending, currency)}`,
          },
        ],
      });
    });
    return this.reader.view(actor, id);
  }

  async approve(actor: Actor, id: string): Promise<PledgeView> {
    await this.tx.run(async () => {
      const pledge = await this.ownPledge(actor, id);
      if (pledge.status !== PledgeStatus.VALUED) throw pledgeNotReady(pledge, 'approve');
      if (pledge.valuedBy === actorId(actor))
        throw new DomainError(
          ErrorCode.MAKER_CHECKER_VIOLATION,
          'The valuation must be approved by someone other than the valuer.',
        );
      const moved = await this.pledges.transition(
        id,
        [PledgeStatus.VALUED],
        PledgeStatus.APPROVED,
        {
          approved_by: actorId(actor),
          approved_at: new Date(),
        },
      );
      if (!moved) throw pledgeNotReady(pledge, 'approve');
      const documentId = await this.documents.queue({
        kind: DocumentKind.PLEDGE_AGREEMENT,
        subjectType: 'pledge',
        subjectId: id,
        partyIds: [pledge.supplierId, pledge.financierId],
        number: `PA-${pledge.reference}`,
      });
      const currency = pledge.currency.trim();
      await this.events.record({
        actor,
        action: 'pledge.approved',
        pledgeId: id,
        data: {
          pledgeAgreementId: documentId,
          lendingValue: formatMoney(pledge.lendingValue, currency),
        },
        notify: [
          {
            organizationId: pledge.supplierId,
            type: NotificationType.PLEDGE_APPROVED,
            title: `Pledge ${pledge.reference} approved; it is active once the pledge agreement is issued`,
          },
        ],
      });
    });
    return this.reader.view(actor, id);
  }

  /** The pledge agreement is READY: the pledge secures drawdowns from now on. */
  async activate(pledgeId: string, documentId: string): Promise<void> {
    const [rows] = (await this.tx.manager.query(
      `UPDATE pledges SET status = 'ACTIVE', activated_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'APPROVED'
        RETURNING reference, supplier_id, financier_id, currency, lending_value::text AS lending_value`,
      [pledgeId],
    )) as [
      Array<{
        reference: string;
        supplier_id: string;
        financier_id: string;
        currency: string;
        lending_value: string;
      }>,
      number,
    ];
    const pledge = rows[0];
    if (!pledge) return;
    const currency = pledge.currency.trim();
    await this.events.record({
      actor: systemActor(pledge.financier_id, OrganizationKind.FINANCIER),
      action: 'pledge.active',
      pledgeId,
      data: { pledgeAgreementId: documentId },
      notify: [pledge.supplier_id, pledge.financier_id].map((organizationId) => ({
        organizationId,
        type: NotificationType.PLEDGE_ACTIVE,
        title: `Pledge ${pledge.reference} is active: up to ${currency} ${formatMoney(pledge.lending_value, currency)} can be drawn`,
      })),
    });
  }

  private async ownPledge(actor: Actor, id: string): Promise<Pledge> {
    const pledge = foundOr404(
      await this.pledges.findVisible(actor, id, { lock: true }),
      'Pledge',
      id,
    );
    if (pledge.financierId !== actor.organizationId)
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'Only the pledge’s financier values and approves it.',
      );
    return pledge;
  }
}
