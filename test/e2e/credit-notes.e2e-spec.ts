import { randomUUID } from 'node:crypto';
import { Role } from '../../src/common/auth/roles';
import { bearer, countRows, eventually, expectProblem, expectStatus } from '../support/fixtures';
import { settle } from '../support/trade-records';
import { startTestApp, type TestApp } from '../support/test-app';
import { tradeWorld, uniqueNumber, type TradeWorld } from '../support/trade-fixtures';
import {
  eligibilityOf,
  getInvoice,
  historyOf,
  notificationAbout,
  notificationsAbout,
  tradeCounts,
  verifiedInvoice,
  type InvoiceBody,
} from '../support/ubl-fixtures';

const DUE = '2027-01-06';

describe('credit notes and dilution: POST /api/v1/invoices/:id/credit-notes', () => {
  let t: TestApp;
  let world: TradeWorld;
  let other: TradeWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await tradeWorld(t);
    other = await tradeWorld(t);
  });
  afterAll(() => t.close());

  const raise = (token: string | null, invoiceId: string, body: unknown, key?: string) => {
    const request = t.http().post(`/api/v1/invoices/${invoiceId}/credit-notes`);
    if (token) request.set(...bearer(token));
    if (key) request.set('Idempotency-Key', key);
    return request.send(body as object);
  };
  const supplierToken = () => world.supplier.admin.token;
  const anchorToken = () => world.anchor.admin.token;
  const member = (tenant: TradeWorld['anchor'], role: Role): string => {
    const found = tenant.members[role];
    if (!found) throw new Error(`${tenant.name} has no ${role}`);
    return found.token;
  };

  async function confirmedInvoice(amount = '50000.00'): Promise<InvoiceBody> {
    const invoice = await verifiedInvoice(t, world);
    const response = await t
      .http()
      .post(`/api/v1/invoices/${invoice.id}/confirm`)
      .set(...bearer(anchorToken()))
      .send({ confirmedAmount: amount, paymentDate: DUE });
    expectStatus(response, 200);
    return response.body as InvoiceBody;
  }

  const creditNotesOf = (invoiceId: string) =>
    t.db.query(
      `SELECT number, amount::text AS amount, status, raised_by, source, after_financing,
              agreed_at IS NOT NULL AS agreed
         FROM credit_notes WHERE invoice_id = $1 ORDER BY created_at`,
      [invoiceId],
    ) as Promise<Array<Record<string, unknown>>>;

  it("takes the supplier's credit note as AGREED: it lowers financeableAmount of a CONFIRMED invoice; the anchor is told", async () => {
    const invoice = await confirmedInvoice();
    const number = uniqueNumber('CN');
    const response = await raise(member(world.supplier, Role.OPERATOR), invoice.id, {
      number,
      amount: '2000.00',
      reason: '  20 boards returned (RMA-7781)  ',
    });
    expectStatus(response, 201);
    expect(response.body).toMatchObject({
      id: invoice.id,
      status: 'CONFIRMED',
      confirmation: { confirmedAmount: '50000.00', paymentDate: DUE },
      financeableAmount: '48000.00',
      creditNotes: [
        {
          id: expect.any(String),
          number,
          amount: '2000.00',
          reason: '20 boards returned (RMA-7781)',
          status: 'AGREED',
          raisedBy: world.supplier.id,
          afterFinancing: false,
          createdAt: expect.any(String),
        },
      ],
    });
    expect(await creditNotesOf(invoice.id)).toEqual([
      {
        number,
        amount: '2000.0000',
        status: 'AGREED',
        raised_by: world.supplier.id,
        source: 'API',
        after_financing: false,
        agreed: true,
      },
    ]);
    // The anchor sees the same.
    expect(await getInvoice(t, anchorToken(), invoice.id)).toMatchObject({
      financeableAmount: '48000.00',
      creditNotes: [{ number, status: 'AGREED' }],
    });
    const notification = await notificationAbout(
      t,
      anchorToken(),
      'CREDIT_NOTE_RAISED',
      invoice.id,
    );
    expect(notification.title).toBe(
      `Credit note ${number} on invoice ${invoice.number}: CNY 2000.00`,
    );
    const history = await historyOf(t, supplierToken(), invoice.id);
    expect(history.map((entry) => entry.action)).toEqual([
      'invoice.submitted',
      'invoice.verification',
      'invoice.confirmed',
      'invoice.credit_note_raised',
    ]);
    expect(history[3]).toMatchObject({
      organizationId: world.supplier.id,
      data: {
        invoiceNumber: invoice.number,
        number,
        amount: '2000.00',
        reason: '20 boards returned (RMA-7781)',
        status: 'AGREED',
        afterFinancing: false,
      },
    });
    expect(await eligibilityOf(t, supplierToken(), invoice.id)).toEqual({
      eligible: true,
      reasons: [],
    });
  });

  it('lowers what an approved-payables line must match and what a confirmation may undertake', async () => {
    const invoice = await verifiedInvoice(t, world);
    expectStatus(
      await raise(supplierToken(), invoice.id, {
        number: uniqueNumber('CN'),
        amount: '2500.50',
        reason: 'Volume rebate',
      }),
      201,
    );
    const list = (amount: string) =>
      t
        .http()
        .post('/api/v1/confirmations/bulk')
        .set(...bearer(anchorToken()))
        .send([
          {
            supplierRegistrationId: world.supplier.registrationId,
            invoiceNumber: invoice.number,
            amount,
            paymentDate: DUE,
          },
        ]);
    const mismatch = await list('50000.00');
    expectStatus(mismatch, 200);
    expect(mismatch.body.rows).toEqual([
      {
        row: 1,
        invoiceId: invoice.id,
        result: 'AMOUNT_MISMATCH',
        message: 'The list says 50000.00; the invoice less agreed credit notes is 47499.50.',
      },
    ]);
    expect(
      expectProblem(
        await t
          .http()
          .post(`/api/v1/invoices/${invoice.id}/confirm`)
          .set(...bearer(anchorToken()))
          .send({ confirmedAmount: '47499.51', paymentDate: DUE }),
        422,
        'VALIDATION_FAILED',
      ).errors,
    ).toEqual([
      {
        field: 'confirmedAmount',
        code: 'EXCEEDS_PAYABLE',
        message: 'confirmedAmount must not exceed the invoice less agreed credit notes (47499.50)',
      },
    ]);
    const matched = await list('47499.50');
    expect(matched.body.rows).toEqual([{ row: 1, invoiceId: invoice.id, result: 'CONFIRMED' }]);
    expect(await getInvoice(t, anchorToken(), invoice.id)).toMatchObject({
      status: 'CONFIRMED',
      confirmation: { confirmedAmount: '47499.50' },
      financeableAmount: '47499.50',
    });
  });

  it("takes the anchor's credit note as DISPUTED: it blocks financing until the supplier posts the same number and amount", async () => {
    const invoice = await confirmedInvoice();
    const number = uniqueNumber('DN');
    const disputed = await raise(member(world.anchor, Role.OPERATOR), invoice.id, {
      number,
      amount: '3000.00',
      reason: 'Late delivery penalty, contract §7.2',
    });
    expectStatus(disputed, 201);
    expect(disputed.body).toMatchObject({
      status: 'CONFIRMED',
      financeableAmount: '0.00',
      creditNotes: [{ number, amount: '3000.00', status: 'DISPUTED', raisedBy: world.anchor.id }],
    });
    expect(await eligibilityOf(t, supplierToken(), invoice.id)).toEqual({
      eligible: false,
      reasons: [
        {
          code: 'CREDIT_NOTE_DISPUTED',
          message: '1 credit note(s) raised by the anchor await the supplier’s agreement.',
        },
      ],
    });
    const told = await notificationAbout(t, supplierToken(), 'CREDIT_NOTE_RAISED', invoice.id);
    expect(told.title).toBe(`Credit note ${number} on invoice ${invoice.number}: CNY 3000.00`);
    // A disputed note is not yet a credit: nothing is subtracted.
    expect(await creditNotesOf(invoice.id)).toEqual([
      expect.objectContaining({ status: 'DISPUTED', raised_by: world.anchor.id, agreed: false }),
    ]);

    // The supplier agrees with a different amount: a duplicate, not an agreement.
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    expectProblem(
      await raise(supplierToken(), invoice.id, { number, amount: '2500.00', reason: 'agree' }),
      409,
      'DUPLICATE_CREDIT_NOTE',
    );
    expect(await tradeCounts(t)).toEqual(before);

    const agreed = await raise(supplierToken(), invoice.id, {
      number,
      amount: '3000',
      reason: 'Agreed: late delivery',
    });
    expectStatus(agreed, 201);
    expect(agreed.body).toMatchObject({
      status: 'CONFIRMED',
      financeableAmount: '47000.00',
      creditNotes: [
        {
          id: disputed.body.creditNotes[0].id,
          number,
          amount: '3000.00',
          status: 'AGREED',
          raisedBy: world.anchor.id,
        },
      ],
    });
    expect(agreed.body.creditNotes).toHaveLength(1);
    expect(await eligibilityOf(t, supplierToken(), invoice.id)).toEqual({
      eligible: true,
      reasons: [],
    });
    const history = await historyOf(t, anchorToken(), invoice.id);
    expect(
      history.slice(3).map((entry) => [entry.action, entry.organizationId, entry.data.status]),
    ).toEqual([
      ['invoice.credit_note_raised', world.anchor.id, 'DISPUTED'],
      ['invoice.credit_note_agreed', world.supplier.id, undefined],
    ]);
    await eventually(async () => {
      const notes = await notificationsAbout(t, anchorToken(), invoice.id);
      return notes.find((note) => note.title.endsWith(' agreed')) ?? undefined;
    });
    // Agreed now: the same number again is a duplicate for both parties.
    for (const token of [supplierToken(), anchorToken()])
      expectProblem(
        await raise(token, invoice.id, { number, amount: '3000.00', reason: 'again' }),
        409,
        'DUPLICATE_CREDIT_NOTE',
      );
  });

  it('refuses the same number again (409 DUPLICATE_CREDIT_NOTE, naming the existing note) and writes nothing', async () => {
    const invoice = await verifiedInvoice(t, world);
    const number = uniqueNumber('CN');
    const first = await raise(supplierToken(), invoice.id, {
      number,
      amount: '100.00',
      reason: 'Short delivery',
    });
    expectStatus(first, 201);
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    const again = await raise(supplierToken(), invoice.id, {
      number,
      amount: '200.00',
      reason: 'Short delivery, revised',
    });
    expect(expectProblem(again, 409, 'DUPLICATE_CREDIT_NOTE')).toMatchObject({
      existingCreditNoteId: first.body.creditNotes[0].id,
    });
    expect(await tradeCounts(t)).toEqual(before);
    // The anchor raising the supplier's number is a duplicate too.
    expectProblem(
      await raise(anchorToken(), invoice.id, { number, amount: '100.00', reason: 'same' }),
      409,
      'DUPLICATE_CREDIT_NOTE',
    );
    // The same number on another invoice is another credit note.
    const second = await verifiedInvoice(t, world);
    expectStatus(
      await raise(supplierToken(), second.id, { number, amount: '100.00', reason: 'Short' }),
      201,
    );
  });

  it('refuses an amount above what is left of the invoice (422) and more decimals than CNY has', async () => {
    const invoice = await confirmedInvoice();
    expectStatus(
      await raise(supplierToken(), invoice.id, {
        number: uniqueNumber('CN'),
        amount: '45000.00',
        reason: 'Most goods returned',
      }),
      201,
    );
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    const above = await raise(supplierToken(), invoice.id, {
      number: uniqueNumber('CN'),
      amount: '5000.01',
      reason: 'More returned',
    });
    expect(expectProblem(above, 422, 'VALIDATION_FAILED').errors).toEqual([
      {
        field: 'amount',
        code: 'EXCEEDS_PAYABLE',
        message: 'amount exceeds what is left of the invoice (5000.00)',
      },
    ]);
    expectProblem(
      await raise(anchorToken(), invoice.id, {
        number: uniqueNumber('DN'),
        amount: '5000.01',
        reason: 'Penalty',
      }),
      422,
      'VALIDATION_FAILED',
    );
    expect(
      expectProblem(
        await raise(supplierToken(), invoice.id, {
          number: uniqueNumber('CN'),
          amount: '10.005',
          reason: 'Rounding',
        }),
        422,
        'VALIDATION_FAILED',
      ).errors,
    ).toEqual([
      {
        field: 'amount',
        code: 'IS_DECIMAL_STRING',
        message: 'amount has more decimals than CNY allows',
      },
    ]);
    expect(await tradeCounts(t)).toEqual(before);
    // Exactly what is left is fine.
    const rest = await raise(supplierToken(), invoice.id, {
      number: uniqueNumber('CN'),
      amount: '5000.00',
      reason: 'Everything else returned',
    });
    expectStatus(rest, 201);
    expect(rest.body.financeableAmount).toBe('0.00');
    expect(await eligibilityOf(t, supplierToken(), invoice.id)).toEqual({
      eligible: false,
      reasons: [{ code: 'NOTHING_TO_FINANCE', message: 'Credit notes leave nothing to finance.' }],
    });
  });

  it('never credits more than the invoice under simultaneous credit notes', async () => {
    const invoice = await confirmedInvoice();
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        raise(supplierToken(), invoice.id, {
          number: `CN-RACE-${index}`,
          amount: '20000.00',
          reason: 'Returned lot',
        }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 201, 422, 422, 422]);
    for (const response of responses.filter((entry) => entry.status === 422))
      expect(response.body.errors).toEqual([
        {
          field: 'amount',
          code: 'EXCEEDS_PAYABLE',
          message: 'amount exceeds what is left of the invoice (10000.00)',
        },
      ]);
    expect(await countRows(t, 'credit_notes', 'invoice_id = $1', [invoice.id])).toBe(2);
    expect((await getInvoice(t, supplierToken(), invoice.id)).financeableAmount).toBe('10000.00');
  });

  it('does not let the agreement of a disputed note credit more than is left of the invoice', async () => {
    const invoice = await confirmedInvoice();
    const number = uniqueNumber('DN');
    expectStatus(
      await raise(anchorToken(), invoice.id, { number, amount: '3000.00', reason: 'Penalty' }),
      201,
    );
    expectStatus(
      await raise(supplierToken(), invoice.id, {
        number: uniqueNumber('CN'),
        amount: '48000.00',
        reason: 'Most goods returned',
      }),
      201,
    );
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    // 2,000.00 is left; agreeing to the anchor's 3,000.00 would credit 51,000.00 of 50,000.00.
    const agreement = await raise(supplierToken(), invoice.id, {
      number,
      amount: '3000.00',
      reason: 'Agreed',
    });
    // Agreeing to a disputed note credits the invoice too, so it meets the same "what is left" check.
    expect(expectProblem(agreement, 422, 'VALIDATION_FAILED').errors).toEqual([
      expect.objectContaining({ field: 'amount', code: 'EXCEEDS_PAYABLE' }),
    ]);
    expect(await tradeCounts(t)).toEqual(before);
    const [row] = (await t.db.query(
      'SELECT credited_amount::text AS credited FROM invoices WHERE id = $1',
      [invoice.id],
    )) as Array<{ credited: string }>;
    expect(row.credited).toBe('48000.0000');
  });

  it('refuses malformed bodies with the offending fields (422) and writes nothing', async () => {
    const invoice = await verifiedInvoice(t, world);
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    const valid = { number: 'CN-1', amount: '10.00', reason: 'Short delivery' };
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ ...valid, amount: 10 }, ['amount']],
      [{ ...valid, amount: '0' }, ['amount']],
      [{ ...valid, amount: '-5.00' }, ['amount']],
      [{ ...valid, amount: 'ten' }, ['amount']],
      [{ ...valid, number: '' }, ['number']],
      [{ ...valid, number: 'x'.repeat(65) }, ['number']],
      [{ ...valid, reason: '   ' }, ['reason']],
      [{ number: 'CN-1' }, ['amount', 'reason']],
    ];
    for (const [body, fields] of cases) {
      const problem = expectProblem(
        await raise(supplierToken(), invoice.id, body),
        422,
        'VALIDATION_FAILED',
      );
      const errors = problem.errors as Array<{ field: string; code: string; message: string }>;
      expect([...new Set(errors.map((error) => error.field))].sort()).toEqual(fields);
      for (const error of errors) expect(error.message.length).toBeGreaterThan(0);
    }
    expect(await tradeCounts(t)).toEqual(before);
    expect((await getInvoice(t, supplierToken(), invoice.id)).creditNotes).toEqual([]);
  });

  it('refuses a CANCELLED invoice (409) and leaves it as it was', async () => {
    const invoice = await verifiedInvoice(t, world);
    expectStatus(
      await t
        .http()
        .post(`/api/v1/invoices/${invoice.id}/cancel`)
        .set(...bearer(supplierToken())),
      200,
    );
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    for (const token of [supplierToken(), anchorToken()])
      expectProblem(
        await raise(token, invoice.id, {
          number: uniqueNumber('CN'),
          amount: '100.00',
          reason: 'Short delivery',
        }),
        409,
        'INVALID_STATE_TRANSITION',
      );
    expect(await tradeCounts(t)).toEqual(before);
    expect(await getInvoice(t, supplierToken(), invoice.id)).toMatchObject({
      status: 'CANCELLED',
      creditNotes: [],
    });
  });

  it('answers another supplier or another anchor 404 (nothing leaked); VIEWERs and financiers 403; no credentials 401', async () => {
    const invoice = await verifiedInvoice(t, world);
    const body = { number: uniqueNumber('CN'), amount: '100.00', reason: 'Short delivery' };
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    for (const token of [other.supplier.admin.token, other.anchor.admin.token]) {
      const response = await raise(token, invoice.id, body);
      expectProblem(response, 404, 'NOT_FOUND');
      expect(JSON.stringify(response.body)).not.toContain(invoice.number);
      expect(JSON.stringify(response.body)).not.toContain('50000');
    }
    expectProblem(
      await raise(member(world.anchor, Role.VIEWER), invoice.id, body),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await raise(member(world.anchor, Role.APPROVER), invoice.id, body),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await raise(member(world.supplier, Role.VIEWER), invoice.id, body),
      403,
      'FORBIDDEN',
    );
    expectProblem(await raise(world.financier.admin.token, invoice.id, body), 403, 'FORBIDDEN');
    expectProblem(await raise(null, invoice.id, body), 401, 'UNAUTHENTICATED');
    expectProblem(await raise(supplierToken(), randomUUID(), body), 404, 'NOT_FOUND');
    expect(await tradeCounts(t)).toEqual(before);
  });

  it('replays a repeated Idempotency-Key (one credit note) and refuses the key with another body (422)', async () => {
    const invoice = await confirmedInvoice();
    const key = `cn-${randomUUID()}`;
    const body = { number: uniqueNumber('CN'), amount: '750.00', reason: 'Damaged in transit' };
    const first = await raise(supplierToken(), invoice.id, body, key);
    expectStatus(first, 201);
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    const replay = await raise(supplierToken(), invoice.id, body, key);
    expectStatus(replay, 201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expectProblem(
      await raise(supplierToken(), invoice.id, { ...body, amount: '800.00' }, key),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await tradeCounts(t)).toEqual(before);
    expect(await countRows(t, 'credit_notes', 'invoice_id = $1', [invoice.id])).toBe(1);
    expect((await getInvoice(t, supplierToken(), invoice.id)).financeableAmount).toBe('49250.00');
  });

  // Financing is not built yet: the invoice is put in FINANCED directly, as a financing would.
  it('records a credit note after financing as dilution the supplier owes, tells both parties, and shows it on the invoice', async () => {
    const invoice = await confirmedInvoice();
    await t.db.query(`UPDATE invoices SET status = 'FINANCED' WHERE id = $1`, [invoice.id]);
    const number = uniqueNumber('CN');
    const response = await raise(supplierToken(), invoice.id, {
      number,
      amount: '3000.00',
      reason: 'Quality claim settled after delivery',
    });
    expectStatus(response, 201);
    expect(response.body).toMatchObject({
      id: invoice.id,
      status: 'FINANCED',
      creditNotes: [{ number, amount: '3000.00', status: 'AGREED', afterFinancing: true }],
    });
    expect(await creditNotesOf(invoice.id)).toEqual([
      expect.objectContaining({ number, after_financing: true, status: 'AGREED' }),
    ]);
    const history = await historyOf(t, supplierToken(), invoice.id);
    expect(history.at(-1)).toMatchObject({
      action: 'invoice.diluted',
      organizationId: world.supplier.id,
      data: { invoiceNumber: invoice.number, number, amount: '3000.00', afterFinancing: true },
    });
    const title = `Invoice ${invoice.number} was diluted by CNY 3000.00 after financing: the supplier owes it`;
    expect((await notificationAbout(t, anchorToken(), 'INVOICE_DILUTED', invoice.id)).title).toBe(
      title,
    );
    expect((await notificationAbout(t, supplierToken(), 'INVOICE_DILUTED', invoice.id)).title).toBe(
      title,
    );
    expect(await getInvoice(t, anchorToken(), invoice.id)).toMatchObject({
      creditNotes: [{ number, afterFinancing: true }],
    });
  });
});
