import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../../common/auth/roles';
import { addDays } from '../../common/calendar/business-calendar';
import { Decimal } from '../../common/money/decimal';
import type { DocumentView } from '../../documents/document.view';
import type { FinancingView } from '../../financing/dto/financing.view';
import type { PledgeView } from '../../pledges/dto/pledge.view';
import { ApiError, type ApiClient } from './api-client';
import { safeFileName } from './financing-plan';
import { demoOrganization, demoUser, type DemoSeed } from './seed-organizations';
import type { TradeWalk } from './walk-trade';

const PLEDGOR = 'supplier-hengxin';
const PLEDGEE = 'financier-jiangnan';
const INTRUDER = 'supplier-northwind';

/** Steel coils in a Qingdao bonded warehouse (the worked example of docs/pledges.md). */
export const DEMO_COILS = [
  {
    sku: 'HRC-Q235-2.0',
    description: '热轧钢卷 Q235 2.0mm',
    quantity: '120.5',
    unit: 't',
    declaredUnitValue: '4100.00',
    price: '3980.00',
  },
  {
    sku: 'HRC-Q345-3.0',
    description: '热轧钢卷 Q345B 3.0mm',
    quantity: '80',
    unit: 't',
    declaredUnitValue: '4300.00',
    price: '4210.50',
  },
  {
    sku: 'CRC-SPCC-1.0',
    description: '冷轧钢卷 SPCC 1.0mm',
    quantity: '35.25',
    unit: 't',
    declaredUnitValue: '4700.00',
    price: '4655.333333',
  },
] as const;

export const DEMO_WAREHOUSE = {
  name: '青岛港保税物流仓储有限公司',
  registrationId: '91370200MA3C4QDP01',
  address: '山东省青岛市黄岛区保税港区 12 号库',
};

/** The price fall that raises the margin call: every coil marked at 75 % of its valuation. */
export const PRICE_FALL = '0.75';

export interface PledgeWalk {
  pledge: PledgeView;
  receiptNumber: string;
  agreement: { number: string; path: string; sha256: string; pages: number };
  drawdown: FinancingView;
  marginCall: { ltv: string | null; collateralValue: string };
  refusedRelease: { code: string; detail: string };
  repayment: string;
  cleared: { ltv: string | null };
  release: { status: string; certificatePath: string; certificateNumber: string };
  doublePledge: { code: string; detail: string };
}

export interface PledgeWalkOptions {
  outputDir: string;
  log?: (line: string) => void;
  checkpoint?: () => void;
  /** Longest wait for a job (agreement render, revaluation); default 60 s. */
  timeoutMs?: number;
}

