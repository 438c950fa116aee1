import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  bearer,
  createTenant,
  eventually,
  expectStatus,
  platformAdminToken,
  type Tenant,
} from './fixtures';
import type { TestApp } from './test-app';

export interface TradeWorld {
  platform: string;
  anchor: Tenant;
  supplier: Tenant;
  financier: Tenant;
  programId: string;
}

export const PROGRAM = {
  name: '华东精密 2026 应收账款融资计划',
  currency: 'CNY',
  advanceRate: '0.9',
  dayCount: 'ACT/360',
  recourse: 'WITH',
  maxTenorDays: 180,
  minInvoiceAmount: '1000.00',
  maxInvoiceAmount: '5000000.00',
  matchTolerance: '0.02',
  baseRate: '0.0345',
  platformFeeBps: 10,
  offerTtlHours: 24,
  graceDays: 5,
  timezone: 'Asia/Shanghai',
  holidays: ['2027-01-01'],
};

/** An anchor with a CNY program, a supplier that accepted it and a financier with terms, all through the API. */
export async function tradeWorld(
  t: TestApp,
  options: { acceptSupplier?: boolean } = {},
): Promise<TradeWorld> {
  const platform = await platformAdminToken(t);
  const anchor = await createTenant(t, OrganizationKind.ANCHOR, {
    platformToken: platform,
    roles: [Role.OPERATOR, Role.APPROVER, Role.VIEWER],
  });
  const supplier = await createTenant(t, OrganizationKind.SUPPLIER, {
    platformToken: platform,
    roles: [Role.OPERATOR, Role.VIEWER],
  });
  const financier = await createTenant(t, OrganizationKind.FINANCIER, { platformToken: platform });
  const program = await t
    .http()
    .post('/api/v1/programs')
    .set(...bearer(anchor.admin.token))
    .send(PROGRAM);
  expectStatus(program, 201);
  const programId = program.body.id as string;
  expectStatus(
    await t
      .http()
      .post(`/api/v1/programs/${programId}/suppliers`)
      .set(...bearer(anchor.admin.token))
      .send({ supplierId: supplier.id }),
    201,
  );
  if (options.acceptSupplier !== false) {
    expectStatus(
      await t
        .http()
        .post(`/api/v1/programs/${programId}/suppliers/${supplier.id}/accept`)
        .set(...bearer(supplier.admin.token)),
      200,
    );
  }
  expectStatus(
    await t
      .http()
      .post(`/api/v1/programs/${programId}/financiers`)
      .set(...bearer(anchor.admin.token))
      .send({ financierId: financier.id }),
    201,
  );
  expectStatus(
    await t
      .http()
      .put(`/api/v1/programs/${programId}/financiers/${financier.id}/terms`)
      .set(...bearer(financier.admin.token))
      .send({
        limit: '10000000.00',
        supplierSubLimit: '2000000.00',
        marginBps: 150,
        minTenorDays: 7,
        maxTenorDays: 180,
        active: true,
      }),
    200,
  );
  return { platform, anchor, supplier, financier, programId };
}

let sequence = 0;
export const uniqueNumber = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}-${(sequence++).toString(36)}`;

/** A purchase order of the anchor to the supplier, and optionally a receipt of part of it. */
export async function orderWithReceipt(
  t: TestApp,
  world: TradeWorld,
  options: {
    quantity?: string;
    unitPrice?: string;
    received?: string | null;
    receivedDate?: string;
  } = {},
): Promise<{ number: string; id: string }> {
  const number = uniqueNumber('PO');
  const order = await t
    .http()
    .post('/api/v1/purchase-orders')
    .set(...bearer(world.anchor.admin.token))
    .send({
      number,
      supplierId: world.supplier.id,
      currency: 'CNY',
      issueDate: '2026-09-01',
      lines: [
        {
          sku: 'PCB-4471',
          description: '四层电路板',
          quantity: options.quantity ?? '1000',
          unit: 'PCS',
          unitPrice: options.unitPrice ?? '100.00',
        },
      ],
    });
  expectStatus(order, 201);
  if (options.received !== null) {
    expectStatus(
      await t
        .http()
        .post('/api/v1/goods-receipts')
        .set(...bearer(world.anchor.admin.token))
        .send({
          purchaseOrderNumber: number,
          receivedDate: options.receivedDate ?? '2026-10-01',
          lines: [{ sku: 'PCB-4471', quantityAccepted: options.received ?? '1000' }],
        }),
      201,
    );
  }
  return { number, id: order.body.id as string };
}

export function invoiceBody(
  world: TradeWorld,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    number: uniqueNumber('INV'),
    anchorId: world.anchor.id,
    programId: world.programId,
    issueDate: '2026-10-08',
    dueDate: '2027-01-06',
    currency: 'CNY',
    totalAmount: '50000.00',
    taxAmount: '5752.21',
    ...overrides,
  };
}

export async function submitInvoice(
  t: TestApp,
  world: TradeWorld,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const response = await t
    .http()
    .post('/api/v1/invoices')
    .set(...bearer(world.supplier.admin.token))
    .send(invoiceBody(world, overrides));
  expectStatus(response, 201);
  return response.body as Record<string, unknown>;
}

/** Waits for the worker to verify an invoice; returns it. */
export async function verified(
  t: TestApp,
  world: TradeWorld,
  invoiceId: string,
): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const response = await t
        .http()
        .get(`/api/v1/invoices/${invoiceId}`)
        .set(...bearer(world.supplier.admin.token));
      return response.body.verification?.status !== 'PENDING'
        ? (response.body as Record<string, unknown>)
        : undefined;
    },
    20_000,
    `verification of invoice ${invoiceId}`,
  );
}
