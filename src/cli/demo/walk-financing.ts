import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../../common/auth/roles';
import { calendarOf, isBusinessDay } from '../../common/calendar/business-calendar';
import { Decimal } from '../../common/money/decimal';
import type { FinancingRequestView } from '../../financing/dto/financing-request.view';
import type { FinancingView } from '../../financing/dto/financing.view';
import type { OfferView } from '../../financing/dto/offer.view';
import { buildCamt054, type Camt054DocumentEntry } from '../../financing/iso20022/camt054-document';
import {
  validateIso20022,
  XsdValidatorError,
  type Iso20022Schema,
} from '../../financing/iso20022/iso20022-schema';
import type { Camt054ImportResult } from '../../financing/settlements/camt054-import.service';
import type { AccountBalanceView } from '../../ledger/dto/ledger.dto';
import type { ProgramView } from '../../programs/program.view';
import type { InvoiceView } from '../../trade/invoices/invoice.view';
import type { ApiClient } from './api-client';
import {
  anchorPaymentEntries,
  bestOffer,
  ledgerTotals,
  momentIn,
  overdueMaturity,
  planFinancings,
  safeFileName,
  type LedgerTotals,
  type PartyLedger,
} from './financing-plan';
import {
  demoOrganization,
  demoUser,
  type DemoOrganization,
  type DemoSeed,
  type DemoSettlementAccount,
  type DemoUser,
} from './seed-organizations';
import type { TradeWalk, WalkedInvoice } from './walk-trade';

/** The pain.001 version the walk downloads (the current one; .03 is for older banks). */
export const PAIN001_VERSION = '001.001.12';
/** The camt.054 version of the anchor's bank's notification, as buildCamt054 writes it. */
export const CAMT054_VERSION = '001.08';

const SETTLED_SUPPLIER = 'supplier-hengxin';
const OVERDUE_SUPPLIER = 'supplier-northwind';

/** Short bank codes for the financiers' transfer references. */
const BANK_PREFIX: Record<string, string> = {
  'financier-jiangnan': 'JNCB',
  'financier-harbour': 'HTFF',
};

/**
 * What the demo does without the HTTP API, because there is none for it: moving one financing's
 * maturity date into the past (one SQL UPDATE through the app's DataSource) and running the
 * overdue sweep's job handler in-process. demo.ts builds it from the running app.
 */
export interface FinancingShortcuts {
  /** Moves the maturity date of a DISBURSED financing; resolves to the number of rows changed. */
  moveMaturity(financingId: string, maturityDate: string): Promise<number>;
  /** The `mark-overdue-financings` job handler (OverdueFinancings.markOverdue). */
  markOverdue(): Promise<{ overdue: number }>;
}

export type XmlCheck =
  | { valid: true; schema: Iso20022Schema }
  | { valid: false; schema: Iso20022Schema; errors: string[] }
  | { valid: null; schema: Iso20022Schema; reason: string };

export interface FinancingWalkOptions {
  shortcuts: FinancingShortcuts;
  /** Where the pain.001 and camt.054 files are written (created when missing). */
  outputDir: string;
  log?: (line: string) => void;
  /** Called before each step; throws to stop the walk-through there (e.g. on Ctrl-C). */
  checkpoint?: () => void;
  /** Longest wait for the offers worker (default 60 s). */
  offerTimeoutMs?: number;
  now?: () => Date;
  /** Checks a written file against its ISO 20022 schema (default: xmllint, when installed). */
  validate?: (xml: string, schema: Iso20022Schema) => Promise<XmlCheck>;
}

export interface WalkedOffer {
  id: string;
  financierId: string;
  financierName: string;
  status: string;
  annualRate: string;
  effectiveAnnualRate: string;
  advanceAmount: string;
  discountAmount: string;
  feeAmount: string;
  netProceeds: string;
  expiresAt: string;
}

export interface WalkedFinancedInvoice {
  id: string;
  number: string;
  confirmedAmount: string;
  paymentDate: string;
  /** Its status at the end of the walk. */
  status: string;
}

export interface WalkedPerson {
  name: string;
  email: string;
}

