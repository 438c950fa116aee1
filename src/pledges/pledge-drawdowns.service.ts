import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../common/auth/actor';
import { addDays, daysBetween } from '../common/calendar/business-calendar';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { JobName } from '../common/jobs/job-registry';
import { Decimal } from '../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../common/money/money';
import { Outbox } from '../common/outbox/outbox';
import { foundOr404 } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import { FinancingView } from '../financing/dto/financing.view';
import { FinancingsRepository } from '../financing/financings/financings.repository';
import { LimitReservations } from '../financing/limits/limit-reservations';
import { priceOffer, type PricingTerms } from '../financing/pricing/offer-pricing';
import { NotificationType } from '../notifications/notifier';
import { drawdownHeadroom } from './collateral';
import type { PledgeDrawdownDto } from './dto/pledge-requests.dto';
import { fieldError, pledgeNotReady } from './pledge-errors';
import { PledgeEvents } from './pledge-events';
import { pledgeActionAllowed } from './pledge-transitions';
import type { Pledge } from './pledge.entity';
import { PledgesRepository } from './pledges.repository';

/** The longest drawdown on a pledge that names no program (a program sets its own). */
export const MAX_PLEDGE_TENOR_DAYS = 365;

interface DrawdownTerms {
  pricing: PricingTerms;
  maxTenorDays: number;
  graceDays: number;
}

/**
 * A supplier draws on its ACTIVE pledge, up to lending value − outstanding. The drawdown is a
 * financing (ACCEPTED, `pledgeId`, no invoices, no anchor) priced like an invoice advance at an
 * advance rate of 1 (the haircut already is the margin): from then on approval, payout,
 * repayment, overdue and the ledger are the financing flow's own.
 */
@Injectable()
export class PledgeDrawdowns {
  constructor(
    private readonly tx: TransactionHost,
    private readonly pledges: PledgesRepository,
    private readonly financings: FinancingsRepository,
    private readonly limits: LimitReservations,
    private readonly events: PledgeEvents,
    private readonly outbox: Outbox,
  ) {}

  async draw(actor: Actor, id: string, dto: PledgeDrawdownDto): Promise<FinancingView> {
    return this.tx.run(async () => {
      // The pledge row lock serialises drawdowns and releases of one pledge.
      const pledge = foundOr404(
        await this.pledges.findVisible(actor, id, { lock: true }),
        'Pledge',
        id,
      );
      if (pledge.supplierId !== actor.organizationId)
        throw new DomainError(ErrorCode.FORBIDDEN, 'Only the pledging supplier draws on a pledge.');
      if (!pledgeActionAllowed('drawdown', pledge.status)) throw pledgeNotReady(pledge, 'drawdown');
      const currency = pledge.currency.trim();
      if (!fitsMinorUnit(dto.amount, currency))
        throw fieldError('amount', 'IS_DECIMAL_STRING', `more decimals than ${currency} allows`);
      const outstanding = await this.pledges.outstanding(id);
      const available = drawdownHeadroom(pledge.lendingValue, outstanding);
      if (new Decimal(dto.amount).gt(available))
        throw new DomainError(
          ErrorCode.LENDING_VALUE_EXCEEDED,
          `${currency} ${dto.amount} is more than the ${currency} ${formatMoney(available, currency)} that can still be drawn on ${pledge.reference} (lending value ${formatMoney(pledge.lendingValue, currency)}, outstanding ${formatMoney(outstanding, currency)}).`,
          {
            lendingValue: formatMoney(pledge.lendingValue, currency),
            outstandingAmount: formatMoney(outstanding, currency),
            availableAmount: formatMoney(available, currency),
          },
        );
      const terms = await this.terms(pledge);
      const valueDate = await this.financings.programDate(pledge.programId);
      const days = daysBetween(valueDate, dto.maturityDate);
      if (days < 1 || days > terms.maxTenorDays)
        throw fieldError(
          'maturityDate',
          'TENOR_OUT_OF_RANGE',
          `maturityDate must be 1 to ${terms.maxTenorDays} days after ${valueDate} (latest ${addDays(valueDate, terms.maxTenorDays)})`,
        );
      const priced = priceOffer(terms.pricing, valueDate, [
        { invoiceId: id, confirmedAmount: dto.amount, paymentDate: dto.maturityDate },
      ]);
      if (!new Decimal(priced.netProceeds).gt('0'))
        throw fieldError(
          'amount',
          'NET_PROCEEDS_NOT_POSITIVE',
          'discount and fees eat the whole drawdown',
        );
      const financingId = await this.financings.insert({
        requestId: null,
        offerId: null,
        supplierId: pledge.supplierId,
        financierId: pledge.financierId,
        anchorId: null,
        programId: pledge.programId,
        pledgeId: id,
        currency,
        // The supplier owes its own loan back, whatever happens to the goods.
        recourse: 'WITH',
        annualRate: priced.annualRate,
        effectiveAnnualRate: priced.effectiveAnnualRate,
        confirmedAmount: priced.advanceAmount,
        advanceAmount: priced.advanceAmount,
        discountAmount: priced.discountAmount,
        feeAmount: priced.feeAmount,
        netProceeds: priced.netProceeds,
        valueDate,
        maturityDate: dto.maturityDate,
        graceDays: terms.graceDays,
        acceptedBy: actorId(actor),
        lines: [],
      });
      await this.limits.reserve({
        programId: pledge.programId,
        financierId: pledge.financierId,
        supplierId: pledge.supplierId,
        amount: priced.advanceAmount,
      });
      await this.outbox.enqueue(JobName.REVALUE_PLEDGES, { pledgeIds: [id] });
      const financing = (await this.financings.findVisible(actor, financingId))!;
      await this.events.record({
        actor,
        action: 'pledge.drawdown_requested',
        pledgeId: id,
        data: {
          financingId,
          reference: financing.reference,
          amount: formatMoney(priced.advanceAmount, currency),
          netProceeds: formatMoney(priced.netProceeds, currency),
          maturityDate: dto.maturityDate,
        },
        notify: [
          {
            organizationId: pledge.financierId,
            type: NotificationType.DRAWDOWN_REQUESTED,
            title: `Drawdown ${financing.reference} of ${currency} ${formatMoney(priced.advanceAmount, currency)} on pledge ${pledge.reference}: submit it for approval`,
          },
        ],
      });
      return FinancingView.of(financing, [], actor);
    });
  }

