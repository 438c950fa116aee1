import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  addMember,
  bearer,
  countRows,
  createTenant,
  eventually,
  expectStatus,
  type Member,
  type Tenant,
} from './fixtures';
import type { TestApp } from './test-app';
import { settle } from './trade-records';
import { tradeWorld, type TradeWorld } from './trade-fixtures';
import { verifiedInvoice, type InvoiceBody } from './ubl-fixtures';

/** The payment date the fixtures' anchor confirms (the invoices' due date). */
export const PAYMENT_DATE = '2027-01-06';

export interface FinancingWorld extends TradeWorld {
  /** A second financier in the program, with a higher margin (its offers net less). */
  otherFinancier: Tenant;
  maker: Member;
  checker: Member;
}

export const FINANCIER_TERMS = {
  limit: '10000000.00',
  supplierSubLimit: '2000000.00',
  marginBps: 150,
  minTenorDays: 7,
  maxTenorDays: 180,
  active: true,
};

/**
 * The trade world plus what financing needs: the financier's maker (OPERATOR) and checker
 * (APPROVER), a second financier with dearer terms, and settlement accounts for the supplier
 * and both financiers (CNY; IBAN and a Chinese account with its CNAPS code).
 */
export async function financingWorld(t: TestApp): Promise<FinancingWorld> {
  const world = await tradeWorld(t);
  const maker = await addMember(t, world.financier, [Role.OPERATOR]);
  const checker = await addMember(t, world.financier, [Role.APPROVER]);
  world.financier.members[Role.OPERATOR] = maker;
  world.financier.members[Role.APPROVER] = checker;
  const otherFinancier = await createTenant(t, OrganizationKind.FINANCIER, {
    platformToken: world.platform,
  });
  await joinProgram(t, world, otherFinancier, { ...FINANCIER_TERMS, marginBps: 250 });
  await registerAccount(t, world.supplier, {
    currency: 'CNY',
    accountNumber: '6222020200112233445',
    bankCode: '102100099996',
    holderName: world.supplier.name,
  });
  await registerAccount(t, world.financier, {
    currency: 'CNY',
    iban: 'DE89370400440532013000',
    bic: 'COBADEFFXXX',
    holderName: world.financier.name,
  });
  await registerAccount(t, otherFinancier, {
    currency: 'CNY',
    accountNumber: '110060000018000123',
    bankCode: '301290000007',
    holderName: otherFinancier.name,
  });
  return { ...world, otherFinancier, maker, checker };
}

/** The anchor invites `financier` into the program, which sets `terms`. */
export async function joinProgram(
  t: TestApp,
  world: TradeWorld,
  financier: Tenant,
  terms: Record<string, unknown> = FINANCIER_TERMS,
): Promise<void> {
  expectStatus(
    await t
      .http()
      .post(`/api/v1/programs/${world.programId}/financiers`)
      .set(...bearer(world.anchor.admin.token))
      .send({ financierId: financier.id }),
    201,
  );
  expectStatus(
    await t
      .http()
      .put(`/api/v1/programs/${world.programId}/financiers/${financier.id}/terms`)
      .set(...bearer(financier.admin.token))
      .send(terms),
    200,
  );
}

export async function registerAccount(
  t: TestApp,
  tenant: Tenant,
  body: Record<string, unknown>,
): Promise<void> {
  expectStatus(
    await t
      .http()
      .post(`/api/v1/organizations/${tenant.id}/bank-accounts`)
      .set(...bearer(tenant.admin.token))
      .send(body),
    201,
  );
}

/** A verified invoice the anchor confirmed for `amount`, payable on PAYMENT_DATE. */
export async function confirmedInvoice(
  t: TestApp,
  world: TradeWorld,
  amount = '50000.00',
): Promise<InvoiceBody> {
  const invoice = await verifiedInvoice(t, world);
  const response = await t
    .http()
    .post(`/api/v1/invoices/${invoice.id}/confirm`)
    .set(...bearer(world.anchor.admin.token))
    .send({ confirmedAmount: amount, paymentDate: PAYMENT_DATE });
  expectStatus(response, 200);
  return response.body as InvoiceBody;
}

export interface OfferBody {
  id: string;
  financierId: string;
  status: string;
  annualRate: string;
  effectiveAnnualRate: string;
  advanceAmount: string;
  discountAmount: string;
  feeAmount: string;
  netProceeds: string;
  lines: Array<{ invoiceId: string; days: number }>;
}

export interface RequestBody {
  id: string;
  status: string;
  valueDate: string;
  invoiceIds: string[];
  offers: OfferBody[];
  reasons: Array<{ code: string; message: string; financierId?: string }>;
}

