import { randomUUID } from 'node:crypto';
import { Role } from '../../src/common/auth/roles';
import {
  countRows,
  createApiKey,
  expectProblem,
  expectStatus,
  type IssuedApiKey,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { tradeWorld, uniqueNumber, type TradeWorld } from '../support/trade-fixtures';
import {
  createOrder,
  csvOf,
  fieldCodes,
  fromToday,
  getJson,
  postCsv,
  postJson,
  receive,
  RECEIPT_CSV_HEADER,
  rowCodes,
  TRADE_TABLES,
  idleSnapshot,
} from '../support/trade-records';

const TABLES = [...TRADE_TABLES, 'idempotency_records'];

interface ReceiptView {
  id: string;
  purchaseOrderId: string;
  purchaseOrderNumber: string;
  receivedDate: string;
  currency: string;
  totalValue: string;
  lines: Array<{ sku: string; quantityAccepted: string; value: string }>;
  createdAt: string;
}

/** An order of three lines: 10 × 33.335, 2.5 kg × 12.3456, 100 × 1. */
const THREE_LINES = [
  { sku: 'A', description: '贴片电阻', quantity: '10', unit: 'PCS', unitPrice: '33.335' },
  { sku: 'B', description: '焊锡膏', quantity: '2.5', unit: 'KG', unitPrice: '12.3456' },
  { sku: 'C', description: '包装箱', quantity: '100', unit: 'PCS', unitPrice: '1' },
];

describe('goods receipts: /api/v1/goods-receipts', () => {
  let t: TestApp;
  let world: TradeWorld;
  let rival: TradeWorld;
  let erpKey: IssuedApiKey;

  beforeAll(async () => {
    t = await startTestApp();
    world = await tradeWorld(t);
    rival = await tradeWorld(t);
    erpKey = await createApiKey(t, world.anchor, { name: 'WMS 收货' });
  });
  afterAll(() => t.close());

  const snapshot = () => idleSnapshot(t, TABLES);
  const order = (overrides: Record<string, unknown> = {}) =>
    createOrder(t, world, { lines: THREE_LINES, ...overrides });
  const orderState = async (id: string) => {
    const response = await getJson(t, `/purchase-orders/${id}`, world.anchor.admin.token);
    expectStatus(response, 200);
    const body = response.body as {
      receivedAmount: string;
      lines: Array<{ sku: string; quantityReceived: string }>;
    };
    return {
      receivedAmount: body.receivedAmount,
      received: Object.fromEntries(body.lines.map((line) => [line.sku, line.quantityReceived])),
    };
  };
  const post = (
    body: unknown,
    credential: string | { apiKey: string } | null = world.anchor.admin.token,
  ) => postJson(t, '/goods-receipts', credential, body);

  describe('POST /goods-receipts', () => {
    it('values each line at the order’s unit price (half-up per line) and raises the order’s received quantities and amount', async () => {
      const po = await order();
      expect(po.totalAmount).toBe('464.21');
      const response = await post({
        purchaseOrderNumber: ` ${po.number} `,
        receivedDate: '2026-10-01',
        lines: [
          { sku: 'A', quantityAccepted: '3' },
          { sku: 'B', quantityAccepted: '1.234567' },
        ],
      });
      expectStatus(response, 201);
      const first = response.body as ReceiptView;
      expect(first).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        purchaseOrderId: po.id,
        purchaseOrderNumber: po.number,
        receivedDate: '2026-10-01',
        currency: 'CNY',
        // 3 × 33.335 = 100.005 → 100.01; 1.234567 × 12.3456 = 15.2414703552 → 15.24
        totalValue: '115.25',
        lines: [
          { sku: 'A', quantityAccepted: '3', value: '100.01' },
          { sku: 'B', quantityAccepted: '1.234567', value: '15.24' },
        ],
        createdAt: expect.any(String),
      });
      expect(await orderState(po.id)).toEqual({
        receivedAmount: '115.25',
        received: { A: '3', B: '1.234567', C: '0' },
      });

      const second = await receive(t, world, po.number, [
        { sku: 'A', quantityAccepted: '7' },
        { sku: 'B', quantityAccepted: '1.265433' },
      ]);
      // 7 × 33.335 = 233.345 → 233.35; 1.265433 × 12.3456 = 15.6225296448 → 15.62
      expect(second).toMatchObject({ totalValue: '248.97' });
      expect(await orderState(po.id)).toEqual({
        receivedAmount: '364.22',
        received: { A: '10', B: '2.5', C: '0' },
      });
      const [row] = (await t.db.query(
        `SELECT received_amount::text AS received FROM purchase_orders WHERE id = $1`,
        [po.id],
      )) as Array<{ received: string }>;
      expect(row.received).toBe('364.2200');

      const events = (await t.db.query(
        `SELECT organization_id, actor_type, data FROM audit_events WHERE action = 'goods_receipt.created' AND entity_id = $1`,
        [first.id],
      )) as Array<Record<string, unknown>>;
      expect(events).toEqual([
        {
          organization_id: world.anchor.id,
          actor_type: 'USER',
          data: {
            purchaseOrderId: po.id,
            receivedDate: '2026-10-01',
            totalValue: '115.25',
            lines: [
              { sku: 'A', quantityAccepted: '3' },
              { sku: 'B', quantityAccepted: '1.234567' },
            ],
          },
        },
      ]);
      // Each receipt queues re-verification of the order's waiting invoices (and the order its own).
      expect(
        await countRows(
          t,
          'outbox_messages',
          `job_name = 'reverify-purchase-orders' AND payload->'purchaseOrderIds' @> to_jsonb(ARRAY[$1::text])`,
          [po.id],
        ),
      ).toBe(3);
      const fetched = await getJson(t, `/goods-receipts/${first.id}`, world.anchor.admin.token);
      expectStatus(fetched, 200);
      expect(fetched.body).toEqual(first);
    });

    it('refuses receiving more than was ordered, counting earlier receipts: 422 RECEIPT_EXCEEDS_ORDER, nothing written', async () => {
      const po = await order();
      await receive(t, world, po.number, [{ sku: 'A', quantityAccepted: '9.5' }]);
      const before = await snapshot();
      const problem = expectProblem(
        await post({
          purchaseOrderNumber: po.number,
          receivedDate: '2026-10-02',
          lines: [
            { sku: 'C', quantityAccepted: '1' },
            { sku: 'A', quantityAccepted: '0.500001' },
          ],
        }),
        422,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual([
        {
          field: 'quantityAccepted',
          code: 'RECEIPT_EXCEEDS_ORDER',
          message: 'quantityAccepted would bring A to 10.000001 received of 10 ordered',
        },
      ]);
      // The same SKU twice on one receipt counts twice.
      const twice = expectProblem(
        await post({
          purchaseOrderNumber: po.number,
          receivedDate: '2026-10-02',
          lines: [
            { sku: 'A', quantityAccepted: '0.3' },
            { sku: 'A', quantityAccepted: '0.3' },
          ],
        }),
        422,
        'VALIDATION_FAILED',
      );
      expect(fieldCodes(twice)).toEqual(['quantityAccepted:RECEIPT_EXCEEDS_ORDER']);
      expect(await snapshot()).toEqual(before);
      expect(await orderState(po.id)).toEqual({
        receivedAmount: '316.68',
        received: { A: '9.5', B: '0', C: '0' },
      });
      // Exactly what is left is fine.
      await receive(t, world, po.number, [{ sku: 'A', quantityAccepted: '0.5' }], '2026-10-02');
      expect((await orderState(po.id)).received.A).toBe('10');
    });

    it.each([
      [
        'a SKU that is not on the order',
        { lines: [{ sku: 'Z-404', quantityAccepted: '1' }] },
        'sku:SKU_NOT_ON_ORDER',
      ],
      [
        'a received date before the order’s issue date',
        { receivedDate: '2026-08-31' },
        'receivedDate:BEFORE_ORDER',
      ],
      ['a received date in the future', { receivedDate: fromToday(3) }, 'receivedDate:IN_FUTURE'],
      [
        'a JSON number for the quantity',
        { lines: [{ sku: 'A', quantityAccepted: 1 }] },
        'lines.0.quantityAccepted:IS_DECIMAL_STRING',
      ],
      [
        'a quantity of 0',
        { lines: [{ sku: 'A', quantityAccepted: '0' }] },
        'lines.0.quantityAccepted:IS_DECIMAL_STRING',
      ],
      [
        'a quantity with 7 decimals',
        { lines: [{ sku: 'A', quantityAccepted: '0.0000001' }] },
        'lines.0.quantityAccepted:IS_DECIMAL_STRING',
      ],
      ['no lines', { lines: [] }, 'lines:ARRAY_MIN_SIZE'],
      ['a date that does not exist', { receivedDate: '2026-09-31' }, 'receivedDate:IS_ISO_DATE'],
      ['an unknown field', { warehouse: 'WH-1' }, 'warehouse:UNKNOWN_FIELD'],
      [
        'a value sent by the client',
        { lines: [{ sku: 'A', quantityAccepted: '1', value: '33.34' }] },
        'lines.0.value:UNKNOWN_FIELD',
      ],
    ])(
      'refuses %s with 422 naming the field, writing nothing',
      async (_what, overrides, expected) => {
        const po = await order();
        const before = await snapshot();
        const problem = expectProblem(
          await post({
            purchaseOrderNumber: po.number,
            receivedDate: '2026-10-01',
            lines: [{ sku: 'A', quantityAccepted: '1' }],
            ...overrides,
          }),
          422,
          'VALIDATION_FAILED',
        );
        expect(fieldCodes(problem)).toContain(expected);
        expect(await snapshot()).toEqual(before);
        expect((await orderState(po.id)).receivedAmount).toBe('0.00');
      },
    );

    it('answers 422 PO_NOT_FOUND for an unknown order number and for another anchor’s order, telling nothing about it', async () => {
      const theirs = await createOrder(t, rival, { lines: THREE_LINES });
      const before = await snapshot();
      for (const number of [uniqueNumber('PO-NONE'), theirs.number]) {
        const problem = expectProblem(
          await post({
            purchaseOrderNumber: number,
            receivedDate: '2026-10-01',
            lines: [{ sku: 'A', quantityAccepted: '1' }],
          }),
          422,
          'VALIDATION_FAILED',
        );
        expect(problem.errors).toEqual([
          {
            field: 'purchaseOrderNumber',
            code: 'PO_NOT_FOUND',
            message: `purchaseOrderNumber names no purchase order of this anchor (${number})`,
          },
        ]);
        expect(JSON.stringify(problem)).not.toContain(theirs.id);
      }
      expect(await snapshot()).toEqual(before);
      const [row] = (await t.db.query(
        'SELECT received_amount::text AS received FROM purchase_orders WHERE id = $1',
        [theirs.id],
      )) as Array<{ received: string }>;
      expect(row.received).toBe('0.0000');
    });

    it('is written by the anchor’s ADMIN, OPERATOR and ERP key; 403 for a supplier, a financier, the platform, the anchor’s VIEWER and a VIEWER key; 401 without credentials', async () => {
      const po = await order();
      const body = (quantity: string) => ({
        purchaseOrderNumber: po.number,
        receivedDate: '2026-10-01',
        lines: [{ sku: 'C', quantityAccepted: quantity }],
      });
      const viewerKey = await createApiKey(t, world.anchor, { roles: [Role.VIEWER] });
      const before = await snapshot();
      for (const credential of [
        world.supplier.admin.token,
        world.financier.admin.token,
        world.platform,
        world.anchor.members.VIEWER!.token,
        { apiKey: viewerKey.key },
      ]) {
        expectProblem(await post(body('1'), credential), 403, 'FORBIDDEN');
      }
      expectProblem(await post(body('1'), null), 401, 'UNAUTHENTICATED');
      expect(await snapshot()).toEqual(before);

      expectStatus(await post(body('1'), world.anchor.members.OPERATOR!.token), 201);
      const byKey = await post(body('2'), { apiKey: erpKey.key });
      expectStatus(byKey, 201);
      const [event] = (await t.db.query(
        `SELECT actor_type, actor_id FROM audit_events WHERE action = 'goods_receipt.created' AND entity_id = $1`,
        [byKey.body.id],
      )) as Array<{ actor_type: string; actor_id: string }>;
      expect(event).toEqual({ actor_type: 'API_KEY', actor_id: erpKey.id });
      expect(await orderState(po.id)).toEqual({
        receivedAmount: '3.00',
        received: { A: '0', B: '0', C: '3' },
      });
    });

    it('replays a repeated Idempotency-Key with one receipt (received once), and refuses the key for another body', async () => {
      const po = await order();
      const body = {
        purchaseOrderNumber: po.number,
        receivedDate: '2026-10-01',
        lines: [{ sku: 'B', quantityAccepted: '1' }],
      };
      const send = (payload: object) =>
        postJson(t, '/goods-receipts', world.anchor.admin.token, payload, {
          idempotencyKey: `gr-${po.number}`,
        });
      const first = await send(body);
      expectStatus(first, 201);
      const afterFirst = await snapshot();
      const again = await send(body);
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
      expect(await orderState(po.id)).toEqual({
        receivedAmount: '12.35',
        received: { A: '0', B: '1', C: '0' },
      });
      expectProblem(
        await send({ ...body, lines: [{ sku: 'B', quantityAccepted: '1.5' }] }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await snapshot()).toEqual(afterFirst);
    });
  });

  describe('GET /goods-receipts and /goods-receipts/:id', () => {
    let po: { id: string; number: string };
    let receipts: ReceiptView[];
    let theirs: ReceiptView;

    beforeAll(async () => {
      po = await order();
      receipts = [];
      for (const quantity of ['1', '2', '3'])
        receipts.push(
          (await receive(t, world, po.number, [
            { sku: 'C', quantityAccepted: quantity },
          ])) as unknown as ReceiptView,
        );
      const rivalOrder = await createOrder(t, rival, { lines: THREE_LINES });
      theirs = (await receive(t, rival, rivalOrder.number, [
        { sku: 'A', quantityAccepted: '1' },
      ])) as unknown as ReceiptView;
    });

    it('lists the receipts of one order, newest first, paging with a cursor', async () => {
      const first = await getJson(
        t,
        `/goods-receipts?purchaseOrderId=${po.id}&limit=2`,
        world.anchor.members.VIEWER!.token,
      );
      expectStatus(first, 200);
      expect(first.body.items).toEqual([receipts[2], receipts[1]]);
      expect(typeof first.body.nextCursor).toBe('string');
      const second = await getJson(
        t,
        `/goods-receipts?purchaseOrderId=${po.id}&limit=2&cursor=${first.body.nextCursor as string}`,
        world.anchor.members.VIEWER!.token,
      );
      expect(second.body).toEqual({ items: [receipts[0]], nextCursor: null });
    });

    it('lists only the anchor’s own receipts; the platform sees all', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await getJson(
          t,
          `/goods-receipts?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          world.anchor.admin.token,
        );
        expectStatus(page, 200);
        seen.push(...(page.body.items as ReceiptView[]).map((item) => item.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(seen.length).toBe(
        await countRows(t, 'goods_receipts', 'anchor_id = $1', [world.anchor.id]),
      );
      expect(seen).not.toContain(theirs.id);
      const other = await getJson(
        t,
        `/goods-receipts?purchaseOrderId=${po.id}`,
        rival.anchor.admin.token,
      );
      expect(other.body).toEqual({ items: [], nextCursor: null });
      const platform = await getJson(
        t,
        `/goods-receipts?purchaseOrderId=${theirs.purchaseOrderId}`,
        world.platform,
      );
      expect(platform.body).toEqual({ items: [theirs], nextCursor: null });
    });

    it('shows one receipt to its anchor and the platform; 404 with none of its data to another anchor', async () => {
      for (const credential of [world.anchor.admin.token, { apiKey: erpKey.key }, world.platform]) {
        const response = await getJson(t, `/goods-receipts/${receipts[0].id}`, credential);
        expectStatus(response, 200);
        expect(response.body).toEqual(receipts[0]);
      }
      const problem = expectProblem(
        await getJson(t, `/goods-receipts/${theirs.id}`, world.anchor.admin.token),
        404,
        'NOT_FOUND',
      );
      expect(JSON.stringify(problem)).not.toContain(theirs.purchaseOrderNumber);
      expect(JSON.stringify(problem)).not.toContain(theirs.purchaseOrderId);
      expectProblem(
        await getJson(t, `/goods-receipts/${randomUUID()}`, world.anchor.admin.token),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await getJson(t, '/goods-receipts/GRN-1', world.anchor.admin.token),
        404,
        'NOT_FOUND',
      );
    });

    it('answers 403 to the supplier and a financier, 401 without credentials', async () => {
      for (const token of [world.supplier.admin.token, world.financier.admin.token]) {
        expectProblem(
          await getJson(t, `/goods-receipts/${receipts[0].id}`, token),
          403,
          'FORBIDDEN',
        );
        expectProblem(await getJson(t, '/goods-receipts', token), 403, 'FORBIDDEN');
      }
      expectProblem(
        await getJson(t, `/goods-receipts/${receipts[0].id}`, null),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(await getJson(t, '/goods-receipts', null), 401, 'UNAUTHENTICATED');
    });
  });

  describe('POST /goods-receipts/bulk', () => {
    it('takes CSV, one accepted SKU per line, a receipt per order and date; values and received quantities follow', async () => {
      const [one, two] = [await order(), await order()];
      const csv = csvOf(RECEIPT_CSV_HEADER, [
        [one.number, '2026-10-01', 'A', '3'],
        [two.number, '2026-10-01', 'C', '40'],
        [one.number, '2026-10-01', 'B', '1.234567'],
        [one.number, '2026-10-05', 'A', '7'],
      ]);
      const response = await postCsv(t, '/goods-receipts/bulk', world.anchor.admin.token, csv);
      expectStatus(response, 201);
      expect(response.body).toMatchObject({ accepted: 3, rejected: [], rejectedCount: 0 });
      const ids = response.body.ids as string[];
      expect(ids).toHaveLength(3);
      const views = await Promise.all(
        ids.map(
          async (id) =>
            (await getJson(t, `/goods-receipts/${id}`, world.anchor.admin.token))
              .body as ReceiptView,
        ),
      );
      expect(
        views.map((view) => ({
          number: view.purchaseOrderNumber,
          date: view.receivedDate,
          totalValue: view.totalValue,
          skus: view.lines
            .map((line) => `${line.sku}×${line.quantityAccepted}=${line.value}`)
            .sort(),
        })),
      ).toEqual([
        {
          number: one.number,
          date: '2026-10-01',
          totalValue: '115.25',
          skus: ['A×3=100.01', 'B×1.234567=15.24'],
        },
        { number: two.number, date: '2026-10-01', totalValue: '40.00', skus: ['C×40=40.00'] },
        { number: one.number, date: '2026-10-05', totalValue: '233.35', skus: ['A×7=233.35'] },
      ]);
      expect(await orderState(one.id)).toEqual({
        receivedAmount: '348.60',
        received: { A: '10', B: '1.234567', C: '0' },
      });
      expect(await orderState(two.id)).toEqual({
        receivedAmount: '40.00',
        received: { A: '0', B: '0', C: '40' },
      });
      const uploads = (await t.db.query(
        `SELECT data FROM audit_events WHERE action = 'goods_receipt.bulk_created' AND data->'receiptIds' @> to_jsonb(ARRAY[$1::text])`,
        [ids[0]],
      )) as Array<{ data: Record<string, unknown> }>;
      expect(uploads).toEqual([
        { data: { created: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), receiptIds: ids } },
      ]);
    });

    it('takes a JSON array of receipts', async () => {
      const po = await order();
      const response = await postJson(t, '/goods-receipts/bulk', world.anchor.admin.token, [
        {
          purchaseOrderNumber: po.number,
          receivedDate: '2026-10-01',
          lines: [{ sku: 'A', quantityAccepted: '1' }],
        },
        {
          purchaseOrderNumber: po.number,
          receivedDate: '2026-10-01',
          lines: [
            { sku: 'A', quantityAccepted: '2' },
            { sku: 'C', quantityAccepted: '5' },
          ],
        },
      ]);
      expectStatus(response, 201);
      expect(response.body).toMatchObject({ accepted: 2, rejected: [], rejectedCount: 0 });
      expect(await orderState(po.id)).toEqual({
        // 33.34 (33.335 → 33.34) + 66.67 (66.67) + 5.00
        receivedAmount: '105.01',
        received: { A: '3', B: '0', C: '5' },
      });
    });

    it('refuses two receipts of one upload that together exceed the order (422 RECEIPT_EXCEEDS_ORDER on the second), writing nothing', async () => {
      const po = await order();
      await receive(t, world, po.number, [{ sku: 'A', quantityAccepted: '2' }]);
      const before = await snapshot();
      const json = expectProblem(
        await postJson(t, '/goods-receipts/bulk', world.anchor.admin.token, [
          {
            purchaseOrderNumber: po.number,
            receivedDate: '2026-10-02',
            lines: [{ sku: 'A', quantityAccepted: '5' }],
          },
          {
            purchaseOrderNumber: po.number,
            receivedDate: '2026-10-03',
            lines: [{ sku: 'A', quantityAccepted: '4' }],
          },
        ]),
        422,
        'BULK_ROWS_INVALID',
      );
      expect(json.rejected).toEqual([
        {
          row: 2,
          field: 'quantityAccepted',
          code: 'RECEIPT_EXCEEDS_ORDER',
          message: 'quantityAccepted would bring A to 11 received of 10 ordered',
        },
      ]);
      const csv = expectProblem(
        await postCsv(
          t,
          '/goods-receipts/bulk',
          world.anchor.admin.token,
          csvOf(RECEIPT_CSV_HEADER, [
            [po.number, '2026-10-02', 'A', '5'],
            [po.number, '2026-10-03', 'A', '3.000001'],
          ]),
        ),
        422,
        'BULK_ROWS_INVALID',
      );
      expect(rowCodes(csv.rejected)).toEqual(['2:quantityAccepted:RECEIPT_EXCEEDS_ORDER']);
      expect(await snapshot()).toEqual(before);
      expect((await orderState(po.id)).received.A).toBe('2');
    });

    describe('with bad rows', () => {
      let good: { id: string; number: string };
      let late: { id: string; number: string };
      let csv: string;
      let missing: string;
      const expected = [
        '2:purchaseOrderNumber:PO_NOT_FOUND',
        '3:sku:SKU_NOT_ON_ORDER',
        '4:quantityAccepted:IS_DECIMAL_STRING',
        '5:receivedDate:BEFORE_ORDER',
        '6:receivedDate:IS_DATE',
        '8:quantityAccepted:RECEIPT_EXCEEDS_ORDER',
      ];

      beforeAll(async () => {
        good = await order();
        late = await order({ issueDate: '2026-10-10' });
        missing = uniqueNumber('PO-MISSING');
        csv = csvOf(RECEIPT_CSV_HEADER, [
          [good.number, '2026-10-01', 'A', '1'], // 1 good
          [missing, '2026-10-01', 'A', '1'], // 2 no such order
          [good.number, '2026-10-02', 'Z-9', '1'], // 3 SKU not on the order
          [good.number, '2026-10-03', 'B', '1,5'], // 4 not a decimal
          [late.number, '2026-10-09', 'A', '1'], // 5 before the order was placed
          [good.number, '2026/10/04', 'A', '1'], // 6 not a date
          [good.number, '2026-10-05', 'C', '60'], // 7 good
          [good.number, '2026-10-06', 'C', '41'], // 8 60 + 41 > 100 ordered
        ]);
      });

      it('refuses the whole upload with 422 BULK_ROWS_INVALID listing every bad row, writing nothing', async () => {
        const before = await snapshot();
        const problem = expectProblem(
          await postCsv(t, '/goods-receipts/bulk', world.anchor.admin.token, csv),
          422,
          'BULK_ROWS_INVALID',
        );
        expect(rowCodes(problem.rejected)).toEqual(expected);
        expect(problem.rejectedCount).toBe(6);
        expect(await snapshot()).toEqual(before);
        expect(await orderState(good.id)).toEqual({
          receivedAmount: '0.00',
          received: { A: '0', B: '0', C: '0' },
        });
      });

      it('with ?mode=rows writes the good receipts and reports the bad rows', async () => {
        const response = await postCsv(t, '/goods-receipts/bulk', world.anchor.admin.token, csv, {
          query: 'mode=rows',
        });
        expectStatus(response, 201);
        expect(rowCodes(response.body.rejected)).toEqual(expected);
        expect(response.body).toMatchObject({ accepted: 2, rejectedCount: 6 });
        expect(await orderState(good.id)).toEqual({
          receivedAmount: '93.34',
          received: { A: '1', B: '0', C: '60' },
        });
        expect((await orderState(late.id)).receivedAmount).toBe('0.00');
      });
    });

    // Written without its bad line, a receipt would differ from the document and a corrected re-upload
    // would receive the good lines twice.
    it('with ?mode=rows refuses a receipt whole when one of its CSV lines is bad', async () => {
      const po = await order();
      const response = await postCsv(
        t,
        '/goods-receipts/bulk',
        world.anchor.admin.token,
        csvOf(RECEIPT_CSV_HEADER, [
          [po.number, '2026-10-01', 'A', '1'],
          [po.number, '2026-10-01', 'B', 'one'],
        ]),
        { query: 'mode=rows' },
      );
      expectStatus(response, 201);
      expect(rowCodes(response.body.rejected)).toEqual(
        expect.arrayContaining(['2:quantityAccepted:IS_DECIMAL_STRING']),
      );
      expect(
        new Set((response.body.rejected as Array<{ row: number }>).map((error) => error.row)),
      ).toEqual(new Set([1, 2]));
      expect(response.body).toMatchObject({ accepted: 0, rejectedCount: 2 });
      expect(await orderState(po.id)).toEqual({
        receivedAmount: '0.00',
        received: { A: '0', B: '0', C: '0' },
      });
    });

    it('refuses a malformed CSV and a JSON body that is not an array, writing nothing', async () => {
      const po = await order();
      const before = await snapshot();
      const malformed = expectProblem(
        await postCsv(
          t,
          '/goods-receipts/bulk',
          world.anchor.admin.token,
          `${RECEIPT_CSV_HEADER.join(',')}\n"${po.number},2026-10-01,A,1\n`,
        ),
        422,
        'VALIDATION_FAILED',
      );
      expect(fieldCodes(malformed)).toEqual(['body:INVALID_CSV']);
      const notArray = expectProblem(
        await postJson(t, '/goods-receipts/bulk', world.anchor.admin.token, {
          purchaseOrderNumber: po.number,
          receivedDate: '2026-10-01',
          lines: [{ sku: 'A', quantityAccepted: '1' }],
        }),
        422,
        'VALIDATION_FAILED',
      );
      expect(fieldCodes(notArray)).toEqual(['body:IS_ARRAY']);
      const unknownColumn = expectProblem(
        await postCsv(
          t,
          '/goods-receipts/bulk',
          world.anchor.admin.token,
          csvOf([...RECEIPT_CSV_HEADER, 'value'], [[po.number, '2026-10-01', 'A', '1', '33.34']]),
        ),
        422,
        'BULK_ROWS_INVALID',
      );
      expect(rowCodes(unknownColumn.rejected)).toEqual(['1:value:UNKNOWN_FIELD']);
      expect(await snapshot()).toEqual(before);
    });

    it('is for the anchor’s writers and ERP key: 403 for a supplier and a VIEWER, 401 without credentials', async () => {
      const po = await order();
      const csv = csvOf(RECEIPT_CSV_HEADER, [[po.number, '2026-10-01', 'C', '1']]);
      const before = await snapshot();
      for (const token of [world.supplier.admin.token, world.anchor.members.VIEWER!.token]) {
        expectProblem(await postCsv(t, '/goods-receipts/bulk', token, csv), 403, 'FORBIDDEN');
      }
      expectProblem(await postCsv(t, '/goods-receipts/bulk', null, csv), 401, 'UNAUTHENTICATED');
      expect(await snapshot()).toEqual(before);
      const byKey = await postCsv(t, '/goods-receipts/bulk', { apiKey: erpKey.key }, csv);
      expectStatus(byKey, 201);
      expect(byKey.body.accepted).toBe(1);
      expect((await orderState(po.id)).received.C).toBe('1');
    });

    it('replays the same CSV sent again with the same Idempotency-Key (received once), and refuses another CSV with that key', async () => {
      const po = await order();
      const csv = csvOf(RECEIPT_CSV_HEADER, [
        [po.number, '2026-10-01', 'A', '2'],
        [po.number, '2026-10-01', 'C', '10'],
      ]);
      const key = `gr-bulk-${po.number}`;
      const first = await postCsv(t, '/goods-receipts/bulk', world.anchor.admin.token, csv, {
        idempotencyKey: key,
      });
      expectStatus(first, 201);
      const afterFirst = await snapshot();
      const again = await postCsv(t, '/goods-receipts/bulk', world.anchor.admin.token, csv, {
        idempotencyKey: key,
      });
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
      expect(await orderState(po.id)).toEqual({
        receivedAmount: '76.67',
        received: { A: '2', B: '0', C: '10' },
      });
      expectProblem(
        await postCsv(
          t,
          '/goods-receipts/bulk',
          world.anchor.admin.token,
          csvOf(RECEIPT_CSV_HEADER, [[po.number, '2026-10-01', 'A', '3']]),
          { idempotencyKey: key },
        ),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await snapshot()).toEqual(afterFirst);
    });
  });
});
