import { randomBytes } from 'node:crypto';
import { Role } from '../../src/common/auth/roles';
import { bearer, countRows, eventually, expectStatus } from './fixtures';
import type { FinancingWorld } from './financing-fixtures';
import type { TestApp } from './test-app';

/** Steel coils in a Qingdao bonded warehouse: the worked example of docs/pledges.md. */
export const COILS = [
  {
    sku: 'HRC-Q235-2.0',
    description: '热轧钢卷 Q235 2.0mm',
    quantity: '120.5',
    unit: 't',
    declaredUnitValue: '4100.00',
  },
  {
    sku: 'HRC-Q345-3.0',
    description: '热轧钢卷 Q345B 3.0mm',
    quantity: '80',
    unit: 't',
    declaredUnitValue: '4300.00',
  },
  {
    sku: 'CRC-SPCC-1.0',
    description: '冷轧钢卷 SPCC 1.0mm',
    quantity: '35.25',
    unit: 't',
    declaredUnitValue: '4700.00',
  },
];

/** Market prices giving collateral 980 530.50 and, at haircut 0.3, lending value 686 371.35. */
export const COIL_PRICES = [
  { sku: 'HRC-Q235-2.0', marketUnitPrice: '3980.00' },
  { sku: 'HRC-Q345-3.0', marketUnitPrice: '4210.50' },
  { sku: 'CRC-SPCC-1.0', marketUnitPrice: '4655.333333' },
];

export const WAREHOUSE = {
  name: '青岛港保税物流仓储有限公司',
  registrationId: '91370200MA3C4QDP01',
  address: '山东省青岛市黄岛区保税港区 12 号库',
};

export const VALUATION = {
  items: COIL_PRICES,
  haircut: '0.3',
  marginCallLtv: '0.8',
  liquidationLtv: '0.9',
  warehouseVerifiedAt: '2026-11-27T09:30:00+08:00',
};

export interface PledgeBody {
  id: string;
  reference: string;
  status: string;
  supplierId: string;
  financierId: string;
  programId: string | null;
  receiptNumber: string;
  items: Array<{
    sku: string;
    quantity: string;
    marketUnitPrice: string | null;
    marketValue: string | null;
  }>;
  receipts: Array<{ registrationId: string; receiptNumber: string; live: boolean }>;
  collateralValue: string;
  lendingValue: string;
  outstandingAmount: string;
  availableAmount: string;
  ltv: string | null;
  approvalLtv: string | null;
  documentIds: string[];
  [key: string]: unknown;
}

/** A warehouse receipt number no other test uses. */
export const freshReceipt = (): string => `QDP-WR-${randomBytes(5).toString('hex').toUpperCase()}`;

/** The pledge body of the world's supplier, to its financier, in its program. */
export function pledgeBody(
  world: FinancingWorld,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    financierId: world.financier.id,
    programId: world.programId,
    currency: 'CNY',
    warehouse: WAREHOUSE,
    receiptNumber: freshReceipt(),
    items: COILS,
    ...overrides,
  };
}

export async function requestedPledge(
  t: TestApp,
  world: FinancingWorld,
  overrides: Record<string, unknown> = {},
): Promise<PledgeBody> {
  const response = await t
    .http()
    .post('/api/v1/pledges')
    .set(...bearer(world.supplier.admin.token))
    .send(pledgeBody(world, overrides));
  expectStatus(response, 201);
  return response.body as PledgeBody;
}

export async function valuedPledge(
  t: TestApp,
  world: FinancingWorld,
  overrides: Record<string, unknown> = {},
): Promise<PledgeBody> {
  const pledge = await requestedPledge(t, world, overrides);
  const valued = await t
    .http()
    .post(`/api/v1/pledges/${pledge.id}/valuation`)
    .set(...bearer(world.maker.token))
    .send(VALUATION);
  expectStatus(valued, 200);
  return valued.body as PledgeBody;
}

/** Valued, approved by the checker, and ACTIVE once its pledge agreement is READY. */
export async function activePledge(
  t: TestApp,
  world: FinancingWorld,
  overrides: Record<string, unknown> = {},
): Promise<PledgeBody> {
  const pledge = await valuedPledge(t, world, overrides);
  expectStatus(
    await t
      .http()
      .post(`/api/v1/pledges/${pledge.id}/approve`)
      .set(...bearer(world.checker.token)),
    200,
  );
  return pledgeInStatus(t, world, pledge.id, 'ACTIVE');
}

/** Waits until the pledge is in `status` (a job moves it); returns it as the supplier sees it. */
export async function pledgeInStatus(
  t: TestApp,
  world: FinancingWorld,
  id: string,
  status: string,
  predicate: (pledge: PledgeBody) => boolean = () => true,
): Promise<PledgeBody> {
  return eventually(
    async () => {
      const response = await t
        .http()
        .get(`/api/v1/pledges/${id}`)
        .set(...bearer(world.supplier.admin.token));
      expectStatus(response, 200);
      const pledge = response.body as PledgeBody;
      return pledge.status === status && predicate(pledge) ? pledge : undefined;
    },
    60_000,
    `pledge ${id} to be ${status}`,
  );
}

/** Waits until the revaluation job has run for the pledge after `since` (revaluedAt moved). */
export async function revaluedAfter(t: TestApp, id: string, since: Date): Promise<void> {
  await eventually(
    async () => (await countRows(t, 'pledges', 'id = $1 AND revalued_at > $2', [id, since])) === 1,
    30_000,
    `revaluation of pledge ${id}`,
  );
}

/** A drawdown through maker, checker and payout: returns the DISBURSED financing. */
export async function disbursedDrawdown(
  t: TestApp,
  world: FinancingWorld,
  pledgeId: string,
  amount: string,
  maturityDate: string,
): Promise<Record<string, unknown> & { id: string; reference: string }> {
  const drawn = await t
    .http()
    .post(`/api/v1/pledges/${pledgeId}/drawdowns`)
    .set(...bearer(world.supplier.admin.token))
    .send({ amount, maturityDate });
  expectStatus(drawn, 201);
  const id = (drawn.body as { id: string }).id;
  const step = async (path: string, token: string, body?: Record<string, unknown>) => {
    const response = await t
      .http()
      .post(`/api/v1/financings/${id}/${path}`)
      .set(...bearer(token))
      .send(body);
    expectStatus(response, 200);
    return response.body as Record<string, unknown> & { id: string; reference: string };
  };
  await step('submit-approval', world.maker.token);
  await step('approve', world.checker.token);
  return step('disburse', world.maker.token, {
    bankReference: `BANK-${(drawn.body as { reference: string }).reference}`,
    disbursedAt: '2026-11-28T10:00:00+08:00',
  });
}

export const ROLE_MAKER_AND_CHECKER = [Role.OPERATOR, Role.APPROVER];