/** A step of the pledge walk-through failed; the message names the step. */
export class PledgeStepError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(
      `pledge walk-through, step "${step}": ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'PledgeStepError';
  }
}

/**
 * Inventory pledge (存货质押), through the HTTP API as each party would do it: 苏州恒信电子
 * pledges steel coils in a Qingdao bonded warehouse to 江南商业银行; the bank's OPERATOR values
 * them and its APPROVER approves; the pledge agreement PDF is written to the output folder;
 * a drawdown is paid out; a price fall raises a margin call; a release is refused, then allowed
 * after a repayment; another supplier's pledge of the same receipt is refused.
 */
export async function walkPledges(
  client: ApiClient,
  seed: DemoSeed,
  trade: TradeWalk,
  options: PledgeWalkOptions,
): Promise<PledgeWalk> {
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    options.checkpoint?.();
    try {
      return await run();
    } catch (error) {
      throw new PledgeStepError(name, error);
    }
  };
  const as = (key: string, role: Role): ApiClient =>
    client.withToken(demoUser(seed, key, role).token);
  const supplier = as(PLEDGOR, Role.OPERATOR);
  const maker = as(PLEDGEE, Role.OPERATOR);
  const checker = as(PLEDGEE, Role.APPROVER);
  const bank = demoOrganization(seed, PLEDGEE);
  const pledgor = demoOrganization(seed, PLEDGOR);
  const receiptNumber = `QDP-WR-${trade.runId}`;
  const until = async (id: string, done: (pledge: PledgeView) => boolean, what: string) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pledge = await supplier.get<PledgeView>(`/api/v1/pledges/${id}`);
      if (done(pledge)) return pledge;
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const savePdf = async (documentId: string, what: string) => {
    const deadline = Date.now() + timeoutMs;
    let document = await supplier.get<DocumentView>(`/api/v1/documents/${documentId}`);
    while (document.status === 'QUEUED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      document = await supplier.get<DocumentView>(`/api/v1/documents/${documentId}`);
    }
    if (document.status !== 'READY')
      throw new Error(
        `${what} ${document.number} is ${document.status}: ${document.failureReason ?? 'still rendering'}`,
      );
    const bytes = await supplier.download(`/api/v1/documents/${documentId}/content`);
    const path = join(options.outputDir, safeFileName(`${document.number}.pdf`));
    writeFileSync(path, bytes);
    return {
      number: document.number,
      path,
      sha256: document.sha256 ?? '',
      pages: document.pages ?? 0,
    };
  };
  const refusal = async (
    run: () => Promise<unknown>,
  ): Promise<{ code: string; detail: string }> => {
    try {
      await run();
    } catch (error) {
      if (error instanceof ApiError && error.problem)
        return { code: error.problem.code, detail: error.problem.detail };
      throw error;
    }
    throw new Error('was accepted, but the demo expected a refusal');
  };

  const requested = await step(`${pledgor.name} pledges steel coils (POST /pledges)`, () =>
    supplier.post<PledgeView>('/api/v1/pledges', {
      financierId: bank.id,
      currency: 'CNY',
      warehouse: DEMO_WAREHOUSE,
      receiptNumber,
      items: DEMO_COILS.map(({ price: _price, ...item }) => item),
    }),
  );
  log(
    `${pledgor.name} pledged ${DEMO_COILS.length} lots of steel coils at ${DEMO_WAREHOUSE.name}, receipt ${receiptNumber} (${requested.reference}, REQUESTED)`,
  );
  const valued = await step(
    `${bank.name}'s OPERATOR values the goods (POST /pledges/:id/valuation)`,
    () =>
      maker.post<PledgeView>(`/api/v1/pledges/${requested.id}/valuation`, {
        items: DEMO_COILS.map((item) => ({ sku: item.sku, marketUnitPrice: item.price })),
        haircut: '0.3',
        marginCallLtv: '0.8',
        liquidationLtv: '0.9',
        warehouseVerifiedAt: new Date(Date.now() - 3_600_000).toISOString(),
        annualRate: '0.058',
        dayCount: 'ACT/360',
      }),
  );
  log(
    `valued at CNY ${valued.collateralValue}; haircut 30 %: lending value CNY ${valued.lendingValue}`,
  );
  await step(`${bank.name}'s APPROVER approves (POST /pledges/:id/approve)`, () =>
    checker.post<PledgeView>(`/api/v1/pledges/${requested.id}/approve`, undefined),
  );
  const active = await step('the pledge agreement is rendered and the pledge ACTIVE', () =>
    until(requested.id, (pledge) => pledge.status === 'ACTIVE', 'the pledge to be ACTIVE'),
  );
  const agreement = await step('download the pledge agreement (GET /documents/:id/content)', () =>
    savePdf(active.documentIds[0], 'the pledge agreement'),
  );
  log(
    `pledge agreement ${agreement.number} (${agreement.pages} page(s), sha256 ${agreement.sha256.slice(0, 16)}…): ${agreement.path}`,
  );

  const drawn = await step(
    `${pledgor.name} draws CNY 600,000.00 (POST /pledges/:id/drawdowns)`,
    () =>
      supplier.post<FinancingView>(`/api/v1/pledges/${requested.id}/drawdowns`, {
        amount: '600000.00',
        maturityDate: addDays(trade.today, 60),
      }),
  );
  const financingPath = `/api/v1/financings/${drawn.id}`;
  await step(
    'maker submits, checker approves (POST /financings/:id/submit-approval, /approve)',
    async () => {
      await maker.post(`${financingPath}/submit-approval`, undefined);
      await checker.post(`${financingPath}/approve`, undefined);
    },
  );
  const drawdown = await step(`${bank.name} pays out (POST /financings/:id/disburse)`, () =>
    maker.post<FinancingView>(`${financingPath}/disburse`, {
      bankReference: `JNCB-${drawn.reference}`,
      disbursedAt: new Date(Date.now() - 60_000).toISOString(),
    }),
  );
  log(
    `drawdown ${drawdown.reference} paid out: net CNY ${drawdown.netProceeds} (discount ${drawdown.discountAmount} at 5.8 %), repayable ${drawdown.maturityDate}`,
  );

  await step('the bank marks a 25 % price fall (POST /pledges/:id/prices)', () =>
    maker.post(`/api/v1/pledges/${requested.id}/prices`, {
      items: DEMO_COILS.map((item) => ({
        sku: item.sku,
        marketUnitPrice: new Decimal(item.price).times(PRICE_FALL).toFixed(6),
      })),
      asOf: new Date(Date.now() - 1_000).toISOString(),
    }),
  );
  const called = await step('the revaluation job raises a margin call', () =>
    until(requested.id, (pledge) => pledge.status === 'MARGIN_CALL', 'the margin call'),
  );
  log(
    `coil prices fell 25 %: collateral CNY ${called.collateralValue}, LTV ${called.ltv} > 0.8 → MARGIN_CALL`,
  );

  const releaseLines = [{ sku: 'HRC-Q345-3.0', quantity: '20' }];
  const refusedRelease = await step('a partial release during the margin call is refused', () =>
    refusal(() =>
      supplier.post(`/api/v1/pledges/${requested.id}/release`, { items: releaseLines }),
    ),
  );
  log(`release of 20 t HRC-Q345-3.0 refused: ${refusedRelease.code}`);
  const repayment = '250000.00';
  await step(`${pledgor.name} repays CNY ${repayment} (POST /financings/:id/settlements)`, () =>
    supplier.post(`${financingPath}/settlements`, {
      amount: repayment,
      paidAt: new Date(Date.now() - 1_000).toISOString(),
      bankReference: `HX-REPAY-${drawn.reference}`,
    }),
  );
  const cleared = await step('the revaluation job clears the margin call', () =>
    until(requested.id, (pledge) => pledge.status === 'ACTIVE', 'the margin call to clear'),
  );
  log(`after repaying CNY ${repayment}: LTV ${cleared.ltv} → ACTIVE again`);
  const released = await step(
    'the same partial release is allowed now (POST /pledges/:id/release)',
    () =>
      supplier.post<PledgeView>(`/api/v1/pledges/${requested.id}/release`, { items: releaseLines }),
  );
  const certificateId = released.documentIds.find((id) => id !== active.documentIds[0]);
  if (!certificateId)
    throw new PledgeStepError('find the release certificate', new Error('none listed'));
  const certificate = await step('download the release certificate', () =>
    savePdf(certificateId, 'the release certificate'),
  );
  log(
    `20 t released (${released.status}); release certificate ${certificate.number}: ${certificate.path}`,
  );

  const intruder = as(INTRUDER, Role.OPERATOR);
  const doublePledge = await step('another supplier pledges the same receipt', () =>
    refusal(() =>
      intruder.post('/api/v1/pledges', {
        financierId: demoOrganization(seed, 'financier-harbour').id,
        currency: 'CNY',
        warehouse: DEMO_WAREHOUSE,
        receiptNumber,
        items: [
          {
            sku: 'HRC-Q235-2.0',
            description: '热轧钢卷 Q235 2.0mm',
            quantity: '120.5',
            unit: 't',
            declaredUnitValue: '4100.00',
          },
        ],
      }),
    ),
  );
  log(
    `${demoOrganization(seed, INTRUDER).name} pledging receipt ${receiptNumber} again: ${doublePledge.code} (the attempt is recorded and ${bank.name} warned)`,
  );

  return {
    pledge: await supplier.get<PledgeView>(`/api/v1/pledges/${requested.id}`),
    receiptNumber,
    agreement,
    drawdown,
    marginCall: { ltv: called.ltv, collateralValue: called.collateralValue },
    refusedRelease,
    repayment,
    cleared: { ltv: cleared.ltv },
    release: {
      status: released.status,
      certificatePath: certificate.path,
      certificateNumber: certificate.number,
    },
    doublePledge,
  };
}

/** The pledge section of the demo's closing summary. */
export function formatPledgeSummary(walk: PledgeWalk): string[] {
  return [
    'Inventory pledge (存货质押):',
    `  ${walk.pledge.reference}: receipt ${walk.receiptNumber} at ${walk.pledge.warehouse.name}, now ${walk.pledge.status}`,
    `  pledge agreement ${walk.agreement.number}: ${walk.agreement.path}`,
    `  drawdown ${walk.drawdown.reference}: CNY ${walk.drawdown.advanceAmount} (net ${walk.drawdown.netProceeds}), repayable ${walk.drawdown.maturityDate}`,
    `  margin call at LTV ${walk.marginCall.ltv} (collateral CNY ${walk.marginCall.collateralValue}); cleared at LTV ${walk.cleared.ltv} after repaying CNY ${walk.repayment}`,
    `  release refused first (${walk.refusedRelease.code}), then allowed: certificate ${walk.release.certificateNumber}: ${walk.release.certificatePath}`,
    `  a second pledge of the same receipt by another supplier: ${walk.doublePledge.code}`,
  ];
}
