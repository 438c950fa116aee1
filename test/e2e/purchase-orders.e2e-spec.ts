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
  getJson,
  orderBody,
  PO_CSV_HEADER,
  postCsv,
  postJson,
  rowCodes,
  TRADE_TABLES,
  type RejectedRow,
  idleSnapshot,
} from '../support/trade-records';

const TABLES = [...TRADE_TABLES, 'idempotency_records'];
const VIEW_FIELDS = [
  'anchorId',
  'createdAt',
  'currency',
  'id',
  'issueDate',
  'lines',
  'number',
  'receivedAmount',
  'supplierId',
  'totalAmount',
];

interface OrderView {
  id: string;
  number: string;
  supplierId: string;
  totalAmount: string;
  lines: Array<{ lineNo: number; sku: string; description: string; amount: string }>;
}

describe('purchase orders: /api/v1/purchase-orders', () => {
  let t: TestApp;
  let world: TradeWorld;
  let rival: TradeWorld;
  let erpKey: IssuedApiKey;

  beforeAll(async () => {
    t = await startTestApp();
    world = await tradeWorld(t);
    rival = await tradeWorld(t);
    erpKey = await createApiKey(t, world.anchor, { name: 'SAP S/4HANA 采购' });
  });
  afterAll(() => t.close());

  const snapshot = () => idleSnapshot(t, TABLES);
  const auditEvents = (action: string, entityId: string) =>
    t.db.query(
      `SELECT organization_id, actor_type, actor_id, data FROM audit_events WHERE action = $1 AND entity_id = $2`,
      [action, entityId],
    ) as Promise<Array<Record<string, unknown>>>;
  const reverifyJobsNaming = (orderId: string) =>
    countRows(
      t,
      'outbox_messages',
      `job_name = 'reverify-purchase-orders' AND payload->'purchaseOrderIds' @> to_jsonb(ARRAY[$1::text])`,
      [orderId],
    );

  describe('POST /purchase-orders', () => {
    it('prices every line (quantity × unit price, half-up to the currency once per line) and totals the lines exactly', async () => {
      const number = uniqueNumber('PO-EXACT');
      const response = await postJson(
        t,
        '/purchase-orders',
        world.anchor.admin.token,
        orderBody(world, {
          number: `  ${number} `,
          lines: [
            {
              sku: 'RES-0402',
              description: '贴片电阻 0402',
              quantity: '3',
              unit: 'PCS',
              unitPrice: '33.335',
            },
            {
              sku: 'CAP-0603',
              description: 'MLCC 0603 100nF',
              quantity: '2.5',
              unit: 'KPCS',
              unitPrice: '0.333333',
            },
            {
              sku: 'CU-FOIL',
              description: '电解铜箔',
              quantity: '1.234567',
              unit: 'KG',
              unitPrice: '10',
            },
            {
              sku: 'AU-WIRE',
              description: '键合金线',
              quantity: '0.000001',
              unit: 'KM',
              unitPrice: '1000000',
            },
          ],
        }),
      );
      expectStatus(response, 201);
      const view = response.body as OrderView;
      expect(Object.keys(view).sort()).toEqual(VIEW_FIELDS);
      expect(view).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        number,
        anchorId: world.anchor.id,
        supplierId: world.supplier.id,
        currency: 'CNY',
        issueDate: '2026-09-01',
        // 100.01 + 0.83 + 12.35 + 1.00: the sum of the rounded lines.
        totalAmount: '114.19',
        receivedAmount: '0.00',
        lines: [
          {
            lineNo: 1,
            sku: 'RES-0402',
            description: '贴片电阻 0402',
            quantity: '3',
            unit: 'PCS',
            unitPrice: '33.335',
            amount: '100.01',
            quantityReceived: '0',
          },
          {
            lineNo: 2,
            sku: 'CAP-0603',
            description: 'MLCC 0603 100nF',
            quantity: '2.5',
            unit: 'KPCS',
            unitPrice: '0.333333',
            amount: '0.83',
            quantityReceived: '0',
          },
          {
            lineNo: 3,
            sku: 'CU-FOIL',
            description: '电解铜箔',
            quantity: '1.234567',
            unit: 'KG',
            unitPrice: '10',
            amount: '12.35',
            quantityReceived: '0',
          },
          {
            lineNo: 4,
            sku: 'AU-WIRE',
            description: '键合金线',
            quantity: '0.000001',
            unit: 'KM',
            unitPrice: '1000000',
            amount: '1.00',
            quantityReceived: '0',
          },
        ],
        createdAt: expect.any(String),
      });

      const [row] = (await t.db.query(
        `SELECT anchor_id, supplier_id, total_amount::text AS total, received_amount::text AS received
           FROM purchase_orders WHERE id = $1`,
        [view.id],
      )) as Array<Record<string, unknown>>;
      expect(row).toEqual({
        anchor_id: world.anchor.id,
        supplier_id: world.supplier.id,
        total: '114.1900',
        received: '0.0000',
      });
      const lines = (await t.db.query(
        `SELECT sku, quantity::text AS quantity, unit_price::text AS unit_price, amount::text AS amount
           FROM purchase_order_lines WHERE purchase_order_id = $1 ORDER BY line_no`,
        [view.id],
      )) as Array<Record<string, unknown>>;
      expect(lines).toEqual([
        { sku: 'RES-0402', quantity: '3.000000', unit_price: '33.335000', amount: '100.0100' },
        { sku: 'CAP-0603', quantity: '2.500000', unit_price: '0.333333', amount: '0.8300' },
        { sku: 'CU-FOIL', quantity: '1.234567', unit_price: '10.000000', amount: '12.3500' },
        { sku: 'AU-WIRE', quantity: '0.000001', unit_price: '1000000.000000', amount: '1.0000' },
      ]);
      expect(await auditEvents('purchase_order.created', view.id)).toEqual([
        {
          organization_id: world.anchor.id,
          actor_type: 'USER',
          actor_id: expect.any(String),
          data: {
            number,
            supplierId: world.supplier.id,
            currency: 'CNY',
            totalAmount: '114.19',
            lines: 4,
          },
        },
      ]);
      // A new order may be what waiting invoices need: it is queued for re-verification.
      expect(await reverifyJobsNaming(view.id)).toBe(1);

      const fetched = await getJson(t, `/purchase-orders/${view.id}`, world.anchor.admin.token);
      expectStatus(fetched, 200);
      expect(fetched.body).toEqual(view);
    });

    it('rounds to the currency’s minor unit: no decimals for JPY, two for USD', async () => {
      const yen = await createOrder(t, world, {
        currency: 'JPY',
        lines: [
          { sku: 'JP-1', description: '部品', quantity: '3', unit: 'PCS', unitPrice: '33.5' },
        ],
      });
      expect(yen).toMatchObject({
        currency: 'JPY',
        totalAmount: '101',
        receivedAmount: '0',
        lines: [expect.objectContaining({ amount: '101' })],
      });
      const dollars = await createOrder(t, world, {
        currency: 'USD',
        lines: [
          { sku: 'US-1', description: 'part', quantity: '7', unit: 'EA', unitPrice: '0.145' },
          { sku: 'US-2', description: 'part', quantity: '1', unit: 'EA', unitPrice: '0.004999' },
        ],
      });
      expect(dollars).toMatchObject({
        currency: 'USD',
        totalAmount: '1.02',
        lines: [
          expect.objectContaining({ amount: '1.02' }),
          expect.objectContaining({ amount: '0.00' }),
        ],
      });
    });

    it('names the supplier by its registration id, as an ERP knows it', async () => {
      const order = await createOrder(t, world, {
        supplierId: undefined,
        supplierRegistrationId: ` ${world.supplier.registrationId.toLowerCase()} `,
      });
      expect(order.supplierId).toBe(world.supplier.id);
      const [row] = (await t.db.query('SELECT supplier_id FROM purchase_orders WHERE id = $1', [
        order.id,
      ])) as Array<{ supplier_id: string }>;
      expect(row.supplier_id).toBe(world.supplier.id);
    });

    it('refuses an organisation that is not a supplier (by id or registration id) with 422, writing nothing', async () => {
      const before = await snapshot();
      for (const [naming, field] of [
        [{ supplierId: world.financier.id }, 'supplierId'],
        [{ supplierId: rival.anchor.id }, 'supplierId'],
        [{ supplierId: world.anchor.id }, 'supplierId'],
        [{ supplierId: randomUUID() }, 'supplierId'],
        [
          { supplierId: undefined, supplierRegistrationId: world.financier.registrationId },
          'supplierRegistrationId',
        ],
        [
          { supplierId: undefined, supplierRegistrationId: '91110000MA00000000' },
          'supplierRegistrationId',
        ],
      ] as Array<[Record<string, unknown>, string]>) {
        const problem = expectProblem(
          await postJson(t, '/purchase-orders', world.anchor.admin.token, orderBody(world, naming)),
          422,
          'VALIDATION_FAILED',
        );
        expect(problem.errors).toEqual([
          {
            field,
            code: 'SUPPLIER_NOT_FOUND',
            message: `${field} names no supplier on the platform`,
          },
        ]);
      }
      expect(await snapshot()).toEqual(before);
    });

    const line = {
      sku: 'PCB-4471',
      description: '四层电路板',
      quantity: '10',
      unit: 'PCS',
      unitPrice: '5.00',
    };
    it.each([
      [
        'a SKU on two lines',
        { lines: [line, { ...line, description: 'again', quantity: '1' }] },
        'lines:DUPLICATE_SKU',
      ],
      ['no lines', { lines: [] }, 'lines:ARRAY_MIN_SIZE'],
      [
        'a JSON number for a quantity',
        { lines: [{ ...line, quantity: 10 }] },
        'lines.0.quantity:IS_DECIMAL_STRING',
      ],
      [
        'a quantity of 0',
        { lines: [{ ...line, quantity: '0' }] },
        'lines.0.quantity:IS_DECIMAL_STRING',
      ],
      [
        'a quantity with 7 decimals',
        { lines: [{ ...line, quantity: '1.0000001' }] },
        'lines.0.quantity:IS_DECIMAL_STRING',
      ],
      [
        'a negative unit price',
        { lines: [{ ...line, unitPrice: '-1.00' }] },
        'lines.0.unitPrice:IS_DECIMAL_STRING',
      ],
      [
        'a unit price in exponent notation',
        { lines: [{ ...line, unitPrice: '1e3' }] },
        'lines.0.unitPrice:IS_DECIMAL_STRING',
      ],
      ['a blank SKU', { lines: [{ ...line, sku: '  ' }] }, 'lines.0.sku:MIN_LENGTH'],
      [
        'an unknown line field',
        { lines: [{ ...line, amount: '50.00' }] },
        'lines.0.amount:UNKNOWN_FIELD',
      ],
      ['an issue date that does not exist', { issueDate: '2026-02-30' }, 'issueDate:IS_ISO_DATE'],
      ['RMB for CNY', { currency: 'RMB' }, 'currency:IS_TRADE_CURRENCY'],
      ['a number of 65 characters', { number: 'P'.repeat(65) }, 'number:MAX_LENGTH'],
      ['a supplierId that is not a UUID', { supplierId: 'supplier-1' }, 'supplierId:IS_UUID'],
      ['no supplier at all', { supplierId: undefined }, 'supplierId:IS_UUID'],
      [
        'an anchorId (the anchor is the caller)',
        { anchorId: randomUUID() },
        'anchorId:UNKNOWN_FIELD',
      ],
    ])(
      'refuses %s with 422 naming the field, writing nothing',
      async (_what, overrides, expected) => {
        const before = await snapshot();
        const problem = expectProblem(
          await postJson(
            t,
            '/purchase-orders',
            world.anchor.admin.token,
            orderBody(world, overrides),
          ),
          422,
          'VALIDATION_FAILED',
        );
        expect(fieldCodes(problem)).toContain(expected);
        expect(await snapshot()).toEqual(before);
      },
    );

    // A supplier field is checked whenever it is given, not only when the other one is missing.
    it('refuses a malformed supplierId also when a registration id is given alongside (422, not 500)', async () => {
      const before = await snapshot();
      const problem = expectProblem(
        await postJson(
          t,
          '/purchase-orders',
          world.anchor.admin.token,
          orderBody(world, {
            supplierId: 'not-a-uuid',
            supplierRegistrationId: world.supplier.registrationId,
          }),
        ),
        422,
        'VALIDATION_FAILED',
      );
      expect(fieldCodes(problem)).toContain('supplierId:IS_UUID');
      expect(await snapshot()).toEqual(before);
    });

    // quantity × unit price can outgrow numeric(20,4) although each fits: refused as input, not a 500.
    it('refuses a line whose amount is too large to store with 422, not 500', async () => {
      const before = await snapshot();
      const response = await postJson(
        t,
        '/purchase-orders',
        world.anchor.admin.token,
        orderBody(world, {
          lines: [{ ...line, quantity: '99999999999999', unitPrice: '1000' }],
        }),
      );
      expectProblem(response, 422, 'VALIDATION_FAILED');
      expect(await snapshot()).toEqual(before);
    });

    it('answers 409 DUPLICATE_PURCHASE_ORDER naming the existing order for a number the anchor used already; another anchor may use it', async () => {
      const first = await createOrder(t, world);
      const before = await snapshot();
      const problem = expectProblem(
        await postJson(
          t,
          '/purchase-orders',
          world.anchor.members.OPERATOR!.token,
          orderBody(world, { number: first.number, lines: [line] }),
        ),
        409,
        'DUPLICATE_PURCHASE_ORDER',
      );
      expect(problem).toMatchObject({
        existingPurchaseOrderId: first.id,
        errors: [{ field: 'number', code: 'DUPLICATE', message: expect.any(String) }],
      });
      expect(await snapshot()).toEqual(before);
      const rivals = await postJson(
        t,
        '/purchase-orders',
        rival.anchor.admin.token,
        orderBody(rival, { number: first.number }),
      );
      expectStatus(rivals, 201);
      expect(rivals.body.id).not.toBe(first.id);
      expect(await countRows(t, 'purchase_orders', 'number = $1', [first.number])).toBe(2);
    });

    it('is written by the anchor’s ADMIN and OPERATOR, and by its ERP with an OPERATOR API key', async () => {
      const byOperator = await postJson(
        t,
        '/purchase-orders',
        world.anchor.members.OPERATOR!.token,
        orderBody(world),
      );
      expectStatus(byOperator, 201);
      expect(byOperator.body.anchorId).toBe(world.anchor.id);

      const byErp = await postJson(
        t,
        '/purchase-orders',
        { apiKey: erpKey.key },
        orderBody(world, { lines: [line] }),
      );
      expectStatus(byErp, 201);
      expect(byErp.body).toMatchObject({ anchorId: world.anchor.id, totalAmount: '50.00' });
      expect(await auditEvents('purchase_order.created', byErp.body.id as string)).toEqual([
        expect.objectContaining({
          organization_id: world.anchor.id,
          actor_type: 'API_KEY',
          actor_id: erpKey.id,
        }),
      ]);
    });

    it('answers 403 to a supplier, a financier, the platform, the anchor’s VIEWER and APPROVER and a VIEWER API key; 401 without or with a bad key; nothing written', async () => {
      const viewerKey = await createApiKey(t, world.anchor, { roles: [Role.VIEWER] });
      const before = await snapshot();
      for (const credential of [
        world.supplier.admin.token,
        world.financier.admin.token,
        world.platform,
        world.anchor.members.VIEWER!.token,
        world.anchor.members.APPROVER!.token,
        { apiKey: viewerKey.key },
      ]) {
        expectProblem(
          await postJson(t, '/purchase-orders', credential, orderBody(world)),
          403,
          'FORBIDDEN',
        );
      }
      expectProblem(
        await postJson(t, '/purchase-orders', null, orderBody(world)),
        401,
        'UNAUTHENTICATED',
      );
      const forged = `${erpKey.key.slice(0, -4)}AAAA`;
      expect(
        (await postJson(t, '/purchase-orders', { apiKey: forged }, orderBody(world))).status,
      ).toBe(401);
      expect(await snapshot()).toEqual(before);
    });

    it('replays a repeated Idempotency-Key with one order, and refuses the key for another body', async () => {
      const body = orderBody(world);
      const send = (payload: object) =>
        postJson(t, '/purchase-orders', world.anchor.admin.token, payload, {
          idempotencyKey: `po-create-${body.number as string}`,
        });
      const first = await send(body);
      expectStatus(first, 201);
      const afterFirst = await snapshot();
      const again = await send(body);
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
      expect(await countRows(t, 'purchase_orders', 'number = $1', [body.number])).toBe(1);
      expect(await auditEvents('purchase_order.created', first.body.id as string)).toHaveLength(1);
      expectProblem(
        await send({ ...body, issueDate: '2026-09-02' }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await snapshot()).toEqual(afterFirst);
    });
  });

  describe('GET /purchase-orders and /purchase-orders/:id', () => {
    let own: OrderView;
    let theirs: OrderView;
    let secret: string;

    beforeAll(async () => {
      own = (await createOrder(t, world)) as unknown as OrderView;
      secret = `RIVAL-${uniqueNumber('SECRET')}`;
      theirs = (await createOrder(t, rival, {
        number: secret,
        lines: [
          {
            sku: 'SECRET-SKU',
            description: '机密零件',
            quantity: '1',
            unit: 'PCS',
            unitPrice: '1.00',
          },
        ],
      })) as unknown as OrderView;
    });

    it('lists the anchor’s own orders only, newest first, paging with a cursor without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await getJson(
          t,
          `/purchase-orders?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          world.anchor.members.VIEWER!.token,
        );
        expectStatus(page, 200);
        const items = page.body.items as Array<{ id: string; anchorId: string }>;
        expect(items.length).toBeLessThanOrEqual(3);
        for (const item of items) expect(item.anchorId).toBe(world.anchor.id);
        seen.push(...items.map((item) => item.id));
        cursor = page.body.nextCursor as string | null;
        pages++;
      } while (cursor);
      const total = await countRows(t, 'purchase_orders', 'anchor_id = $1', [world.anchor.id]);
      expect(seen.length).toBe(total);
      expect(new Set(seen).size).toBe(total);
      expect(pages).toBe(Math.ceil(total / 3));
      expect(seen).toContain(own.id);
      expect(seen).not.toContain(theirs.id);
      const newest = (await t.db.query(
        'SELECT id FROM purchase_orders WHERE anchor_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
        [world.anchor.id],
      )) as Array<{ id: string }>;
      expect(seen[0]).toBe(newest[0].id);
    });

    it('filters by number and supplier', async () => {
      const byNumber = await getJson(
        t,
        `/purchase-orders?number=${encodeURIComponent(own.number)}`,
        world.anchor.admin.token,
      );
      expectStatus(byNumber, 200);
      expect(byNumber.body).toEqual({ items: [own], nextCursor: null });
      // Numbers are per anchor: another anchor's order with this number is not found.
      const hidden = await getJson(
        t,
        `/purchase-orders?number=${encodeURIComponent(secret)}`,
        world.anchor.admin.token,
      );
      expect(hidden.body).toEqual({ items: [], nextCursor: null });
      const bySupplier = await getJson(
        t,
        `/purchase-orders?supplierId=${world.supplier.id}&limit=200`,
        world.anchor.admin.token,
      );
      expectStatus(bySupplier, 200);
      const items = bySupplier.body.items as OrderView[];
      expect(items.every((item) => item.supplierId === world.supplier.id)).toBe(true);
      expect(items.length).toBe(
        await countRows(t, 'purchase_orders', 'anchor_id = $1 AND supplier_id = $2', [
          world.anchor.id,
          world.supplier.id,
        ]),
      );
      const none = await getJson(
        t,
        `/purchase-orders?supplierId=${rival.supplier.id}`,
        world.anchor.admin.token,
      );
      expect(none.body).toEqual({ items: [], nextCursor: null });
      expectProblem(
        await getJson(t, '/purchase-orders?supplierId=nope', world.anchor.admin.token),
        422,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await getJson(t, '/purchase-orders?cursor=garbage', world.anchor.admin.token),
        422,
        'VALIDATION_FAILED',
      );
    });

    it('shows one order to its anchor (any role, or its API key) and to the platform', async () => {
      for (const credential of [
        world.anchor.admin.token,
        world.anchor.members.VIEWER!.token,
        { apiKey: erpKey.key },
        world.platform,
      ]) {
        const response = await getJson(t, `/purchase-orders/${own.id}`, credential);
        expectStatus(response, 200);
        expect(response.body).toEqual(own);
      }
      const platformList = await getJson(
        t,
        `/purchase-orders?number=${encodeURIComponent(secret)}`,
        world.platform,
      );
      expect((platformList.body.items as OrderView[]).map((item) => item.id)).toEqual([theirs.id]);
    });

    it('answers 404 with none of its data for another anchor’s order, an unknown id and a non-UUID', async () => {
      for (const path of [`/purchase-orders/${theirs.id}`, `/purchase-orders/${randomUUID()}`]) {
        const problem = expectProblem(
          await getJson(t, path, world.anchor.admin.token),
          404,
          'NOT_FOUND',
        );
        const text = JSON.stringify(problem);
        expect(text).not.toContain(secret);
        expect(text).not.toContain('SECRET-SKU');
        expect(text).not.toContain(rival.anchor.id);
      }
      expectProblem(
        await getJson(t, '/purchase-orders/PO-1', world.anchor.admin.token),
        404,
        'NOT_FOUND',
      );
    });

    it('answers 403 to the supplier of the order and to a financier, 401 without credentials', async () => {
      for (const token of [world.supplier.admin.token, world.financier.admin.token]) {
        expectProblem(await getJson(t, `/purchase-orders/${own.id}`, token), 403, 'FORBIDDEN');
        expectProblem(await getJson(t, '/purchase-orders', token), 403, 'FORBIDDEN');
      }
      expectProblem(await getJson(t, `/purchase-orders/${own.id}`, null), 401, 'UNAUTHENTICATED');
      expectProblem(await getJson(t, '/purchase-orders', null), 401, 'UNAUTHENTICATED');
    });
  });

  describe('POST /purchase-orders/bulk', () => {
    const poLine = (
      number: string,
      supplierId: string,
      sku: string,
      quantity: string,
      unitPrice: string,
      overrides: Partial<Record<'currency' | 'issueDate' | 'description', string>> = {},
    ): string[] => [
      number,
      supplierId,
      overrides.currency ?? 'CNY',
      overrides.issueDate ?? '2026-09-01',
      sku,
      overrides.description ?? `物料 ${sku}`,
      quantity,
      'PCS',
      unitPrice,
    ];
    const ordersNumbered = async (numbers: string[]) =>
      (await t.db.query(
        `SELECT number, total_amount::text AS total, (SELECT count(*)::int FROM purchase_order_lines l WHERE l.purchase_order_id = o.id) AS lines
           FROM purchase_orders o WHERE anchor_id = $1 AND number = ANY($2::varchar[]) ORDER BY number`,
        [world.anchor.id, numbers],
      )) as Array<{ number: string; total: string; lines: number }>;

    it('takes a JSON array of orders: 201 with the created ids, one audit event for the upload, re-verification queued', async () => {
      const bodies = [
        orderBody(world, {
          lines: [
            { sku: 'A-1', description: '甲', quantity: '3', unit: 'PCS', unitPrice: '33.335' },
            { sku: 'A-2', description: '乙', quantity: '1.5', unit: 'KG', unitPrice: '2.01' },
          ],
        }),
        orderBody(world, {
          supplierId: undefined,
          supplierRegistrationId: world.supplier.registrationId,
          currency: 'USD',
        }),
      ];
      const response = await postJson(t, '/purchase-orders/bulk', world.anchor.admin.token, bodies);
      expectStatus(response, 201);
      expect(response.body).toEqual({
        accepted: 2,
        rejected: [],
        rejectedCount: 0,
        ids: [expect.any(String), expect.any(String)],
      });
      const ids = response.body.ids as string[];
      const first = await getJson(t, `/purchase-orders/${ids[0]}`, world.anchor.admin.token);
      expect(first.body).toMatchObject({
        number: bodies[0].number,
        totalAmount: '103.03', // 100.01 + 3.015 → 3.02
        lines: [
          expect.objectContaining({ lineNo: 1, sku: 'A-1', amount: '100.01' }),
          expect.objectContaining({ lineNo: 2, sku: 'A-2', amount: '3.02' }),
        ],
      });
      const second = await getJson(t, `/purchase-orders/${ids[1]}`, world.anchor.admin.token);
      expect(second.body).toMatchObject({
        number: bodies[1].number,
        supplierId: world.supplier.id,
        currency: 'USD',
        totalAmount: '100000.00',
      });
      const uploads = (await t.db.query(
        `SELECT organization_id, data FROM audit_events
          WHERE action = 'purchase_order.bulk_created' AND data->'numbers' @> to_jsonb(ARRAY[$1::text])`,
        [bodies[0].number],
      )) as Array<{ organization_id: string; data: Record<string, unknown> }>;
      expect(uploads).toEqual([
        {
          organization_id: world.anchor.id,
          data: {
            created: 2,
            rejected: 0,
            sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
            numbers: [bodies[0].number, bodies[1].number],
          },
        },
      ]);
      expect(await reverifyJobsNaming(ids[0])).toBe(1);
      expect(await reverifyJobsNaming(ids[1])).toBe(1);
    });

    it('takes CSV with several lines per order grouped by number, a quoted field with a comma and Chinese text, and quotes inside quotes', async () => {
      const [a, b, c] = [uniqueNumber('CSV-A'), uniqueNumber('CSV-B'), uniqueNumber('CSV-C')];
      const sid = world.supplier.id;
      const csv = csvOf(PO_CSV_HEADER, [
        poLine(a, sid, 'PCB-1', '3', '33.335', { description: '四层电路板, 1.6mm 板厚，沉金' }),
        poLine(b, sid, 'BOX-9', '10', '7.5'),
        poLine(a, sid, 'PCB-2', '2', '0.005', { description: '他说 "加急" 交付' }),
        poLine(c, sid, 'CBL-3', '0.5', '19.99'),
        poLine(a, sid, 'PCB-3', '1', '1'),
      ]);
      expect(csv).toContain('"四层电路板, 1.6mm 板厚，沉金"');
      const response = await postCsv(t, '/purchase-orders/bulk', world.anchor.admin.token, csv);
      expectStatus(response, 201);
      expect(response.body).toMatchObject({ accepted: 3, rejected: [], rejectedCount: 0 });
      expect(response.body.ids).toHaveLength(3);
      expect(await ordersNumbered([a, b, c])).toEqual(
        [
          // 100.01 + 0.01 + 1.00
          { number: a, total: '101.0200', lines: 3 },
          { number: b, total: '75.0000', lines: 1 },
          // 9.995 → 10.00
          { number: c, total: '10.0000', lines: 1 },
        ].sort((x, y) => x.number.localeCompare(y.number)),
      );
      const orderA = (
        await getJson(
          t,
          `/purchase-orders?number=${encodeURIComponent(a)}`,
          world.anchor.admin.token,
        )
      ).body.items[0] as OrderView;
      expect(
        orderA.lines.map(({ lineNo, sku, description, amount }) => ({
          lineNo,
          sku,
          description,
          amount,
        })),
      ).toEqual([
        { lineNo: 1, sku: 'PCB-1', description: '四层电路板, 1.6mm 板厚，沉金', amount: '100.01' },
        { lineNo: 2, sku: 'PCB-2', description: '他说 "加急" 交付', amount: '0.01' },
        { lineNo: 3, sku: 'PCB-3', description: `物料 PCB-3`, amount: '1.00' },
      ]);
    });

    it('reads a CSV that starts with a UTF-8 byte order mark (as Excel saves it)', async () => {
      const number = uniqueNumber('CSV-BOM');
      const csv = csvOf(PO_CSV_HEADER, [poLine(number, world.supplier.id, 'BOM-1', '4', '2.50')]);
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]);
      const response = await postCsv(t, '/purchase-orders/bulk', world.anchor.admin.token, bytes);
      expectStatus(response, 201);
      expect(response.body).toMatchObject({ accepted: 1, rejected: [], rejectedCount: 0 });
      expect(await ordersNumbered([number])).toEqual([{ number, total: '10.0000', lines: 1 }]);
    });

    describe('with bad rows', () => {
      let existing: { id: string; number: string };
      let numbers: Record<string, string>;
      let csv: string;
      let expected: string[];

      beforeAll(async () => {
        existing = await createOrder(t, world);
        numbers = Object.fromEntries(
          ['A', 'B', 'C', 'E', 'F', 'G', 'H'].map((key) => [key, uniqueNumber(`BAD-${key}`)]),
        );
        const sid = world.supplier.id;
        csv = csvOf(PO_CSV_HEADER, [
          poLine(numbers.A, sid, 'A-1', '2', '10'), // 1 good
          poLine(numbers.A, sid, 'A-2', '1', '0.5'), // 2 good
          poLine(numbers.B, sid, 'B-1', 'abc', '1'), // 3 bad quantity
          poLine(numbers.B, sid, 'B-2', '1', '1'), // 4 good line of a broken order
          poLine(numbers.C, world.financier.id, 'C-1', '1', '1'), // 5 not a supplier
          poLine(existing.number, sid, 'D-1', '1', '1'), // 6 number used already
          poLine(numbers.E, sid, 'E-1', '1', '1'), // 7 SKU twice on one order
          poLine(numbers.E, sid, 'E-1', '2', '1'), // 8
          poLine(numbers.F, sid, 'F-1', '1', '1', { issueDate: '2026-13-01' }), // 9 bad date
          poLine(numbers.G, sid, 'G-1', '5', '3.333'), // 10 good
          poLine(numbers.H, sid, 'H-1', '1', '1'), // 11 rows of one order disagree
          poLine(numbers.H, sid, 'H-2', '1', '1', { currency: 'USD' }), // 12
        ]);
        expected = [
          '3:quantity:IS_DECIMAL_STRING',
          '4:number:INCOMPLETE_ORDER',
          '5:supplierId:SUPPLIER_NOT_FOUND',
          '6:number:DUPLICATE_PURCHASE_ORDER',
          '7:sku:DUPLICATE_SKU',
          '8:sku:DUPLICATE_SKU',
          '9:issueDate:IS_DATE',
          '11:number:INCONSISTENT_ORDER',
          '12:number:INCONSISTENT_ORDER',
        ];
      });

      it('refuses the whole upload with 422 BULK_ROWS_INVALID listing every bad row (row, field, code), writing nothing', async () => {
        const before = await snapshot();
        const problem = expectProblem(
          await postCsv(t, '/purchase-orders/bulk', world.anchor.admin.token, csv),
          422,
          'BULK_ROWS_INVALID',
        );
        expect(rowCodes(problem.rejected)).toEqual(expected);
        expect(problem.rejectedCount).toBe(9);
        const rejected = problem.rejected as RejectedRow[];
        expect(rejected.find((error) => error.row === 6)?.message).toContain(existing.id);
        expect(rejected.every((error) => error.message.length > 0)).toBe(true);
        expect(await snapshot()).toEqual(before);
        expect(await ordersNumbered(Object.values(numbers))).toEqual([]);
      });

      it('with ?mode=rows writes the good orders and reports the bad rows; an order with one bad line is refused whole', async () => {
        const response = await postCsv(t, '/purchase-orders/bulk', world.anchor.admin.token, csv, {
          query: 'mode=rows',
        });
        expectStatus(response, 201);
        expect(rowCodes(response.body.rejected)).toEqual(expected);
        expect(response.body).toMatchObject({ accepted: 2, rejectedCount: 9 });
        expect(response.body.ids).toHaveLength(2);
        expect(await ordersNumbered(Object.values(numbers))).toEqual(
          [
            { number: numbers.A, total: '20.5000', lines: 2 },
            { number: numbers.G, total: '16.6700', lines: 1 },
          ].sort((x, y) => x.number.localeCompare(y.number)),
        );
        expect(await countRows(t, 'purchase_orders', 'number = $1', [existing.number])).toBe(1);
      });
    });

    it('refuses bad JSON records with 422 listing each (row, field, code), writing nothing', async () => {
      const before = await snapshot();
      const good = orderBody(world);
      const problem = expectProblem(
        await postJson(t, '/purchase-orders/bulk', world.anchor.admin.token, [
          good,
          orderBody(world, { lines: [] }),
          orderBody(world, {
            lines: [{ sku: 'X', description: 'x', quantity: 5, unit: 'PCS', unitPrice: '1' }],
          }),
          orderBody(world, { supplierId: undefined }),
          orderBody(world, { anchorId: world.anchor.id }),
          'not an object',
        ]),
        422,
        'BULK_ROWS_INVALID',
      );
      expect(rowCodes(problem.rejected)).toEqual(
        expect.arrayContaining([
          '2:lines:ARRAY_MIN_SIZE',
          '3:lines.0.quantity:IS_DECIMAL_STRING',
          '4:supplierId:REQUIRED',
          '5:anchorId:UNKNOWN_FIELD',
          '6:number:REQUIRED',
        ]),
      );
      expect(new Set((problem.rejected as RejectedRow[]).map((error) => error.row))).toEqual(
        new Set([2, 3, 4, 5, 6]),
      );
      expect(problem.rejectedCount).toBe(5);
      expect(await snapshot()).toEqual(before);
      expect(await countRows(t, 'purchase_orders', 'number = $1', [good.number])).toBe(0);
    });

    it('refuses a body that is neither a JSON array nor CSV, and a CSV with an unterminated quote, writing nothing', async () => {
      const before = await snapshot();
      const notArray = expectProblem(
        await postJson(t, '/purchase-orders/bulk', world.anchor.admin.token, orderBody(world)),
        422,
        'VALIDATION_FAILED',
      );
      expect(fieldCodes(notArray)).toEqual(['body:IS_ARRAY']);
      const broken = `${PO_CSV_HEADER.join(',')}\r\n${uniqueNumber('Q')},${world.supplier.id},CNY,2026-09-01,Q-1,"unterminated,1,PCS,1\r\n`;
      const malformed = expectProblem(
        await postCsv(t, '/purchase-orders/bulk', world.anchor.admin.token, broken),
        422,
        'VALIDATION_FAILED',
      );
      expect(fieldCodes(malformed)).toEqual(['body:INVALID_CSV']);
      expect(await snapshot()).toEqual(before);
    });

    it('is for the anchor’s ADMIN, OPERATOR and ERP key: 403 for a supplier and the anchor’s VIEWER, 401 without credentials, nothing written', async () => {
      const csvFor = (number: string) =>
        csvOf(PO_CSV_HEADER, [poLine(number, world.supplier.id, 'R-1', '1', '9.99')]);
      const before = await snapshot();
      for (const token of [world.supplier.admin.token, world.anchor.members.VIEWER!.token]) {
        expectProblem(
          await postCsv(t, '/purchase-orders/bulk', token, csvFor(uniqueNumber('R'))),
          403,
          'FORBIDDEN',
        );
      }
      expectProblem(
        await postCsv(t, '/purchase-orders/bulk', null, csvFor(uniqueNumber('R'))),
        401,
        'UNAUTHENTICATED',
      );
      expect(await snapshot()).toEqual(before);
      const number = uniqueNumber('ERP');
      const byKey = await postCsv(
        t,
        '/purchase-orders/bulk',
        { apiKey: erpKey.key },
        csvFor(number),
      );
      expectStatus(byKey, 201);
      expect(byKey.body.accepted).toBe(1);
      expect(await ordersNumbered([number])).toEqual([{ number, total: '9.9900', lines: 1 }]);
    });

    it('replays the same CSV sent again with the same Idempotency-Key (one effect), and refuses another CSV with that key', async () => {
      const number = uniqueNumber('IDEM');
      const csv = csvOf(PO_CSV_HEADER, [
        poLine(number, world.supplier.id, 'I-1', '2', '3.00'),
        poLine(number, world.supplier.id, 'I-2', '1', '4.00'),
      ]);
      const key = `po-bulk-${number}`;
      const first = await postCsv(t, '/purchase-orders/bulk', world.anchor.admin.token, csv, {
        idempotencyKey: key,
      });
      expectStatus(first, 201);
      expect(first.body.accepted).toBe(1);
      const afterFirst = await snapshot();
      const again = await postCsv(t, '/purchase-orders/bulk', world.anchor.admin.token, csv, {
        idempotencyKey: key,
      });
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
      expect(await ordersNumbered([number])).toEqual([{ number, total: '10.0000', lines: 2 }]);

      const other = csvOf(PO_CSV_HEADER, [
        poLine(uniqueNumber('IDEM-OTHER'), world.supplier.id, 'I-1', '2', '3.00'),
      ]);
      expectProblem(
        await postCsv(t, '/purchase-orders/bulk', world.anchor.admin.token, other, {
          idempotencyKey: key,
        }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await snapshot()).toEqual(afterFirst);
    });

    // The fingerprint of a streamed body covers all of it, even when the service stopped reading early.
    it('replays the stored 422 when the same refused CSV is sent again with the same Idempotency-Key', async () => {
      const csv = csvOf(PO_CSV_HEADER, [
        poLine(uniqueNumber('IDEM-BAD'), world.supplier.id, 'B-1', 'lots', '1.00'),
      ]);
      const key = `po-bulk-bad-${uniqueNumber('K')}`;
      const first = expectProblem(
        await postCsv(t, '/purchase-orders/bulk', world.anchor.admin.token, csv, {
          idempotencyKey: key,
        }),
        422,
        'BULK_ROWS_INVALID',
      );
      const again = await postCsv(t, '/purchase-orders/bulk', world.anchor.admin.token, csv, {
        idempotencyKey: key,
      });
      const replayed = expectProblem(again, 422, 'BULK_ROWS_INVALID');
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(replayed.rejected).toEqual(first.rejected);
    });
  });
});