export interface WalkedFinancing {
  supplier: { key: string; name: string; account: DemoSettlementAccount };
  financier: { key: string; name: string; account: DemoSettlementAccount };
  invoices: WalkedFinancedInvoice[];
  request: { id: string; valueDate: string; status: string; confirmedAmount: string };
  /** Best net proceeds first, with their statuses after the acceptance. */
  offers: WalkedOffer[];
  acceptedOfferId: string;
  acceptedBy: WalkedPerson;
  /** The maturity date the offer and the financing were priced to (before any demo shortcut). */
  maturityDate: string;
  maker: WalkedPerson;
  checker: WalkedPerson;
  paymentInstruction: { path: string; version: string; check: XmlCheck };
  disbursement: { bankReference: string; disbursedAt: string };
  /** The financing at the end of the walk, as its financier sees it. */
  financing: FinancingView;
}

export interface WalkedSettlement {
  path: string;
  messageId: string;
  check: XmlCheck;
  entries: Camt054DocumentEntry[];
  /** The same file uploaded twice: the second answer must report everything already applied. */
  uploads: [Camt054ImportResult, Camt054ImportResult];
}

export interface WalkedOverdue {
  /** The maturity date before and after the demo's shortcut. */
  maturityWas: string;
  maturityNow: string;
  graceDays: number;
  /** How many financings the in-process sweep marked (0 when the scheduled sweep came first). */
  swept: number;
}

export interface FinancingWalk {
  today: string;
  outputDir: string;
  accounts: Array<{ party: string; kind: string; settlement: DemoSettlementAccount }>;
  settled: WalkedFinancing & { settlement: WalkedSettlement };
  overdue: WalkedFinancing & { overdue: WalkedOverdue };
  ledger: { parties: Array<PartyLedger & { kind: string }>; totals: LedgerTotals };
}