/** POST /financing-requests as the supplier's ADMIN (202 expected); returns the body. */
export async function requestFinancing(
  t: TestApp,
  world: TradeWorld,
  invoiceIds: string[],
  extra: Record<string, unknown> = {},
): Promise<RequestBody> {
  const response = await t
    .http()
    .post('/api/v1/financing-requests')
    .set(...bearer(world.supplier.admin.token))
    .send({ programId: world.programId, invoiceIds, ...extra });
  expectStatus(response, 202);
  return response.body as RequestBody;
}

/** Waits until the offers worker has priced the request; returns it as the supplier sees it. */
export async function pricedRequest(
  t: TestApp,
  world: TradeWorld,
  requestId: string,
): Promise<RequestBody> {
  return eventually(
    async () => {
      const response = await t
        .http()
        .get(`/api/v1/financing-requests/${requestId}`)
        .set(...bearer(world.supplier.admin.token));
      expectStatus(response, 200);
      return response.body.status !== 'QUEUED' ? (response.body as RequestBody) : undefined;
    },
    20_000,
    `pricing of financing request ${requestId}`,
  );
}

/** Confirmed invoices → request → priced → the best offer accepted; returns the financing body. */
export async function acceptedFinancing(
  t: TestApp,
  world: FinancingWorld,
  amounts: string[] = ['50000.00'],
): Promise<Record<string, unknown> & { id: string; reference: string }> {
  const invoices = [];
  for (const amount of amounts) invoices.push(await confirmedInvoice(t, world, amount));
  const request = await requestFinancing(
    t,
    world,
    invoices.map((invoice) => invoice.id),
  );
  const priced = await pricedRequest(t, world, request.id);
  const best = priced.offers.find((offer) => offer.financierId === world.financier.id);
  if (!best) throw new Error(`no offer from the financier: ${JSON.stringify(priced)}`);
  const accepted = await t
    .http()
    .post(`/api/v1/offers/${best.id}/accept`)
    .set(...bearer(world.supplier.admin.token));
  expectStatus(accepted, 201);
  return accepted.body as Record<string, unknown> & { id: string; reference: string };
}

/** Through maker and checker to APPROVED. */
export async function approvedFinancing(
  t: TestApp,
  world: FinancingWorld,
  amounts?: string[],
): Promise<Record<string, unknown> & { id: string; reference: string }> {
  const financing = await acceptedFinancing(t, world, amounts);
  expectStatus(
    await t
      .http()
      .post(`/api/v1/financings/${financing.id}/submit-approval`)
      .set(...bearer(world.maker.token)),
    200,
  );
  const approved = await t
    .http()
    .post(`/api/v1/financings/${financing.id}/approve`)
    .set(...bearer(world.checker.token));
  expectStatus(approved, 200);
  return approved.body as Record<string, unknown> & { id: string; reference: string };
}

/** Approved and paid out. */
export async function disbursedFinancing(
  t: TestApp,
  world: FinancingWorld,
  amounts?: string[],
): Promise<Record<string, unknown> & { id: string; reference: string }> {
  const financing = await approvedFinancing(t, world, amounts);
  const disbursed = await t
    .http()
    .post(`/api/v1/financings/${financing.id}/disburse`)
    .set(...bearer(world.maker.token))
    .send({
      bankReference: `BANK-${financing.reference}`,
      disbursedAt: '2026-11-27T10:00:00+08:00',
    });
  expectStatus(disbursed, 200);
  await payoutDocumentsReady(t, financing.id);
  // A payout queues an alert sweep too (concentration, limits, growth): let it finish.
  await settle(t);
  return disbursed.body as Record<string, unknown> & { id: string; reference: string };
}

/**
 * Waits until every one of `kinds` of a financing's documents is rendered (READY): rendering
 * appends audit events, so a test that counts rows afterwards waits for it first.
 */
export async function documentsReady(
  t: TestApp,
  financingId: string,
  kinds: readonly string[],
): Promise<void> {
  await eventually(
    async () =>
      (await countRows(
        t,
        'documents',
        `subject_id = $1 AND kind = ANY($2::text[]) AND status = 'READY'`,
        [financingId, kinds],
      )) === kinds.length,
    60_000,
    `the ${kinds.join(', ')} of financing ${financingId}`,
  );
}

/** A disbursed financing's assignment notice rendered (READY). */
export const assignmentNoticeReady = (t: TestApp, financingId: string): Promise<void> =>
  documentsReady(t, financingId, ['ASSIGNMENT_NOTICE']);

/** Both documents of a payout rendered: the anchor's assignment notice, the supplier's confirmation. */
export const payoutDocumentsReady = (t: TestApp, financingId: string): Promise<void> =>
  documentsReady(t, financingId, ['ASSIGNMENT_NOTICE', 'FINANCING_CONFIRMATION']);

/** A closed (settled, recovered, written off) financing's statement rendered. */
export const settlementStatementReady = (t: TestApp, financingId: string): Promise<void> =>
  documentsReady(t, financingId, ['SETTLEMENT_STATEMENT']);