  /** The program's terms for this financier, or the pledge's own where it names no program. */
  private async terms(pledge: Pledge): Promise<DrawdownTerms> {
    const currency = pledge.currency.trim();
    if (pledge.programId === null)
      return {
        pricing: {
          currency,
          advanceRate: '1',
          baseRate: new Decimal(pledge.annualRate ?? '0').toFixed(),
          marginBps: 0,
          riskSpreadBps: 0,
          platformFeeBps: 0,
          dayCount: pledge.dayCount ?? 'ACT/360',
        },
        maxTenorDays: MAX_PLEDGE_TENOR_DAYS,
        graceDays: 0,
      };
    const [row] = (await this.tx.manager.query(
      `SELECT p.base_rate::text AS base_rate, p.day_count, p.platform_fee_bps, p.max_tenor_days, p.grace_days,
              p.active AS program_active, pf.status, pf.active, pf.margin_bps, pf.max_tenor_days AS financier_max_tenor
         FROM programs p
         JOIN program_financiers pf ON pf.program_id = p.id AND pf.financier_id = $2
        WHERE p.id = $1`,
      [pledge.programId, pledge.financierId],
    )) as Array<{
      base_rate: string;
      day_count: 'ACT/360' | 'ACT/365';
      platform_fee_bps: number;
      max_tenor_days: number;
      grace_days: number;
      program_active: boolean;
      status: string;
      active: boolean;
      margin_bps: number | null;
      financier_max_tenor: number | null;
    }>;
    if (
      !row ||
      !row.program_active ||
      row.status !== 'ACTIVE' ||
      !row.active ||
      row.margin_bps === null
    )
      throw new DomainError(
        ErrorCode.INVALID_STATE_TRANSITION,
        'The financier is not lending in this program now (program paused or its terms not set).',
      );
    return {
      pricing: {
        currency,
        advanceRate: '1',
        baseRate: row.base_rate,
        marginBps: row.margin_bps,
        riskSpreadBps: 0,
        platformFeeBps: row.platform_fee_bps,
        dayCount: row.day_count,
      },
      maxTenorDays: Math.min(row.max_tenor_days, row.financier_max_tenor ?? row.max_tenor_days),
      graceDays: row.grace_days,
    };
  }
}