/** A step of the financing walk-through failed; the message names the step. */
export class FinancingStepError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(
      `financing walk-through, step "${step}": ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'FinancingStepError';
  }
}

/**
 * The money flow, through the HTTP API as each party would do it: 苏州恒信电子 asks to be paid
 * early for two confirmed invoices, both financiers' offers appear, it accepts the best; the
 * financier's maker and checker approve; the pain.001 is downloaded and written to a file; the
 * payout is recorded; the anchor pays at maturity, which its bank reports to the financier in a
 * camt.054 file that the financier uploads (twice: the second changes nothing). Northwind's
 * financing is paid out and then goes overdue — the one step with no API: its maturity date is
 * moved into the past and the overdue sweep is run in-process. Last, every party's ledger.
 */
export async function walkFinancing(
  client: ApiClient,
  seed: DemoSeed,
  trade: TradeWalk,
  options: FinancingWalkOptions,
): Promise<FinancingWalk> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const validate = options.validate ?? validateWithXmllint;
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    options.checkpoint?.();
    try {
      return await run();
    } catch (error) {
      throw new FinancingStepError(name, error);
    }
  };
  const user = (key: string, role: Role): DemoUser => demoUser(seed, key, role);
  const as = (key: string, role: Role): ApiClient => client.withToken(user(key, role).token);
  const financiers = seed.organizations.filter((org) => org.kind === 'FINANCIER');
  const financierOf = (id: string): DemoOrganization => {
    const found = financiers.find((org) => org.id === id);
    if (!found) throw new Error(`financier ${id} is not one of the demo's`);
    return found;
  };
  const personOf = (org: DemoOrganization, id: string | null): WalkedPerson => {
    const found = org.users.find((candidate) => candidate.id === id);
    return found ? { name: found.name, email: found.email } : { name: id ?? '-', email: '-' };
  };
  const settlementAccount = (org: DemoOrganization): DemoSettlementAccount => {
    const account = org.settlementAccounts?.find(
      (entry) => entry.account.currency === trade.program.currency,
    );
    if (!account)
      throw new Error(`${org.name} has no ${trade.program.currency} settlement account`);
    return account;
  };
  const today = trade.today;
  mkdirSync(options.outputDir, { recursive: true });

  const program = await step('the supplier reads the program (GET /programs/:id)', () =>
    as(SETTLED_SUPPLIER, Role.OPERATOR).get<ProgramView>(`/api/v1/programs/${trade.program.id}`),
  );
  // Paid today when today is a business day of the program; otherwise the API's default, the
  // next business day.
  const valueDate = isBusinessDay(today, calendarOf(program.holidays)) ? today : undefined;
  const plan = planFinancings(
    trade.invoices,
    demoOrganization(seed, SETTLED_SUPPLIER).name,
    demoOrganization(seed, OVERDUE_SUPPLIER).name,
  );
  let transfers = 0;

  /** One financing from request to payout. */
  const finance = async (
    supplierKey: string,
    invoices: readonly WalkedInvoice[],
  ): Promise<WalkedFinancing> => {
    const supplier = demoOrganization(seed, supplierKey);
    const supplierClient = as(supplierKey, Role.OPERATOR);
    const numbers = invoices.map((invoice) => invoice.number).join(', ');
    const queued = await step(
      `${supplier.name} asks to be paid early for ${numbers} (POST /financing-requests)`,
      () =>
        supplierClient.post<FinancingRequestView>('/api/v1/financing-requests', {
          programId: trade.program.id,
          invoiceIds: invoices.map((invoice) => invoice.id),
          ...(valueDate ? { valueDate } : {}),
        }),
    );
    log(`${supplier.name} asked for early payment of ${numbers} (request ${queued.id}, QUEUED)`);
    const offered = await step(
      'the offers worker prices the request (GET /financing-requests/:id until not QUEUED)',
      () =>
        waitForOffers(
          supplierClient,
          queued.id,
          financiers.length,
          options.offerTimeoutMs ?? 60_000,
        ),
    );
    const best = bestOffer(offered.offers);
    if (!best) throw new FinancingStepError('choose the best offer', new Error('no offer'));
    const bestFinancier = financierOf(best.financierId);
    log(
      `${offered.offers.length} offers: ` +
        offered.offers
          .map((offer) => `${financierOf(offer.financierId).name} net ${offer.netProceeds}`)
          .join('; ') +
        `; the best is ${bestFinancier.name}'s`,
    );
    const accepted = await step(
      `${supplier.name} accepts ${bestFinancier.name}'s offer (POST /offers/:id/accept)`,
      async () => {
        const financing = await supplierClient.post<FinancingView>(
          `/api/v1/offers/${best.id}/accept`,
          undefined,
        );
        expectStatus(financing, 'ACCEPTED');
        return financing;
      },
    );
    log(`financing ${accepted.reference} ACCEPTED; the other offers are withdrawn`);
    const financierKey = bestFinancier.key;
    const maker = as(financierKey, Role.OPERATOR);
    const checker = as(financierKey, Role.APPROVER);
    const path = `/api/v1/financings/${accepted.id}`;
    await step(
      `${bestFinancier.name}'s OPERATOR (maker) submits it (POST /financings/:id/submit-approval)`,
      async () =>
        expectStatus(
          await maker.post<FinancingView>(`${path}/submit-approval`, undefined),
          'PENDING_APPROVAL',
        ),
    );
    const approved = await step(
      `${bestFinancier.name}'s APPROVER (checker) approves it (POST /financings/:id/approve)`,
      async () => {
        const financing = await checker.post<FinancingView>(`${path}/approve`, undefined);
        expectStatus(financing, 'APPROVED');
        return financing;
      },
    );
    const makerPerson = personOf(bestFinancier, approved.makerId);
    const checkerPerson = personOf(bestFinancier, approved.checkerId);
    log(
      `${accepted.reference} APPROVED: maker ${makerPerson.name} (${makerPerson.email}), checker ${checkerPerson.name} (${checkerPerson.email})`,
    );

    const pain001Path = join(
      options.outputDir,
      safeFileName(`pain.${PAIN001_VERSION}-${accepted.reference}.xml`),
    );
    const pain001Check = await step(
      `${bestFinancier.name} downloads the pain.001 (GET /financings/:id/payment-instruction)`,
      async () => {
        const response = await maker.request(
          'GET',
          `${path}/payment-instruction?version=${PAIN001_VERSION}`,
          { headers: { Accept: 'application/xml' } },
        );
        if (response.status !== 200)
          throw new Error(`answered ${response.status}: ${response.text.slice(0, 300)}`);
        const xml = response.text;
        for (const expected of [
          `<EndToEndId>${accepted.reference}</EndToEndId>`,
          `>${approved.netProceeds ?? ''}</InstdAmt>`,
        ])
          if (!xml.includes(expected)) throw new Error(`the file does not contain ${expected}`);
        writeFileSync(pain001Path, xml);
        return validate(xml, `pain.${PAIN001_VERSION}` as Iso20022Schema);
      },
    );
    log(`pain.001 written to ${pain001Path} (${describeCheck(pain001Check)})`);

    transfers++;
    const bankReference = `${BANK_PREFIX[financierKey] ?? 'BANK'}-${trade.runId}-${transfers}`;
    const disbursedAt = momentIn(program.timezone, now());
    const disbursed = await step(
      `${bestFinancier.name} records the payout (POST /financings/:id/disburse)`,
      async () => {
        const financing = await maker.post<FinancingView>(`${path}/disburse`, {
          bankReference,
          disbursedAt,
        });
        expectStatus(financing, 'DISBURSED');
        return financing;
      },
    );
    log(
      `${disbursed.reference} DISBURSED: CNY ${disbursed.netProceeds} to ${supplier.name} (${bankReference})`,
    );
    const request = await step('the supplier reads its request again', () =>
      supplierClient.get<FinancingRequestView>(`/api/v1/financing-requests/${queued.id}`),
    );
    return {
      supplier: { key: supplierKey, name: supplier.name, account: settlementAccount(supplier) },
      financier: {
        key: financierKey,
        name: bestFinancier.name,
        account: settlementAccount(bestFinancier),
      },
      invoices: invoices.map((invoice) => ({
        id: invoice.id,
        number: invoice.number,
        confirmedAmount: invoice.confirmation?.confirmedAmount ?? invoice.totalAmount,
        paymentDate: invoice.confirmation?.paymentDate ?? '',
        status: 'FINANCED',
      })),
      request: {
        id: request.id,
        valueDate: request.valueDate,
        status: request.status,
        confirmedAmount: disbursed.confirmedAmount,
      },
      offers: request.offers.map((offer) => walkedOffer(offer, financierOf(offer.financierId))),
      acceptedOfferId: best.id,
      acceptedBy: personOf(supplier, user(supplierKey, Role.OPERATOR).id),
      maker: makerPerson,
      checker: checkerPerson,
      maturityDate: disbursed.maturityDate,
      paymentInstruction: { path: pain001Path, version: PAIN001_VERSION, check: pain001Check },
      disbursement: { bankReference, disbursedAt },
      financing: disbursed,
    };
  };

  // 1. 苏州恒信电子: two invoices, paid out, then paid by the anchor at maturity (camt.054).
  const first = await finance(SETTLED_SUPPLIER, plan.settled.invoices);
  // 2. Northwind: one invoice, paid out, then overdue.
  const second = await finance(OVERDUE_SUPPLIER, plan.overdue.invoices);

  // 3. The anchor pays (today, ahead of its payment dates); its bank's camt.054 reaches the financier.
  const financierUploader = as(first.financier.key, Role.OPERATOR);
  const payments = first.invoices.map((invoice) => ({
    invoiceNumber: invoice.number,
    amount: invoice.confirmedAmount,
    paymentDate: invoice.paymentDate,
  }));
  // Booked today: a bank reports what it has booked, and the portal refuses future bookings.
  const entries = anchorPaymentEntries(
    trade.runId,
    first.financing.reference,
    trade.program.currency,
    payments,
    today,
    '18.36',
  );
  const messageId = `CAMT054-${trade.runId}-${BANK_PREFIX[first.financier.key] ?? 'BANK'}`;
  const camtPath = join(
    options.outputDir,
    safeFileName(`camt.054.${CAMT054_VERSION}-${messageId}.xml`),
  );
  const financierAccount = first.financier.account.account;
  const camt054 = buildCamt054({
    messageId,
    createdAt: new Date(),
    account: financierAccount.iban
      ? { iban: financierAccount.iban }
      : { other: financierAccount.accountNumber ?? '' },
    entries,
  });
  writeFileSync(camtPath, camt054);
  const camtCheck = await validate(camt054, 'camt.054.001.08');
  log(`camt.054 written to ${camtPath} (${describeCheck(camtCheck)})`);
  const upload = (): Promise<Camt054ImportResult> =>
    financierUploader.postDocument<Camt054ImportResult>('/api/v1/settlements/camt054', {
      text: camt054,
      contentType: 'application/xml',
    });
  const firstUpload = await step(
    `${first.financier.name} uploads the camt.054 (POST /settlements/camt054)`,
    upload,
  );
  log(`camt.054 upload: ${describeUpload(firstUpload)}`);
  const secondUpload = await step(
    `${first.financier.name} uploads the same camt.054 again`,
    upload,
  );
  log(`camt.054 upload again: ${describeUpload(secondUpload)}`);
  const collected = await step('the financier reads the settled financing', () =>
    financierUploader.get<FinancingView>(`/api/v1/financings/${first.financing.id}`),
  );
  log(
    `${collected.reference} ${collected.status}: paid ${collected.paidAmount}, surplus ${collected.surplusAmount ?? '-'} owed to ${first.supplier.name}`,
  );
  // The financier holds the surplus for the supplier until it pays it over.
  const surplusOwed = new Decimal(collected.surplusAmount ?? '0').minus(
    collected.surplusPaidAmount ?? '0',
  );
  const settledView = surplusOwed.gt('0')
    ? await step(`${first.financier.name} pays the surplus over to ${first.supplier.name}`, () =>
        financierUploader.post<FinancingView>(
          `/api/v1/financings/${first.financing.id}/surplus-payments`,
          {
            amount: surplusOwed.toFixed(2),
            paidAt: new Date().toISOString(),
            bankReference: `SURPLUS-${collected.reference}`,
          },
        ),
      )
    : collected;
  if (surplusOwed.gt('0'))
    log(
      `${first.financier.name} paid the surplus of ${surplusOwed.toFixed(2)} over to ${first.supplier.name} (POST /financings/:id/surplus-payments)`,
    );

  // 4. Northwind's financing goes overdue: the one thing the API cannot do.
  const grace = program.graceDays;
  const maturityNow = overdueMaturity(today, grace);
  const swept = await step(
    `demo shortcut: move ${second.financing.reference}'s maturity to ${maturityNow} and run the overdue sweep in-process`,
    async () => {
      const moved = await options.shortcuts.moveMaturity(second.financing.id, maturityNow);
      if (moved !== 1) throw new Error(`the UPDATE changed ${moved} rows, expected 1`);
      return (await options.shortcuts.markOverdue()).overdue;
    },
  );
  log(
    `demo shortcut: maturity of ${second.financing.reference} moved to ${maturityNow} (was ${second.financing.maturityDate}); the overdue sweep marked ${swept} financing(s) OVERDUE`,
  );
  const overdueView = await step('the financier reads the overdue financing', () =>
    as(second.financier.key, Role.OPERATOR).get<FinancingView>(
      `/api/v1/financings/${second.financing.id}`,
    ),
  );

  // 5. Where the invoices stand.
  const invoiceStatuses = async (financed: WalkedFinancing): Promise<WalkedFinancedInvoice[]> => {
    const reader = as(financed.supplier.key, Role.VIEWER);
    const result: WalkedFinancedInvoice[] = [];
    for (const invoice of financed.invoices) {
      const view = await reader.get<InvoiceView>(`/api/v1/invoices/${invoice.id}`);
      result.push({ ...invoice, status: view.status });
    }
    return result;
  };
  const settledInvoices = await step('read the settled invoices (GET /invoices/:id)', () =>
    invoiceStatuses(first),
  );
  const overdueInvoices = await step('read the overdue invoice (GET /invoices/:id)', () =>
    invoiceStatuses(second),
  );

  // 6. Every party's ledger.
  const parties = [seed.platform, ...seed.organizations];
  const ledgers = await step('each party reads its ledger (GET /ledger/accounts)', async () => {
    const result: Array<PartyLedger & { kind: string }> = [];
    for (const party of parties) {
      const reader =
        party.users.find((candidate) => candidate.roles.includes(Role.VIEWER)) ?? party.users[0];
      const accounts = await client
        .withToken(reader.token)
        .get<AccountBalanceView[]>('/api/v1/ledger/accounts');
      result.push({ party: party.name, kind: party.kind, accounts });
    }
    return result;
  });
  const totals = ledgerTotals(ledgers);
  log(
    `ledger: ${Object.entries(totals.total)
      .map(([currency, amount]) => `${currency} ${amount}`)
      .join(', ')} across all parties${totals.balanced ? '' : ' (NOT balanced)'}`,
  );

  const walk: FinancingWalk = {
    today,
    outputDir: options.outputDir,
    accounts: seed.organizations.flatMap((org) =>
      (org.settlementAccounts ?? []).map((settlement) => ({
        party: org.name,
        kind: org.kind,
        settlement,
      })),
    ),
    settled: {
      ...first,
      invoices: settledInvoices,
      financing: settledView,
      settlement: {
        path: camtPath,
        messageId,
        check: camtCheck,
        entries,
        uploads: [firstUpload, secondUpload],
      },
    },
    overdue: {
      ...second,
      invoices: overdueInvoices,
      financing: overdueView,
      overdue: {
        maturityWas: second.financing.maturityDate,
        maturityNow,
        graceDays: grace,
        swept,
      },
    },
    ledger: { parties: ledgers, totals },
  };
  const problems = financingWalkProblems(walk);
  if (problems.length > 0)
    throw new FinancingStepError('the money flow is as planned', new Error(problems.join('; ')));
  return walk;
}

