import { randomUUID } from 'node:crypto';
import { countRows, eventually, expectProblem, expectStatus } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  PROGRAM,
  submitInvoice,
  tradeWorld,
  uniqueNumber,
  type TradeWorld,
} from '../support/trade-fixtures';
import {
  createOrder,
  csvOf,
  fieldCodes,
  getJson,
  INVOICE_CSV_HEADER,
  invoiceWhen,
  postCsv,
  postJson,
  receive,
  rowCodes,
  settle,
  TRADE_TABLES,
  type RejectedRow,
  idleSnapshot,
} from '../support/trade-records';

const TABLES = [...TRADE_TABLES, 'idempotency_records'];

type Row = Record<(typeof INVOICE_CSV_HEADER)[number], string>;

describe('bulk invoices: POST /api/v1/invoices/bulk', () => {
  let t: TestApp;
  let world: TradeWorld;
  let rival: TradeWorld;
  let notInvited: string; // a program of the world's anchor the supplier was not invited to
  let bigOrder: string; // 6,000,000.00 received

  beforeAll(async () => {
    t = await startTestApp({ env: { VERIFICATION_BATCH_SIZE: '1000' } });
    world = await tradeWorld(t);
    rival = await tradeWorld(t);
    const program = await postJson(t, '/programs', world.anchor.admin.token, {
      ...PROGRAM,
      name: '仅限受邀供应商的项目',
    });
    expectStatus(program, 201);
    notInvited = program.body.id as string;
    const order = await createOrder(t, world, {
      lines: [
        {
          sku: 'BULK-1',
          description: '批量物料',
          quantity: '100000',
          unit: 'PCS',
          unitPrice: '100.00',
        },
      ],
    });
    await receive(t, world, order.number, [{ sku: 'BULK-1', quantityAccepted: '60000' }]);
    bigOrder = order.number;
  });
  afterAll(() => t.close());

  const snapshot = () => idleSnapshot(t, TABLES);
  const row = (overrides: Partial<Row> = {}): Row => ({
    number: uniqueNumber('BULK'),
    anchorId: world.anchor.id,
    programId: world.programId,
    purchaseOrderNumber: bigOrder,
    issueDate: '2026-10-08',
    dueDate: '2027-01-06',
    currency: 'CNY',
    totalAmount: '1000.00',
    taxAmount: '115.04',
    ...overrides,
  });
  const csvRows = (rows: Row[]) =>
    csvOf(
      INVOICE_CSV_HEADER,
      rows.map((r) => INVOICE_CSV_HEADER.map((column) => r[column])),
    );
  /** A string or bytes go as text/csv, anything else as JSON. */
  const upload = (
    body: string | Buffer | object,
    options: { token?: string | null; query?: string; idempotencyKey?: string } = {},
  ) => {
    const token = options.token === undefined ? world.supplier.admin.token : options.token;
    return typeof body === 'string' || Buffer.isBuffer(body)
      ? postCsv(t, '/invoices/bulk', token, body, options)
      : postJson(t, '/invoices/bulk', token, body, options);
  };
  const numbersWritten = (numbers: string[]) =>
    countRows(t, 'invoices', 'supplier_id = $1 AND number = ANY($2::varchar[])', [
      world.supplier.id,
      numbers,
    ]);

  it('takes a CSV of 2,500 invoices, verifies them in batches of 1,000 through the worker, and lists them by batch', async () => {
    const prefix = uniqueNumber('B2500');
    const rows = Array.from({ length: 2500 }, (_, index) => {
      const n = index + 1;
      return row({
        number: `${prefix}-${String(n).padStart(4, '0')}`,
        // Every tenth names an order the anchor does not have.
        purchaseOrderNumber: n % 10 === 0 ? `${prefix}-NO-PO` : bigOrder,
        // Distinct amounts (distinct fingerprints, 1001.00–3500.00; other tests stay out of that
        // range); all of them fit in what was received.
        totalAmount: `${1000 + n}.00`,
        taxAmount: '0.00',
      });
    });
    const response = await upload(csvRows(rows));
    expectStatus(response, 201);
    expect(response.body).toEqual({
      accepted: 2500,
      rejected: [],
      rejectedCount: 0,
      ids: expect.any(Array),
      batchId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const ids = response.body.ids as string[];
    const batchId = response.body.batchId as string;
    expect(new Set(ids).size).toBe(2500);

    // The ids come in the order of the rows.
    const stored = (await t.db.query(
      `SELECT id, number, source, status, total_amount::text AS total FROM invoices WHERE batch_id = $1`,
      [batchId],
    )) as Array<{ id: string; number: string; source: string; total: string }>;
    expect(stored).toHaveLength(2500);
    const numberOf = new Map(stored.map((invoice) => [invoice.id, invoice.number]));
    expect(ids.map((id) => numberOf.get(id))).toEqual(rows.map((r) => r.number));
    expect(new Set(stored.map((invoice) => invoice.source))).toEqual(new Set(['BULK']));
    expect(stored.find((invoice) => invoice.number === rows[41].number)?.total).toBe('1042.0000');

    // One verification job per 1,000 invoices (VERIFICATION_BATCH_SIZE above), in row order.
    const jobs = (await t.db.query(
      `SELECT payload FROM outbox_messages
        WHERE job_name = 'verify-invoices' AND payload->'invoiceIds' ?| $1::text[]`,
      [ids],
    )) as Array<{ payload: { invoiceIds: string[] } }>;
    const batches = jobs
      .map((job) => job.payload.invoiceIds)
      .sort((a, b) => ids.indexOf(a[0]) - ids.indexOf(b[0]));
    expect(batches.map((batch) => batch.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat()).toEqual(ids);

    await eventually(
      async () =>
        (await countRows(t, 'invoices', `batch_id = $1 AND verification_status = 'PENDING'`, [
          batchId,
        ])) === 0,
      60_000,
      'verification of the 2,500 invoices',
    );
    const outcomes = (await t.db.query(
      `SELECT status, verification_reasons->0->>'code' AS reason, count(*)::int AS n
         FROM invoices WHERE batch_id = $1 GROUP BY 1, 2 ORDER BY 1`,
      [batchId],
    )) as Array<{ status: string; reason: string | null; n: number }>;
    expect(outcomes).toEqual([
      { status: 'EXCEPTION', reason: 'PO_NOT_FOUND', n: 250 },
      { status: 'VERIFIED', reason: null, n: 2250 },
    ]);

    // GET /invoices?batchId= pages through exactly this upload.
    const listed: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await getJson(
        t,
        `/invoices?batchId=${batchId}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        world.supplier.admin.token,
      );
      expectStatus(page, 200);
      listed.push(...(page.body.items as Array<{ id: string }>).map((item) => item.id));
      cursor = page.body.nextCursor as string | null;
      pages++;
    } while (cursor);
    expect(pages).toBe(13);
    expect(listed).toHaveLength(2500);
    expect(new Set(listed)).toEqual(new Set(ids));
    const exceptions = await getJson(
      t,
      `/invoices?batchId=${batchId}&status=EXCEPTION&limit=200`,
      world.anchor.admin.token,
    );
    expect(exceptions.body.items).toHaveLength(200);
    expect(typeof exceptions.body.nextCursor).toBe('string');

    const [event] = (await t.db.query(
      `SELECT organization_id, data FROM audit_events WHERE action = 'invoice.bulk_submitted' AND entity_id = $1`,
      [batchId],
    )) as Array<{ organization_id: string; data: Record<string, unknown> }>;
    expect(event).toEqual({
      organization_id: world.supplier.id,
      data: {
        accepted: 2500,
        rejected: 0,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        anchors: [{ anchorId: world.anchor.id, count: 2500 }],
      },
    });
    const detail = await getJson(t, `/invoices/${ids[9]}`, world.supplier.admin.token);
    expect(detail.body).toMatchObject({
      number: rows[9].number,
      source: 'BULK',
      status: 'EXCEPTION',
      verification: {
        reasons: [
          { code: 'PO_NOT_FOUND', message: `The anchor has no purchase order ${prefix}-NO-PO.` },
        ],
      },
    });
    expect((detail.body.history as Array<{ action: string }>).map((entry) => entry.action)).toEqual(
      ['invoice.bulk_submitted', 'invoice.verification'],
    );
  });

  describe('with bad rows', () => {
    let rows: Row[];
    let existing: Record<string, unknown>;
    const expected = [
      '2:totalAmount:IS_DECIMAL_STRING',
      '3:number:DUPLICATE_IN_UPLOAD',
      '4:number:DUPLICATE_INVOICE',
      '5:programId:NOT_A_PROGRAM_MEMBER',
      '6:currency:CURRENCY_NOT_PROGRAM',
      '8:issueDate:IS_DATE',
      '9:taxAmount:TAX_EXCEEDS_TOTAL',
      '10:programId:PROGRAM_NOT_FOUND',
      '11:anchorId:IS_UUID',
      '12:totalAmount:REQUIRED',
    ];

    beforeAll(async () => {
      existing = await submitInvoice(t, world, { totalAmount: '999.99', taxAmount: '0' });
      const first = row({ totalAmount: '8001.00' });
      rows = [
        first, // 1 good
        row({ totalAmount: '12.345' }), // 2 three decimals in CNY
        row({ number: first.number, totalAmount: '8003.00' }), // 3 the number of row 1 again
        row({ number: existing.number as string, totalAmount: '8004.00' }), // 4 sent already
        row({ programId: notInvited }), // 5 a program the supplier is not in
        row({ currency: 'USD' }), // 6 not the program's currency
        row({ totalAmount: '8007.00' }), // 7 good
        row({ issueDate: '2026-02-30' }), // 8 no such date
        row({ totalAmount: '10.00', taxAmount: '10.01' }), // 9 tax above total
        row({ programId: rival.programId }), // 10 another anchor's program
        row({ anchorId: 'anchor-1' }), // 11 not a UUID
        row({ totalAmount: '' }), // 12 missing
      ];
    });

    it('refuses the whole upload with 422 BULK_ROWS_INVALID listing each bad row (records counted from 1 after the header), writing nothing', async () => {
      const before = await snapshot();
      const problem = expectProblem(await upload(csvRows(rows)), 422, 'BULK_ROWS_INVALID');
      expect(rowCodes(problem.rejected)).toEqual(expected);
      expect(problem.rejectedCount).toBe(10);
      const rejected = problem.rejected as RejectedRow[];
      expect(rejected.find((error) => error.row === 4)?.message).toContain(existing.id as string);
      expect(rejected.find((error) => error.row === 6)?.message).toBe(
        "currency must be the program's currency CNY",
      );
      expect(await snapshot()).toEqual(before);
      expect(await numbersWritten(rows.map((r) => r.number))).toBe(1); // the existing one only
    });

    it('with ?mode=rows writes the good rows in a batch and reports the bad ones', async () => {
      const response = await upload(csvRows(rows), { query: 'mode=rows' });
      expectStatus(response, 201);
      expect(rowCodes(response.body.rejected)).toEqual(expected);
      expect(response.body).toMatchObject({
        accepted: 2,
        rejectedCount: 10,
        batchId: expect.any(String),
      });
      const batch = (await t.db.query(
        'SELECT id, number FROM invoices WHERE batch_id = $1 ORDER BY number',
        [response.body.batchId],
      )) as Array<{ id: string; number: string }>;
      expect(batch.map((invoice) => invoice.number).sort()).toEqual(
        [rows[0].number, rows[6].number].sort(),
      );
      expect([...(response.body.ids as string[])].sort()).toEqual(
        batch.map((invoice) => invoice.id).sort(),
      );
      const first = await invoiceWhen(
        t,
        world.supplier.admin.token,
        response.body.ids[0] as string,
        (invoice) => invoice.status !== 'SUBMITTED',
        'verification',
      );
      expect(first).toMatchObject({
        number: rows[0].number,
        status: 'VERIFIED',
        totalAmount: '8001.00',
      });
    });
  });

  it('takes a JSON array, and refuses `lines` in a JSON record (422 UNKNOWN_FIELD) and JSON numbers, writing nothing', async () => {
    const good = row({ totalAmount: '9001.00' });
    const before = await snapshot();
    const problem = expectProblem(
      await upload([
        good,
        {
          ...row(),
          lines: [{ sku: 'BULK-1', quantity: '1', unitPrice: '1000', amount: '1000.00' }],
        },
        { ...row(), totalAmount: 1000 },
        'not a record',
      ]),
      422,
      'BULK_ROWS_INVALID',
    );
    expect(rowCodes(problem.rejected)).toEqual(
      expect.arrayContaining([
        '2:lines:UNKNOWN_FIELD',
        '3:totalAmount:IS_DECIMAL_STRING',
        '4:number:REQUIRED',
      ]),
    );
    expect(
      (problem.rejected as RejectedRow[])
        .filter((error) => error.row === 2)
        .map((error) => error.field),
    ).toEqual(['lines']);
    expect(problem.rejectedCount).toBe(3);
    expect(await snapshot()).toEqual(before);

    const response = await upload([good, row({ totalAmount: '9002.00' })]);
    expectStatus(response, 201);
    expect(response.body).toMatchObject({ accepted: 2, rejected: [], rejectedCount: 0 });
    const listed = await getJson(
      t,
      `/invoices?batchId=${response.body.batchId as string}`,
      world.supplier.admin.token,
    );
    expect(
      (listed.body.items as Array<{ number: string; totalAmount: string; source: string }>)
        .map(({ number, totalAmount, source }) => ({ number, totalAmount, source }))
        .sort((a, b) => a.totalAmount.localeCompare(b.totalAmount)),
    ).toEqual([
      { number: good.number, totalAmount: '9001.00', source: 'BULK' },
      { number: expect.any(String), totalAmount: '9002.00', source: 'BULK' },
    ]);
  });

  it('refuses a malformed CSV (an unterminated quote) and a JSON body that is not an array with 422, writing nothing', async () => {
    const before = await snapshot();
    const good = csvRows([row()]);
    const broken = `${good}"${uniqueNumber('Q')},${world.anchor.id},${world.programId},,2026-10-08,2027-01-06,CNY,1.00,0.00\r\n`;
    const malformed = expectProblem(await upload(broken), 422, 'VALIDATION_FAILED');
    expect(fieldCodes(malformed)).toEqual(['body:INVALID_CSV']);
    const notArray = expectProblem(await upload(row()), 422, 'VALIDATION_FAILED');
    expect(fieldCodes(notArray)).toEqual(['body:IS_ARRAY']);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 201 with nothing accepted for a CSV that is only a header, writing nothing', async () => {
    const before = await snapshot();
    const response = await upload(`${INVOICE_CSV_HEADER.join(',')}\r\n`);
    expectStatus(response, 201);
    expect(response.body).toEqual({ accepted: 0, rejected: [], rejectedCount: 0, ids: [] });
    expect(await snapshot()).toEqual(before);
  });

  // An upload that accepted nothing is still a stored response, keyed by the whole body's hash.
  it('replays an upload that accepted nothing when it is sent again with the same Idempotency-Key', async () => {
    const csv = `${INVOICE_CSV_HEADER.join(',')}\r\n`;
    const key = `invoice-bulk-empty-${uniqueNumber('K')}`;
    const first = await upload(csv, { idempotencyKey: key });
    expectStatus(first, 201);
    const again = await upload(csv, { idempotencyKey: key });
    expectStatus(again, 201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('reads a CSV with a UTF-8 byte order mark and quoted fields', async () => {
    const number = `发票,${uniqueNumber('BOM')}`;
    const csv = csvRows([row({ number, totalAmount: '4001.00' })]);
    expect(csv).toContain(`"${number}"`);
    const response = await upload(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]),
    );
    expectStatus(response, 201);
    expect(response.body.accepted).toBe(1);
    expect(await numbersWritten([number])).toBe(1);
  });

  it('is for the supplier’s ADMIN and OPERATOR: 403 for its VIEWER, the anchor and a financier, 401 without credentials; nothing written', async () => {
    const before = await snapshot();
    for (const token of [
      world.supplier.members.VIEWER!.token,
      world.anchor.admin.token,
      world.financier.admin.token,
    ]) {
      expectProblem(await upload(csvRows([row()]), { token }), 403, 'FORBIDDEN');
    }
    expectProblem(await upload(csvRows([row()]), { token: null }), 401, 'UNAUTHENTICATED');
    expect(await snapshot()).toEqual(before);
    const byOperator = await upload(csvRows([row({ totalAmount: '5001.00' })]), {
      token: world.supplier.members.OPERATOR!.token,
    });
    expectStatus(byOperator, 201);
    expect(byOperator.body.accepted).toBe(1);
  });

  it('replays the same CSV sent again with the same Idempotency-Key (one batch), and refuses another CSV with that key', async () => {
    const rows = [row({ totalAmount: '6001.00' }), row({ totalAmount: '6002.00' })];
    const key = `invoice-bulk-${rows[0].number}`;
    const first = await upload(csvRows(rows), { idempotencyKey: key });
    expectStatus(first, 201);
    expect(first.body.accepted).toBe(2);
    await settle(t);
    const afterFirst = await snapshot();
    const again = await upload(csvRows(rows), { idempotencyKey: key });
    expectStatus(again, 201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await snapshot()).toEqual(afterFirst);
    expect(await numbersWritten(rows.map((r) => r.number))).toBe(2);
    expectProblem(
      await upload(csvRows([row({ totalAmount: '6003.00' })]), { idempotencyKey: key }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await snapshot()).toEqual(afterFirst);
  });

  // Every row of one upload shares created_at: "earlier" is the submission sequence, i.e. row order.
  it('counts the rows of one upload in file order: of two invoices that together exceed the receipts, the first row is VERIFIED', async () => {
    const pairs = 8;
    const orders: string[] = [];
    for (let i = 0; i < pairs; i++) {
      const order = await createOrder(t, world);
      await receive(t, world, order.number, [{ sku: 'PCB-4471', quantityAccepted: '500' }]); // 50,000.00
      orders.push(order.number);
    }
    const rows = orders.flatMap((number) => [
      row({ purchaseOrderNumber: number, totalAmount: '30000.00', taxAmount: '0' }),
      row({
        purchaseOrderNumber: number,
        totalAmount: '30000.00',
        taxAmount: '0',
        issueDate: '2026-10-09',
      }),
    ]);
    const response = await upload(csvRows(rows));
    expectStatus(response, 201);
    const batchId = response.body.batchId as string;
    await eventually(
      async () =>
        (await countRows(t, 'invoices', `batch_id = $1 AND verification_status = 'PENDING'`, [
          batchId,
        ])) === 0,
      30_000,
      'verification of the pairs',
    );
    const statuses = (await t.db.query('SELECT number, status FROM invoices WHERE batch_id = $1', [
      batchId,
    ])) as Array<{ number: string; status: string }>;
    const statusOf = new Map(statuses.map((invoice) => [invoice.number, invoice.status]));
    expect(rows.map((r) => statusOf.get(r.number))).toEqual(
      orders.flatMap(() => ['VERIFIED', 'EXCEPTION']),
    );
  });

  it('lists nothing of another supplier’s batch, or of an unknown batch id', async () => {
    const theirs = await postCsv(
      t,
      '/invoices/bulk',
      rival.supplier.admin.token,
      csvOf(INVOICE_CSV_HEADER, [
        [
          uniqueNumber('RIVAL'),
          rival.anchor.id,
          rival.programId,
          '',
          '2026-10-08',
          '2027-01-06',
          'CNY',
          '7001.00',
          '0',
        ],
      ]),
    );
    expectStatus(theirs, 201);
    const listed = await getJson(
      t,
      `/invoices?batchId=${theirs.body.batchId as string}`,
      world.supplier.admin.token,
    );
    expectStatus(listed, 200);
    expect(listed.body).toEqual({ items: [], nextCursor: null });
    const unknown = await getJson(
      t,
      `/invoices?batchId=${randomUUID()}`,
      world.supplier.admin.token,
    );
    expect(unknown.body).toEqual({ items: [], nextCursor: null });
  });
});
