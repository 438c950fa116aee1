import { randomUUID } from 'node:crypto';
import { OrganizationKind } from '../../src/common/auth/roles';
import {
  countRows,
  createTenant,
  eventually,
  expectProblem,
  expectStatus,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  invoiceBody,
  orderWithReceipt,
  submitInvoice,
  tradeWorld,
  uniqueNumber,
  verified,
  type TradeWorld,
} from '../support/trade-fixtures';
import {
  businessDayFromToday,
  createOrder,
  fieldCodes,
  fromToday,
  getJson,
  holdVerification,
  invoiceWhen,
  joinedSupplier,
  postJson,
  programWith,
  receive,
  settle,
  TODAY,
  TRADE_TABLES,
  idleSnapshot,
} from '../support/trade-records';

const TABLES = [...TRADE_TABLES, 'idempotency_records'];

interface InvoiceView {
  id: string;
  number: string;
  status: string;
  verification: { status: string; reasons: Array<{ code: string; message: string }> };
  [field: string]: unknown;
}

describe('invoices: /api/v1/invoices', () => {
  let t: TestApp;
  let world: TradeWorld;
  let rival: TradeWorld;
  let neighbour: Tenant; // a second supplier in the world's program
  let outsider: Tenant; // a supplier never invited anywhere

  beforeAll(async () => {
    t = await startTestApp();
    world = await tradeWorld(t);
    rival = await tradeWorld(t);
    neighbour = await joinedSupplier(t, world);
    outsider = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: world.platform });
  });
  afterAll(() => t.close());

  const snapshot = () => idleSnapshot(t, TABLES);
  const submit = (token: string | null, body: Record<string, unknown>, idempotencyKey?: string) =>
    postJson(t, '/invoices', token, body, { idempotencyKey });
  const cancel = (id: string, token: string | null, idempotencyKey?: string) =>
    postJson(t, `/invoices/${id}/cancel`, token, undefined, { idempotencyKey });
  const settled = (id: string, token = world.supplier.admin.token) =>
    invoiceWhen(
      t,
      token,
      id,
      (invoice) => (invoice.verification as { status: string }).status !== 'PENDING',
      'verification',
    ) as Promise<InvoiceView>;

  describe('POST /invoices', () => {
    it('takes a supplier’s invoice (201 SUBMITTED, verification pending), audits it, queues its verification and tells the anchor', async () => {
      const order = await orderWithReceipt(t, world, { received: '600' });
      const body = invoiceBody(world, {
        number: ` ${uniqueNumber('INV')} `,
        purchaseOrderNumber: order.number,
        totalAmount: '51900',
        taxAmount: '5970.8',
        lines: [
          {
            sku: 'PCB-4471',
            description: '四层电路板',
            quantity: '519',
            unitPrice: '100',
            amount: '51900.00',
          },
        ],
      });
      const response = await submit(world.supplier.members.OPERATOR!.token, body);
      expectStatus(response, 201);
      const view = response.body as InvoiceView;
      expect(view).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        number: (body.number as string).trim(),
        supplierId: world.supplier.id,
        anchorId: world.anchor.id,
        programId: world.programId,
        purchaseOrderNumber: order.number,
        issueDate: '2026-10-08',
        dueDate: '2027-01-06',
        currency: 'CNY',
        totalAmount: '51900.00',
        taxAmount: '5970.80',
        status: 'SUBMITTED',
        verification: { status: 'PENDING', reasons: [], checkedAt: null },
        confirmation: null,
        creditNotes: [],
        financeableAmount: '0.00',
        queryReason: null,
        rejectionReason: null,
        lines: [
          {
            lineNo: 1,
            sku: 'PCB-4471',
            description: '四层电路板',
            quantity: '519',
            unitPrice: '100',
            amount: '51900.00',
          },
        ],
        source: 'API',
        createdAt: expect.any(String),
      });
      const [row] = (await t.db.query(
        `SELECT supplier_id, total_amount::text AS total, tax_amount::text AS tax, status, verification_status, source
           FROM invoices WHERE id = $1`,
        [view.id],
      )) as Array<Record<string, unknown>>;
      expect(row).toEqual({
        supplier_id: world.supplier.id,
        total: '51900.0000',
        tax: '5970.8000',
        status: 'SUBMITTED',
        verification_status: 'PENDING',
        source: 'API',
      });
      const events = (await t.db.query(
        `SELECT organization_id, data FROM audit_events WHERE action = 'invoice.submitted' AND entity_id = $1`,
        [view.id],
      )) as Array<Record<string, unknown>>;
      expect(events).toEqual([
        {
          organization_id: world.supplier.id,
          data: {
            number: view.number,
            anchorId: world.anchor.id,
            programId: world.programId,
            totalAmount: '51900',
            currency: 'CNY',
            source: 'API',
          },
        },
      ]);
      expect(
        await countRows(
          t,
          'outbox_messages',
          `job_name = 'verify-invoices' AND payload = jsonb_build_object('invoiceIds', jsonb_build_array($1::text))`,
          [view.id],
        ),
      ).toBe(1);
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'INVOICE_RECEIVED' AND data->>'invoiceId' = $2`,
            [world.anchor.id, view.id],
          )) === 1,
        15_000,
        'INVOICE_RECEIVED for the anchor',
      );
      // 600 × 100.00 received covers 51,900.00.
      expect(await verified(t, world, view.id)).toMatchObject({
        status: 'VERIFIED',
        verification: { status: 'VERIFIED', reasons: [], checkedAt: expect.any(String) },
      });
    });

    it.each([
      [
        'a program of another anchor',
        () => ({ programId: rival.programId }),
        'programId:PROGRAM_NOT_FOUND',
      ],
      [
        'another anchor than the program’s',
        () => ({ anchorId: rival.anchor.id }),
        'programId:PROGRAM_NOT_FOUND',
      ],
      [
        'a program that does not exist',
        () => ({ programId: randomUUID() }),
        'programId:PROGRAM_NOT_FOUND',
      ],
      [
        'a currency other than the program’s',
        () => ({ currency: 'USD' }),
        'currency:CURRENCY_NOT_PROGRAM',
      ],
      [
        'a tax above the total',
        () => ({ totalAmount: '100.00', taxAmount: '100.01' }),
        'taxAmount:TAX_EXCEEDS_TOTAL',
      ],
      [
        'a JSON number for the total',
        () => ({ totalAmount: 50000 }),
        'totalAmount:IS_DECIMAL_STRING',
      ],
      ['a JSON number for the tax', () => ({ taxAmount: 5752.21 }), 'taxAmount:IS_DECIMAL_STRING'],
      [
        'more decimals than CNY allows',
        () => ({ totalAmount: '50000.001' }),
        'totalAmount:IS_DECIMAL_STRING',
      ],
      [
        'a total of 0',
        () => ({ totalAmount: '0.00', taxAmount: '0' }),
        'totalAmount:IS_DECIMAL_STRING',
      ],
      ['a negative tax', () => ({ taxAmount: '-1.00' }), 'taxAmount:IS_DECIMAL_STRING'],
      [
        'an issue date that does not exist',
        () => ({ issueDate: '2026-02-29' }),
        'issueDate:IS_ISO_DATE',
      ],
      ['a due date in another format', () => ({ dueDate: '06/01/2027' }), 'dueDate:IS_ISO_DATE'],
      ['an anchorId that is not a UUID', () => ({ anchorId: 'anchor-1' }), 'anchorId:IS_UUID'],
      ['a status set by the client', () => ({ status: 'CONFIRMED' }), 'status:UNKNOWN_FIELD'],
      [
        'a line amount as a JSON number',
        () => ({ lines: [{ quantity: '1', amount: 50000 }] }),
        'lines.0.amount:IS_DECIMAL_STRING',
      ],
    ])(
      'refuses %s with 422 naming the field, writing nothing',
      async (_what, overrides, expected) => {
        const before = await snapshot();
        const problem = expectProblem(
          await submit(world.supplier.admin.token, invoiceBody(world, overrides())),
          422,
          'VALIDATION_FAILED',
        );
        expect(fieldCodes(problem)).toContain(expected);
        expect(await snapshot()).toEqual(before);
      },
    );

    it('refuses a supplier that was never invited to the program: 422 NOT_A_PROGRAM_MEMBER, writing nothing', async () => {
      const before = await snapshot();
      const problem = expectProblem(
        await submit(outsider.admin.token, invoiceBody(world)),
        422,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual([
        {
          field: 'programId',
          code: 'NOT_A_PROGRAM_MEMBER',
          message: 'programId names a program the supplier was not invited to',
        },
      ]);
      expect(await snapshot()).toEqual(before);
    });

    it('names every missing field at once', async () => {
      const problem = expectProblem(
        await submit(world.supplier.admin.token, {}),
        422,
        'VALIDATION_FAILED',
      );
      expect(new Set(fieldCodes(problem).map((entry) => entry.split(':')[0]))).toEqual(
        new Set([
          'number',
          'anchorId',
          'programId',
          'issueDate',
          'dueDate',
          'currency',
          'totalAmount',
          'taxAmount',
        ]),
      );
    });

    it('answers 409 DUPLICATE_INVOICE naming the existing invoice when the supplier sends a number to the anchor again; another supplier may use the number', async () => {
      const first = await submitInvoice(t, world);
      const before = await snapshot();
      const problem = expectProblem(
        await submit(
          world.supplier.admin.token,
          invoiceBody(world, { number: first.number, totalAmount: '1234.00', taxAmount: '0' }),
        ),
        409,
        'DUPLICATE_INVOICE',
      );
      expect(problem).toMatchObject({
        existingInvoiceId: first.id,
        errors: [{ field: 'number', code: 'DUPLICATE', message: expect.any(String) }],
      });
      expect(await snapshot()).toEqual(before);
      const theirs = await submit(
        neighbour.admin.token,
        invoiceBody(world, { number: first.number }),
      );
      expectStatus(theirs, 201);
      expect(await countRows(t, 'invoices', 'number = $1', [first.number])).toBe(2);
    });

    it('is for the supplier’s ADMIN and OPERATOR: 403 for its VIEWER, the anchor, a financier and the platform; 401 without credentials; nothing written', async () => {
      const before = await snapshot();
      for (const token of [
        world.supplier.members.VIEWER!.token,
        world.anchor.admin.token,
        world.financier.admin.token,
        world.platform,
      ]) {
        expectProblem(await submit(token, invoiceBody(world)), 403, 'FORBIDDEN');
      }
      expectProblem(await submit(null, invoiceBody(world)), 401, 'UNAUTHENTICATED');
      expect(await snapshot()).toEqual(before);
    });

    it('replays a repeated Idempotency-Key with one invoice, and refuses the key for another body', async () => {
      const body = invoiceBody(world);
      const key = `invoice-${body.number as string}`;
      const first = await submit(world.supplier.admin.token, body, key);
      expectStatus(first, 201);
      const afterFirst = await snapshot();
      const again = await submit(world.supplier.admin.token, body, key);
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await countRows(t, 'invoices', 'number = $1', [body.number])).toBe(1);
      expect(await snapshot()).toEqual(afterFirst);
      expectProblem(
        await submit(world.supplier.admin.token, { ...body, totalAmount: '50000.01' }, key),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await snapshot()).toEqual(afterFirst);
    });

    it('takes an invoice from a supplier invited but not yet accepted; eligibility then says MEMBERSHIP_NOT_ACCEPTED', async () => {
      const pending = await tradeWorld(t, { acceptSupplier: false });
      const order = await orderWithReceipt(t, pending);
      const submitted = await submitInvoice(t, pending, { purchaseOrderNumber: order.number });
      expect(submitted).toMatchObject({ status: 'SUBMITTED', supplierId: pending.supplier.id });
      const invoice = await verified(t, pending, submitted.id as string);
      expect(invoice.status).toBe('VERIFIED');
      const eligibility = await getJson(
        t,
        `/invoices/${invoice.id as string}/eligibility`,
        pending.supplier.admin.token,
      );
      expectStatus(eligibility, 200);
      expect(eligibility.body).toEqual({
        eligible: false,
        reasons: [
          { code: 'NOT_CONFIRMED', message: 'The anchor has not confirmed the invoice yet.' },
          {
            code: 'MEMBERSHIP_NOT_ACCEPTED',
            message: 'The supplier has not accepted the program invitation.',
          },
        ],
      });
    });
  });

  describe('visibility of GET /invoices/:id, /invoices/:id/eligibility and GET /invoices', () => {
    let invoice: InvoiceView;
    let shown: Record<string, unknown>;

    beforeAll(async () => {
      const order = await orderWithReceipt(t, world);
      const submitted = await submitInvoice(t, world, {
        number: uniqueNumber('SECRET-INV'),
        purchaseOrderNumber: order.number,
        totalAmount: '77777.77',
      });
      invoice = await settled(submitted.id as string);
      const { history: _history, ...view } = invoice;
      shown = view;
    });

    it('shows the invoice with its history to its supplier, to the anchor it is addressed to (any role) and to the platform', async () => {
      for (const token of [
        world.supplier.admin.token,
        world.supplier.members.VIEWER!.token,
        world.anchor.admin.token,
        world.anchor.members.VIEWER!.token,
        world.platform,
      ]) {
        const response = await getJson(t, `/invoices/${invoice.id}`, token);
        expectStatus(response, 200);
        const { history, ...view } = response.body as InvoiceView & {
          history: Array<Record<string, unknown>>;
        };
        expect(view).toEqual(shown);
        expect(history).toEqual([
          {
            at: expect.any(String),
            action: 'invoice.submitted',
            organizationId: world.supplier.id,
            actorType: 'USER',
            eventId: expect.any(String),
            data: expect.objectContaining({ number: invoice.number, totalAmount: '77777.77' }),
          },
          {
            at: expect.any(String),
            action: 'invoice.verification',
            organizationId: world.supplier.id,
            actorType: 'SYSTEM',
            eventId: expect.any(String),
            data: { id: invoice.id, number: invoice.number, status: 'VERIFIED', reasons: [] },
          },
        ]);
        const eligibility = await getJson(t, `/invoices/${invoice.id}/eligibility`, token);
        expectStatus(eligibility, 200);
        expect(eligibility.body.eligible).toBe(false);
      }
    });

    it('answers 404 with none of its data to another supplier (also of the same program), another anchor and the program’s financier', async () => {
      for (const token of [
        neighbour.admin.token,
        outsider.admin.token,
        rival.supplier.admin.token,
        rival.anchor.admin.token,
        world.financier.admin.token,
        rival.financier.admin.token,
      ]) {
        for (const path of [`/invoices/${invoice.id}`, `/invoices/${invoice.id}/eligibility`]) {
          const problem = expectProblem(await getJson(t, path, token), 404, 'NOT_FOUND');
          const text = JSON.stringify(problem);
          expect(text).not.toContain(invoice.number);
          expect(text).not.toContain('77777.77');
          expect(text).not.toContain(world.supplier.id);
        }
      }
      expectProblem(
        await getJson(t, `/invoices/${randomUUID()}`, world.platform),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await getJson(t, '/invoices/INV-1', world.anchor.admin.token),
        404,
        'NOT_FOUND',
      );
      expectProblem(await getJson(t, `/invoices/${invoice.id}`, null), 401, 'UNAUTHENTICATED');
      expectProblem(
        await getJson(t, `/invoices/${invoice.id}/eligibility`, null),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('lists it for its supplier, its anchor and the platform only; a financier of the program sees no invoice before an offer', async () => {
      const listed = async (token: string, query = '') => {
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await getJson(
            t,
            `/invoices?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`,
            token,
          );
          expectStatus(page, 200);
          ids.push(...(page.body.items as InvoiceView[]).map((item) => item.id));
          cursor = page.body.nextCursor as string | null;
        } while (cursor);
        return ids;
      };
      expect(await listed(world.supplier.admin.token)).toContain(invoice.id);
      expect(await listed(world.anchor.members.VIEWER!.token)).toContain(invoice.id);
      expect(await listed(world.platform, `&supplierId=${world.supplier.id}`)).toContain(
        invoice.id,
      );
      for (const token of [
        neighbour.admin.token,
        rival.anchor.admin.token,
        rival.supplier.admin.token,
      ]) {
        expect(await listed(token)).not.toContain(invoice.id);
      }
      expect(await listed(world.financier.admin.token)).toEqual([]);
      expect(await listed(neighbour.admin.token, `&supplierId=${world.supplier.id}`)).toEqual([]);
      expectProblem(await getJson(t, '/invoices', null), 401, 'UNAUTHENTICATED');
    });
  });

  describe('GET /invoices: filters and cursor pagination', () => {
    let lw: TradeWorld;
    let other: Tenant;
    let secondProgram: string;
    const ids: Record<'a' | 'b' | 'c' | 'd' | 'e', string> = { a: '', b: '', c: '', d: '', e: '' };

    beforeAll(async () => {
      lw = await tradeWorld(t);
      other = await joinedSupplier(t, lw);
      secondProgram = await programWith(t, lw.anchor, lw.supplier);
      const send = async (token: string, overrides: Record<string, unknown>) => {
        const response = await submit(token, invoiceBody(lw, overrides));
        expectStatus(response, 201);
        return response.body.id as string;
      };
      ids.a = await send(lw.supplier.admin.token, { dueDate: '2026-12-01' });
      ids.b = await send(lw.supplier.admin.token, { dueDate: '2027-01-06' });
      ids.c = await send(lw.supplier.admin.token, {
        dueDate: '2027-02-01',
        programId: secondProgram,
      });
      ids.d = await send(other.admin.token, { dueDate: '2027-01-15' });
      ids.e = await send(lw.supplier.admin.token, { dueDate: '2026-11-20' });
      // No purchase order named: every one ends in EXCEPTION; then e is withdrawn.
      for (const [key, id] of Object.entries(ids))
        await settled(id, key === 'd' ? other.admin.token : lw.supplier.admin.token);
      expectStatus(await cancel(ids.e, lw.supplier.admin.token), 200);
    });

    const idsOf = async (token: string, query: string) => {
      const response = await getJson(t, `/invoices?limit=200${query}`, token);
      expectStatus(response, 200);
      expect(response.body.nextCursor).toBeNull();
      const found = (response.body.items as InvoiceView[]).map((item) => item.id);
      const names = Object.entries(ids)
        .filter(([, id]) => found.includes(id))
        .map(([name]) => name);
      expect(found).toHaveLength(names.length);
      return names.sort().join('');
    };

    it('filters by supplier, program, status and due-date range (both ends inclusive)', async () => {
      const anchor = lw.anchor.admin.token;
      expect(await idsOf(anchor, '')).toBe('abcde');
      expect(await idsOf(anchor, `&supplierId=${lw.supplier.id}`)).toBe('abce');
      expect(await idsOf(anchor, `&supplierId=${other.id}`)).toBe('d');
      expect(await idsOf(anchor, `&programId=${secondProgram}`)).toBe('c');
      expect(await idsOf(anchor, `&programId=${lw.programId}`)).toBe('abde');
      expect(await idsOf(anchor, '&status=CANCELLED')).toBe('e');
      expect(await idsOf(anchor, '&status=EXCEPTION')).toBe('abcd');
      expect(await idsOf(anchor, '&status=VERIFIED')).toBe('');
      expect(await idsOf(anchor, '&dueFrom=2027-01-01')).toBe('bcd');
      expect(await idsOf(anchor, '&dueTo=2026-12-31')).toBe('ae');
      expect(await idsOf(anchor, '&dueFrom=2026-12-01&dueTo=2027-01-06')).toBe('ab');
      expect(
        await idsOf(anchor, `&status=EXCEPTION&supplierId=${lw.supplier.id}&dueFrom=2027-01-01`),
      ).toBe('bc');
    });

    it('filters a supplier’s own invoices by anchor', async () => {
      const supplier = lw.supplier.admin.token;
      expect(await idsOf(supplier, '')).toBe('abce');
      expect(await idsOf(supplier, `&anchorId=${lw.anchor.id}`)).toBe('abce');
      expect(await idsOf(supplier, `&anchorId=${world.anchor.id}`)).toBe('');
      expect(await idsOf(other.admin.token, '')).toBe('d');
    });

    it('pages newest first with a cursor, without repeats or gaps', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await getJson(
          t,
          `/invoices?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          lw.anchor.admin.token,
        );
        expectStatus(page, 200);
        seen.push(...(page.body.items as InvoiceView[]).map((item) => item.id));
        cursor = page.body.nextCursor as string | null;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([ids.e, ids.d, ids.c, ids.b, ids.a]);
    });

    it.each([
      ['an unknown status', 'status=PAID'],
      ['a due date that does not exist', 'dueFrom=2026-13-01'],
      ['an anchorId that is not a UUID', 'anchorId=anchor-1'],
      ['a limit of 0', 'limit=0'],
      ['a limit above 200', 'limit=201'],
      ['a cursor this API did not issue', 'cursor=not-a-cursor'],
      ['an unknown filter', 'amount=100'],
    ])('refuses %s with 422', async (_what, query) => {
      expectProblem(
        await getJson(t, `/invoices?${query}`, lw.anchor.admin.token),
        422,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('POST /invoices/:id/cancel', () => {
    const cancelEvents = (id: string) =>
      t.db.query(
        `SELECT organization_id, data FROM audit_events WHERE action = 'invoice.cancelled' AND entity_id = $1`,
        [id],
      ) as Promise<Array<{ organization_id: string; data: Record<string, unknown> }>>;

    it('withdraws a SUBMITTED invoice; the verification that follows leaves it CANCELLED', async () => {
      const hold = await holdVerification(t, world.anchor.id);
      let id = '';
      try {
        const submitted = await submitInvoice(t, world);
        id = submitted.id as string;
        const response = await cancel(id, world.supplier.members.OPERATOR!.token);
        expectStatus(response, 200);
        expect(response.body).toMatchObject({
          id,
          status: 'CANCELLED',
          verification: { status: 'PENDING' },
        });
      } finally {
        await hold.release();
      }
      await settle(t);
      const after = await getJson(t, `/invoices/${id}`, world.supplier.admin.token);
      expect(after.body).toMatchObject({
        status: 'CANCELLED',
        verification: { status: 'PENDING' },
      });
      expect(await cancelEvents(id)).toEqual([
        {
          organization_id: world.supplier.id,
          data: { number: after.body.number, from: 'SUBMITTED' },
        },
      ]);
      expect(
        (after.body.history as Array<{ action: string }>).map((entry) => entry.action),
      ).toEqual(['invoice.submitted', 'invoice.cancelled']);
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'INVOICE_CANCELLED' AND data->>'invoiceId' = $2`,
            [world.anchor.id, id],
          )) === 1,
        15_000,
        'INVOICE_CANCELLED for the anchor',
      );
    });

    it('withdraws a VERIFIED, an EXCEPTION and a CONFIRMED invoice', async () => {
      const order = await orderWithReceipt(t, world);
      const good = await settled(
        (
          await submitInvoice(t, world, {
            purchaseOrderNumber: order.number,
            totalAmount: '20000.00',
          })
        ).id as string,
      );
      expect(good.status).toBe('VERIFIED');
      const bad = await settled((await submitInvoice(t, world)).id as string);
      expect(bad.status).toBe('EXCEPTION');
      const toConfirm = await settled(
        (
          await submitInvoice(t, world, {
            purchaseOrderNumber: order.number,
            totalAmount: '30000.00',
            issueDate: fromToday(-5),
            dueDate: fromToday(60),
          })
        ).id as string,
      );
      expect(toConfirm.status).toBe('VERIFIED');
      expectStatus(
        await postJson(t, `/invoices/${toConfirm.id}/confirm`, world.anchor.admin.token, {
          confirmedAmount: '30000.00',
          paymentDate: businessDayFromToday(30),
        }),
        200,
      );
      for (const [invoice, from] of [
        [good, 'VERIFIED'],
        [bad, 'EXCEPTION'],
        [toConfirm, 'CONFIRMED'],
      ] as Array<[InvoiceView, string]>) {
        const response = await cancel(invoice.id, world.supplier.admin.token);
        expectStatus(response, 200);
        expect(response.body).toMatchObject({
          id: invoice.id,
          status: 'CANCELLED',
          financeableAmount: '0.00',
        });
        expect((await cancelEvents(invoice.id)).map((event) => event.data.from)).toEqual([from]);
      }
      const eligibility = await getJson(
        t,
        `/invoices/${toConfirm.id}/eligibility`,
        world.supplier.admin.token,
      );
      expect(eligibility.body.reasons[0]).toEqual({
        code: 'CANCELLED',
        message: 'The supplier withdrew the invoice.',
      });
    });

    it('answers 409 for a CANCELLED invoice, 403 to the anchor and the supplier’s VIEWER, 404 to another supplier, 401 without credentials; nothing written', async () => {
      const invoice = await settled((await submitInvoice(t, world)).id as string);
      expectStatus(await cancel(invoice.id, world.supplier.admin.token), 200);
      const live = await settled((await submitInvoice(t, world)).id as string);
      const before = await snapshot();
      const again = expectProblem(
        await cancel(invoice.id, world.supplier.admin.token),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(again.invoiceStatus).toBe('CANCELLED');
      for (const token of [
        world.anchor.admin.token,
        world.anchor.members.OPERATOR!.token,
        world.supplier.members.VIEWER!.token,
        world.financier.admin.token,
      ]) {
        expectProblem(await cancel(live.id, token), 403, 'FORBIDDEN');
      }
      for (const token of [neighbour.admin.token, rival.supplier.admin.token]) {
        const problem = expectProblem(await cancel(live.id, token), 404, 'NOT_FOUND');
        expect(JSON.stringify(problem)).not.toContain(live.number);
      }
      expectProblem(await cancel(live.id, null), 401, 'UNAUTHENTICATED');
      expectProblem(await cancel(randomUUID(), world.supplier.admin.token), 404, 'NOT_FOUND');
      expect(await snapshot()).toEqual(before);
      expect(
        (await getJson(t, `/invoices/${live.id}`, world.supplier.admin.token)).body.status,
      ).toBe('EXCEPTION');
    });

    it('replays a repeated Idempotency-Key with one withdrawal, and refuses the key for another invoice', async () => {
      const invoice = await settled((await submitInvoice(t, world)).id as string);
      const other = await settled((await submitInvoice(t, world)).id as string);
      const key = `cancel-${invoice.id}`;
      const first = await cancel(invoice.id, world.supplier.admin.token, key);
      expectStatus(first, 200);
      const afterFirst = await snapshot();
      const again = await cancel(invoice.id, world.supplier.admin.token, key);
      expectStatus(again, 200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await cancelEvents(invoice.id)).toHaveLength(1);
      expect(await snapshot()).toEqual(afterFirst);
      expectProblem(
        await cancel(other.id, world.supplier.admin.token, key),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(
        (await getJson(t, `/invoices/${other.id}`, world.supplier.admin.token)).body.status,
      ).toBe('EXCEPTION');
    });
  });

  describe('verification against the anchor’s records (through the worker)', () => {
    const reasonsOf = async (overrides: Record<string, unknown>, as: TradeWorld = world) => {
      const submitted = await submitInvoice(t, as, overrides);
      const invoice = await verified(t, as, submitted.id as string);
      return { invoice, reasons: (invoice as unknown as InvoiceView).verification.reasons };
    };

    it('PO_NOT_FOUND: the anchor has no such order, or the invoice names none; the supplier is told why', async () => {
      const missing = uniqueNumber('PO-NONE');
      const { invoice, reasons } = await reasonsOf({ purchaseOrderNumber: missing });
      expect(invoice).toMatchObject({ status: 'EXCEPTION', verification: { status: 'EXCEPTION' } });
      expect(reasons).toEqual([
        { code: 'PO_NOT_FOUND', message: `The anchor has no purchase order ${missing}.` },
      ]);
      // A distinct amount: other invoices without an order share issue date and amount.
      expect((await reasonsOf({ totalAmount: '4321.09', taxAmount: '0' })).reasons).toEqual([
        {
          code: 'PO_NOT_FOUND',
          message:
            'The invoice names no purchase order; the anchor cannot match it to its records.',
        },
      ]);
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'INVOICE_EXCEPTION' AND data->>'invoiceId' = $2 AND title = $3`,
            [
              world.supplier.id,
              invoice.id,
              `Invoice ${invoice.number as string} did not match: PO_NOT_FOUND`,
            ],
          )) === 1,
        15_000,
        'INVOICE_EXCEPTION for the supplier',
      );
      const eligibility = await getJson(
        t,
        `/invoices/${invoice.id as string}/eligibility`,
        world.supplier.admin.token,
      );
      expect(eligibility.body).toEqual({
        eligible: false,
        reasons: [
          { code: 'NOT_VERIFIED', message: 'The invoice did not match the anchor’s records.' },
          { code: 'PO_NOT_FOUND', message: `The anchor has no purchase order ${missing}.` },
        ],
      });
    });

    it('SUPPLIER_MISMATCH: the order was placed with another supplier', async () => {
      const theirs = await createOrder(t, world, { supplierId: neighbour.id });
      await receive(t, world, theirs.number, [{ sku: 'PCB-4471', quantityAccepted: '1000' }]);
      expect((await reasonsOf({ purchaseOrderNumber: theirs.number })).reasons).toEqual([
        {
          code: 'SUPPLIER_MISMATCH',
          message: `Purchase order ${theirs.number} was placed with another supplier.`,
        },
      ]);
    });

    it('CURRENCY_MISMATCH: a USD order against a CNY invoice', async () => {
      const dollars = await createOrder(t, world, { currency: 'USD' });
      await receive(t, world, dollars.number, [{ sku: 'PCB-4471', quantityAccepted: '1000' }]);
      expect((await reasonsOf({ purchaseOrderNumber: dollars.number })).reasons).toEqual([
        {
          code: 'CURRENCY_MISMATCH',
          message: `Purchase order ${dollars.number} is in USD, the invoice in CNY.`,
        },
      ]);
    });

    it('EXCEEDS_RECEIVED: more than the goods received, beyond the program’s 2 % tolerance (the tolerance itself passes)', async () => {
      const order = await orderWithReceipt(t, world, { received: '100' }); // 10,000.00 received
      expect(
        (await reasonsOf({ purchaseOrderNumber: order.number, totalAmount: '30000.00' })).reasons,
      ).toEqual([
        {
          code: 'EXCEEDS_RECEIVED',
          message:
            "Invoiced 30000.00 exceeds the goods received 10000.00 less 0.00 already invoiced (10200.00 with the program's 2 % tolerance).",
        },
      ]);
      const edge = await orderWithReceipt(t, world, { received: '100' });
      expect(
        (await reasonsOf({ purchaseOrderNumber: edge.number, totalAmount: '10200.00' })).invoice
          .status,
      ).toBe('VERIFIED');
      const over = await orderWithReceipt(t, world, { received: '100' });
      expect(
        (
          await reasonsOf({ purchaseOrderNumber: over.number, totalAmount: '10200.01' })
        ).reasons.map((reason) => reason.code),
      ).toEqual(['EXCEEDS_RECEIVED']);
    });

    it('BAD_DATES: a due date not after the issue date, and an issue date in the future', async () => {
      const order = await orderWithReceipt(t, world);
      expect(
        (
          await reasonsOf({
            purchaseOrderNumber: order.number,
            totalAmount: '1000.00',
            taxAmount: '0',
            issueDate: '2026-10-08',
            dueDate: '2026-10-08',
          })
        ).reasons,
      ).toEqual([
        {
          code: 'BAD_DATES',
          message: 'The due date 2026-10-08 is not after the issue date 2026-10-08.',
        },
      ]);
      const issueDate = fromToday(10);
      const dueDate = fromToday(70);
      expect(
        (
          await reasonsOf({
            purchaseOrderNumber: order.number,
            totalAmount: '2000.00',
            taxAmount: '0',
            issueDate,
            dueDate,
          })
        ).reasons,
      ).toEqual([
        {
          code: 'BAD_DATES',
          message: `The issue date ${issueDate} is in the future (today is ${TODAY}).`,
        },
      ]);
    });

    it('TENOR_TOO_LONG: payment terms beyond the program’s 180 days (180 itself passes)', async () => {
      const order = await orderWithReceipt(t, world);
      expect(
        (
          await reasonsOf({
            purchaseOrderNumber: order.number,
            totalAmount: '1000.00',
            taxAmount: '0',
            dueDate: '2027-04-07',
          })
        ).reasons,
      ).toEqual([
        { code: 'TENOR_TOO_LONG', message: "Payment terms of 181 days exceed the program's 180." },
      ]);
      expect(
        (
          await reasonsOf({
            purchaseOrderNumber: order.number,
            totalAmount: '1001.00',
            taxAmount: '0',
            dueDate: '2027-04-06',
          })
        ).invoice.status,
      ).toBe('VERIFIED');
    });

    it('DUPLICATE_NUMBER: the supplier sends the same number to a second anchor', async () => {
      const number = uniqueNumber('INV-TWICE');
      const order = await orderWithReceipt(t, world);
      const first = await reasonsOf({ number, purchaseOrderNumber: order.number });
      expect(first.invoice.status).toBe('VERIFIED');

      const rivalProgram = await programWith(t, rival.anchor, world.supplier);
      const rivalOrder = await createOrder(t, rival, { supplierId: world.supplier.id });
      await receive(t, rival, rivalOrder.number, [{ sku: 'PCB-4471', quantityAccepted: '1000' }]);
      const second = await submit(
        world.supplier.admin.token,
        invoiceBody(world, {
          number,
          anchorId: rival.anchor.id,
          programId: rivalProgram,
          purchaseOrderNumber: rivalOrder.number,
        }),
      );
      expectStatus(second, 201);
      const checked = await settled(second.body.id as string);
      expect(checked.verification.reasons).toEqual([
        {
          code: 'DUPLICATE_NUMBER',
          message: 'The supplier already used this invoice number on another invoice.',
        },
      ]);
      // The first one stays as it was.
      expect(
        (await getJson(t, `/invoices/${first.invoice.id as string}`, world.supplier.admin.token))
          .body.status,
      ).toBe('VERIFIED');
    });

    it('DUPLICATE_FINGERPRINT: the same anchor, supplier, amount, issue date and order under another number', async () => {
      const order = await orderWithReceipt(t, world); // 100,000.00 received
      const first = await reasonsOf({ purchaseOrderNumber: order.number, totalAmount: '40000.00' });
      expect(first.invoice.status).toBe('VERIFIED');
      // "40000" is the same money as "40000.00".
      expect(
        (await reasonsOf({ purchaseOrderNumber: order.number, totalAmount: '40000' })).reasons,
      ).toEqual([
        {
          code: 'DUPLICATE_FINGERPRINT',
          message:
            'An earlier invoice has the same anchor, supplier, amount, issue date and purchase order.',
        },
      ]);
      // Another issue date is another trade.
      expect(
        (
          await reasonsOf({
            purchaseOrderNumber: order.number,
            totalAmount: '40000.00',
            issueDate: '2026-10-09',
          })
        ).invoice.status,
      ).toBe('VERIFIED');
    });

    it('reports every failed check at once', async () => {
      const missing = uniqueNumber('PO-NONE');
      const { reasons } = await reasonsOf({
        purchaseOrderNumber: missing,
        issueDate: '2026-10-08',
        dueDate: '2026-10-01',
      });
      expect(reasons.map((reason) => reason.code)).toEqual(['PO_NOT_FOUND', 'BAD_DATES']);
    });

    it('verifies an invoice that arrived before its order once the anchor records the order and the receipt', async () => {
      const number = uniqueNumber('PO-LATE');
      const { invoice, reasons } = await reasonsOf({ purchaseOrderNumber: number });
      expect(reasons.map((reason) => reason.code)).toEqual(['PO_NOT_FOUND']);

      await createOrder(t, world, { number });
      const waiting = await invoiceWhen(
        t,
        world.supplier.admin.token,
        invoice.id as string,
        (current) =>
          (current as unknown as InvoiceView).verification.reasons.some(
            (reason) => reason.code === 'EXCEEDS_RECEIVED',
          ),
        're-verification after the late order',
      );
      expect(waiting).toMatchObject({
        status: 'EXCEPTION',
        verification: {
          reasons: [
            {
              code: 'EXCEEDS_RECEIVED',
              message:
                "Invoiced 50000.00 exceeds the goods received 0.00 less 0.00 already invoiced (0.00 with the program's 2 % tolerance).",
            },
          ],
        },
      });

      await receive(t, world, number, [{ sku: 'PCB-4471', quantityAccepted: '500' }]);
      const done = await invoiceWhen(
        t,
        world.supplier.admin.token,
        invoice.id as string,
        (current) => current.status === 'VERIFIED',
        're-verification after the receipt',
      );
      expect(done).toMatchObject({ verification: { status: 'VERIFIED', reasons: [] } });
      const history = done.history as Array<{ action: string; data: { status?: string } }>;
      expect(
        history.map(
          (entry) => `${entry.action}${entry.data.status ? `:${entry.data.status}` : ''}`,
        ),
      ).toEqual([
        'invoice.submitted',
        'invoice.verification:EXCEPTION',
        'invoice.verification:EXCEPTION',
        'invoice.verification:VERIFIED',
      ]);
    });

    it('counts what was invoiced already: of two invoices that together exceed the receipts, the first is VERIFIED and the second EXCEPTION', async () => {
      const order = await orderWithReceipt(t, world, { received: '500' }); // 50,000.00 received
      const first = await reasonsOf({ purchaseOrderNumber: order.number, totalAmount: '30000.00' });
      expect(first.invoice.status).toBe('VERIFIED');
      const second = await reasonsOf({
        purchaseOrderNumber: order.number,
        totalAmount: '30000.00',
        issueDate: '2026-10-09',
      });
      expect(second.invoice.status).toBe('EXCEPTION');
      expect(second.reasons).toEqual([
        {
          code: 'EXCEEDS_RECEIVED',
          message:
            "Invoiced 30000.00 exceeds the goods received 50000.00 less 30000.00 already invoiced (20400.00 with the program's 2 % tolerance).",
        },
      ]);
      // What is left (20,000.00 and the tolerance on it) still fits.
      const third = await reasonsOf({
        purchaseOrderNumber: order.number,
        totalAmount: '20400.00',
        issueDate: '2026-10-10',
      });
      expect(third.invoice.status).toBe('VERIFIED');
    });
  });
});