/**
 * What is wrong with a finished walk, in words (empty when nothing): the statuses each step must
 * have left, what the two camt.054 uploads must have reported, the settlement's figures, and a
 * ledger that sums to zero per party and per currency.
 */
export function financingWalkProblems(walk: FinancingWalk): string[] {
  const problems: string[] = [];
  const expect = (condition: boolean, problem: string): void => {
    if (!condition) problems.push(problem);
  };
  for (const financed of [walk.settled, walk.overdue]) {
    const reference = financed.financing.reference;
    expect(
      financed.offers.length >= 2,
      `${reference}: ${financed.offers.length} offer(s), expected one per financier`,
    );
    const accepted = financed.offers.filter((offer) => offer.status === 'ACCEPTED');
    expect(
      accepted.length === 1 && accepted[0].id === financed.acceptedOfferId,
      `${reference}: the accepted offer is not the one chosen`,
    );
    expect(
      financed.offers.every(
        (offer) => offer.id === financed.acceptedOfferId || offer.status === 'WITHDRAWN',
      ),
      `${reference}: the other offers are not WITHDRAWN`,
    );
    expect(
      financed.request.status === 'ACCEPTED',
      `${reference}: the request is ${financed.request.status}`,
    );
    expect(
      financed.maker.email !== financed.checker.email && financed.maker.email !== '-',
      `${reference}: maker and checker are not two known users`,
    );
    expect(
      financed.paymentInstruction.check.valid !== false,
      `${reference}: the pain.001 is not valid`,
    );
  }
  const settled = walk.settled.financing;
  expect(
    settled.status === 'SETTLED',
    `${settled.reference} is ${settled.status}, expected SETTLED`,
  );
  expect(
    new Decimal(settled.paidAmount).eq(settled.confirmedAmount),
    `${settled.reference}: paid ${settled.paidAmount} of ${settled.confirmedAmount}`,
  );
  expect(
    settled.outstandingAmount !== null && new Decimal(settled.outstandingAmount).eq('0'),
    `${settled.reference}: ${settled.outstandingAmount} still outstanding`,
  );
  expect(
    settled.surplusAmount !== null &&
      settled.advanceAmount !== null &&
      new Decimal(settled.surplusAmount).eq(
        new Decimal(settled.confirmedAmount).minus(settled.advanceAmount),
      ),
    `${settled.reference}: surplus ${settled.surplusAmount}, expected confirmed − advance`,
  );
  expect(
    walk.settled.invoices.every((invoice) => invoice.status === 'SETTLED'),
    `${settled.reference}: invoices ${walk.settled.invoices.map((i) => `${i.number} ${i.status}`).join(', ')}, expected SETTLED`,
  );
  const anchorEntries = walk.settled.settlement.entries.length - 1;
  const [once, again] = walk.settled.settlement.uploads;
  expect(
    once.matched.length === anchorEntries &&
      once.alreadyApplied.length === 0 &&
      once.unmatched.length === 1,
    `first camt.054 upload: matched ${once.matched.length}, already applied ${once.alreadyApplied.length}, unmatched ${once.unmatched.length}; expected ${anchorEntries}, 0, 1`,
  );
  expect(
    again.matched.length === 0 &&
      again.alreadyApplied.length === anchorEntries &&
      again.unmatched.length === 1,
    `second camt.054 upload: matched ${again.matched.length}, already applied ${again.alreadyApplied.length}, unmatched ${again.unmatched.length}; expected 0, ${anchorEntries}, 1`,
  );
  const overdue = walk.overdue.financing;
  expect(
    overdue.status === 'OVERDUE',
    `${overdue.reference} is ${overdue.status}, expected OVERDUE`,
  );
  expect(
    walk.overdue.invoices.every((invoice) => invoice.status === 'OVERDUE'),
    `${overdue.reference}: invoices ${walk.overdue.invoices.map((i) => `${i.number} ${i.status}`).join(', ')}, expected OVERDUE`,
  );
  for (const party of walk.ledger.totals.parties)
    for (const [currency, amount] of Object.entries(party.sums))
      expect(
        new Decimal(amount).eq('0'),
        `the ledger of ${party.party} sums to ${currency} ${amount}, not 0`,
      );
  for (const [currency, amount] of Object.entries(walk.ledger.totals.total))
    expect(
      new Decimal(amount).eq('0'),
      `the ledger sums to ${currency} ${amount} across all parties, not 0`,
    );
  expect(Object.keys(walk.ledger.totals.total).length > 0, 'no party has a ledger posting');
  return problems;
}

