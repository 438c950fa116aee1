import { bearer, eventually, expectProblem, expectStatus } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  orderWithReceipt,
  submitInvoice,
  tradeWorld,
  verified,
  type TradeWorld,
} from '../support/trade-fixtures';

describe('trade: from purchase order to a confirmed, eligible invoice', () => {
  let t: TestApp;
  let world: TradeWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await tradeWorld(t);
  });
  afterAll(() => t.close());

  it('verifies an invoice against the order and receipt, the anchor confirms it, and it becomes eligible', async () => {
    const order = await orderWithReceipt(t, world, { received: '500' }); // 50,000.00 received
    const submitted = await submitInvoice(t, world, {
      purchaseOrderNumber: order.number,
      totalAmount: '50000.00',
    });
    expect(submitted).toMatchObject({
      status: 'SUBMITTED',
      verification: { status: 'PENDING' },
      totalAmount: '50000.00',
    });
    const invoice = await verified(t, world, submitted.id as string);
    expect(invoice).toMatchObject({
      status: 'VERIFIED',
      verification: { status: 'VERIFIED', reasons: [] },
    });

    const eligibility = await t
      .http()
      .get(`/api/v1/invoices/${invoice.id}/eligibility`)
      .set(...bearer(world.supplier.admin.token));
    expectStatus(eligibility, 200);
    expect(eligibility.body).toEqual({
      eligible: false,
      reasons: [{ code: 'NOT_CONFIRMED', message: expect.any(String) }],
    });

    const confirmed = await t
      .http()
      .post(`/api/v1/invoices/${invoice.id}/confirm`)
      .set(...bearer(world.anchor.admin.token))
      .send({ confirmedAmount: '50000.00', paymentDate: '2027-01-06' });
    expectStatus(confirmed, 200);
    expect(confirmed.body).toMatchObject({
      status: 'CONFIRMED',
      confirmation: { confirmedAmount: '50000.00', paymentDate: '2027-01-06' },
      financeableAmount: '50000.00',
    });

    const after = await t
      .http()
      .get(`/api/v1/invoices/${invoice.id}/eligibility`)
      .set(...bearer(world.supplier.admin.token));
    expect(after.body).toEqual({ eligible: true, reasons: [] });
    const detail = await t
      .http()
      .get(`/api/v1/invoices/${invoice.id}`)
      .set(...bearer(world.anchor.admin.token));
    expect(detail.body.history.map((entry: { action: string }) => entry.action)).toEqual([
      'invoice.submitted',
      'invoice.verification',
      'invoice.confirmed',
    ]);
  });

  it('puts an invoice beyond the goods received in EXCEPTION, and verifies it once a late receipt arrives', async () => {
    const order = await orderWithReceipt(t, world, { received: '100' }); // 10,000.00 received
    const submitted = await submitInvoice(t, world, {
      purchaseOrderNumber: order.number,
      totalAmount: '30000.00',
    });
    const exception = await verified(t, world, submitted.id as string);
    expect(exception).toMatchObject({
      status: 'EXCEPTION',
      verification: { reasons: [expect.objectContaining({ code: 'EXCEEDS_RECEIVED' })] },
    });
    expectProblem(
      await t
        .http()
        .post(`/api/v1/invoices/${exception.id}/confirm`)
        .set(...bearer(world.anchor.admin.token))
        .send({ confirmedAmount: '30000.00', paymentDate: '2027-01-06' }),
      409,
      'INVOICE_NOT_VERIFIED',
    );
    expectStatus(
      await t
        .http()
        .post('/api/v1/goods-receipts')
        .set(...bearer(world.anchor.admin.token))
        .send({
          purchaseOrderNumber: order.number,
          receivedDate: '2026-10-20',
          lines: [{ sku: 'PCB-4471', quantityAccepted: '200' }],
        }),
      201,
    );
    const reverified = await eventually(
      async () => {
        const response = await t
          .http()
          .get(`/api/v1/invoices/${submitted.id as string}`)
          .set(...bearer(world.supplier.admin.token));
        return response.body.status === 'VERIFIED'
          ? (response.body as Record<string, unknown>)
          : undefined;
      },
      20_000,
      're-verification after the late receipt',
    );
    expect(reverified).toMatchObject({
      status: 'VERIFIED',
      verification: { status: 'VERIFIED', reasons: [] },
    });
  });
});
