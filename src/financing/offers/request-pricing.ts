import { Decimal, isDecimalString, sum } from '../../common/money/decimal';
import { roundMoney } from '../../common/money/money';
import { financierEligibility } from '../pricing/financier-eligibility';
import { priceOffer, type InvoiceToPrice, type OfferPricing } from '../pricing/offer-pricing';
import type { OfferReasonRecord } from '../requests/financing-request.entity';
import type { RiskSpreadBps } from '../../programs/dto/risk-spread.dto';
import {
  guaranteeCover,
  type GuaranteeCover,
  type GuaranteeTerms,
} from '../../risk/guarantees/guarantee-cover';
import type { Grade } from '../../risk/score/grade';

export interface RequestToPrice {
  id: string;
  supplierId: string;
  programId: string;
  currency: string;
  valueDate: string;
  invoices: InvoiceToPrice[];
  /** The supplier's credit grade at pricing time (docs/risk.md). */
  supplierGrade: Grade;
}

/** A program's terms that price an offer. */
export interface ProgramPricing {
  advanceRate: string;
  baseRate: string;
  platformFeeBps: number;
  dayCount: 'ACT/360' | 'ACT/365';
  offerTtlHours: number;
  perFinancingCap: string | null;
  /** Basis points added to the rate by the supplier's grade. */
  riskSpreadBps: RiskSpreadBps;
}

/** A financier of the program with its terms. */
export interface ProgramFinancierTerms {
  financierId: string;
  name: string;
  status: 'INVITED' | 'ACTIVE';
  active: boolean;
  marginBps: number | null;
  minTenorDays: number | null;
  maxTenorDays: number | null;
  limitAmount: string | null;
  supplierSubLimit: string | null;
}

export interface Exposure {
  program: string;
  supplier: string;
  /** The financier's own sub-limit for this supplier, when it set one: it replaces the program-wide one. */
  supplierSubLimit?: string | null;
}

export interface PricedRequest {
  requestId: string;
  /** The grade and the spread it added to every offer's rate. */
  riskGrade: Grade;
  riskSpreadBps: number;
  /** Each offer with the guarantee that covers part of it, whose relief is in its rate. */
  offers: Array<{ financierId: string; pricing: OfferPricing; guarantee: GuaranteeCover | null }>;
  reasons: OfferReasonRecord[];
}

/**
 * One request priced for every financier of its program, at the program's risk spread for the
 * supplier's grade, less the relief of the best guarantee that covers the financing
 * (docs/guarantees.md): an offer where the financier's terms,
 * tenor range, available limits and the program's cap per financing allow it, its reasons
 * (named, without limit figures) where not. Pure; the `offers` job reads the facts set-based for a
 * batch of requests and calls this once per request.
 */
export function priceRequest(
  request: RequestToPrice,
  program: ProgramPricing,
  financiers: readonly ProgramFinancierTerms[],
  exposureOf: (financierId: string) => Exposure,
  guarantees: readonly GuaranteeTerms[] = [],
): PricedRequest {
  const riskSpreadBps = program.riskSpreadBps[request.supplierGrade];
  const priced: PricedRequest = {
    requestId: request.id,
    riskGrade: request.supplierGrade,
    riskSpreadBps,
    offers: [],
    reasons: [],
  };
  const refuse = (financier: ProgramFinancierTerms, code: string, message: string) =>
    priced.reasons.push({
      code,
      message: `${financier.name}: ${message}`,
      financierId: financier.financierId,
    });
  if (financiers.length === 0)
    priced.reasons.push({ code: 'NO_FINANCIER', message: 'The program has no financier.' });
  // The advance and the maturity do not depend on the rate: the cover, and so the spread relief,
  // is known before pricing, and each offer is priced once.
  const basis = coverBasis(request, program.advanceRate);
  for (const financier of financiers) {
    let pricing: OfferPricing;
    let guarantee: GuaranteeCover | null = null;
    try {
      if (basis !== null)
        guarantee = guaranteeCover(guarantees, {
          financierId: financier.financierId,
          currency: request.currency,
          valueDate: request.valueDate,
          riskSpreadBps,
          ...basis,
        });
      pricing = priceOffer(
        {
          currency: request.currency,
          advanceRate: program.advanceRate,
          baseRate: program.baseRate,
          marginBps: financier.marginBps ?? 0,
          riskSpreadBps: riskSpreadBps - (guarantee?.spreadReliefBps ?? 0),
          platformFeeBps: program.platformFeeBps,
          dayCount: program.dayCount,
        },
        request.valueDate,
        request.invoices,
      );
    } catch (error) {
      // An invoice diluted to nothing or matured since the request: nothing to price.
      refuse(financier, 'CANNOT_PRICE', (error as Error).message);
      continue;
    }
    const exposure = exposureOf(financier.financierId);
    const refusals = financierEligibility(
      {
        financierId: financier.financierId,
        status: financier.status,
        active: financier.active,
        marginBps: financier.marginBps,
        minTenorDays: financier.minTenorDays,
        maxTenorDays: financier.maxTenorDays,
        limitAmount: financier.limitAmount,
        supplierSubLimit: exposure.supplierSubLimit ?? financier.supplierSubLimit,
        programExposure: exposure.program,
        supplierExposure: exposure.supplier,
      },
      {
        tenorDays: pricing.lines.map((line) => line.days),
        advanceAmount: pricing.advanceAmount,
        currency: request.currency,
      },
    );
    if (
      program.perFinancingCap !== null &&
      new Decimal(pricing.advanceAmount).gt(program.perFinancingCap)
    )
      refusals.push({
        code: 'ABOVE_PER_FINANCING_CAP',
        message: `The advance ${pricing.advanceAmount} is above the program's cap per financing.`,
      });
    if (refusals.length > 0) {
      for (const refusal of refusals) refuse(financier, refusal.code, refusal.message);
      continue;
    }
    priced.offers.push({ financierId: financier.financierId, pricing, guarantee });
  }
  return priced;
}

/**
 * What a guarantee covers a share of: the advance as `priceOffer` totals it (Σ confirmed ×
 * advance rate, rounded half-up once) and the latest payment date. Null when the request has no
 * invoice or an amount that is no decimal: pricing refuses those on its own.
 */
function coverBasis(
  request: RequestToPrice,
  advanceRate: string,
): { advanceAmount: string; maturityDate: string } | null {
  if (
    request.invoices.length === 0 ||
    !isDecimalString(advanceRate) ||
    request.invoices.some((invoice) => !isDecimalString(invoice.confirmedAmount))
  )
    return null;
  try {
    return {
      advanceAmount: roundMoney(
        sum(request.invoices.map((invoice) => invoice.confirmedAmount)).times(advanceRate),
        request.currency,
      ),
      maturityDate: request.invoices
        .map((invoice) => invoice.paymentDate)
        .reduce((latest, date) => (date > latest ? date : latest)),
    };
  } catch {
    return null; // a currency that is not a trade currency: pricing says so
  }
}