/** Polls the request until the worker has priced it; it must have one offer per financier. */
async function waitForOffers(
  client: ApiClient,
  id: string,
  financiers: number,
  timeoutMs: number,
): Promise<FinancingRequestView & { offers: OfferView[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const request = await client.get<FinancingRequestView>(`/api/v1/financing-requests/${id}`);
    if (request.status !== 'QUEUED') {
      if (request.status !== 'OFFERED')
        throw new Error(
          `the request is ${request.status}` +
            (request.reasons.length > 0
              ? `: ${request.reasons.map((reason) => `${reason.code} ${reason.message}`).join('; ')}`
              : ''),
        );
      if (request.offers.length !== financiers)
        throw new Error(
          `${request.offers.length} offer(s), expected ${financiers} (one per financier)` +
            (request.reasons.length > 0
              ? `: ${request.reasons.map((reason) => `${reason.code} ${reason.message}`).join('; ')}`
              : ''),
        );
      return request;
    }
    if (Date.now() > deadline)
      throw new Error(
        `still QUEUED after ${Math.round(timeoutMs / 1000)} s; is the worker running?`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function walkedOffer(offer: OfferView, financier: DemoOrganization): WalkedOffer {
  return {
    id: offer.id,
    financierId: offer.financierId,
    financierName: financier.name,
    status: offer.status,
    annualRate: offer.annualRate,
    effectiveAnnualRate: offer.effectiveAnnualRate,
    advanceAmount: offer.advanceAmount,
    discountAmount: offer.discountAmount,
    feeAmount: offer.feeAmount,
    netProceeds: offer.netProceeds,
    expiresAt: offer.expiresAt,
  };
}

function expectStatus(financing: FinancingView, status: string): void {
  if (financing.status !== status)
    throw new Error(`${financing.reference} is ${financing.status}, expected ${status}`);
}

async function validateWithXmllint(xml: string, schema: Iso20022Schema): Promise<XmlCheck> {
  try {
    const result = await validateIso20022(xml, schema);
    return result.valid ? { valid: true, schema } : { valid: false, schema, errors: result.errors };
  } catch (error) {
    if (error instanceof XsdValidatorError) return { valid: null, schema, reason: error.message };
    throw error;
  }
}

export function describeCheck(check: XmlCheck): string {
  if (check.valid === true) return `valid against ${check.schema}.xsd`;
  if (check.valid === false)
    return `NOT valid against ${check.schema}.xsd: ${check.errors.slice(0, 3).join('; ')}`;
  return `not checked against ${check.schema}.xsd: ${check.reason}`;
}

export function describeUpload(result: Camt054ImportResult): string {
  return `matched ${result.matched.length}, already applied ${result.alreadyApplied.length}, unmatched ${result.unmatched.length}`;
}
