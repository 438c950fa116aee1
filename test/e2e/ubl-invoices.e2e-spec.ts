import { randomUUID } from 'node:crypto';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  acceptProgram,
  bearer,
  createProgram,
  createTenant,
  expectProblem,
  expectStatus,
  inviteMember,
  platformAdminToken,
  type Tenant,
} from '../support/fixtures';
import { settle } from '../support/trade-records';
import { startTestApp, type TestApp } from '../support/test-app';
import { verified, type TradeWorld } from '../support/trade-fixtures';
import {
  eligibilityOf,
  getInvoice,
  historyOf,
  invoiceResponseXml,
  notificationAbout,
  postXml,
  registerIdentifier,
  tradeCounts,
  ublSample,
  uniqueEndpoint,
  withDoctype,
  withElementText,
  withoutElement,
  type InvoiceBody,
  type PartyIdentifier,
} from '../support/ubl-fixtures';

const PATH = '/api/v1/invoices/ubl';

// The identifiers the samples carry with a scheme, as they appear in them (EndpointID,
// PartyIdentification/ID, PartyLegalEntity/CompanyID). Identifiers without a scheme (99887766,
// GB983294) cannot be registered: an ISO 6523 scheme is required.
const BASE_SELLER: PartyIdentifier[] = [{ scheme: '0088', value: '9482348239847239874' }];
const BASE_BUYER: PartyIdentifier[] = [
  { scheme: '0002', value: 'FR23342' },
  { scheme: '0183', value: '39937423947' },
];
const VAT_S_SELLER: PartyIdentifier[] = [{ scheme: '0088', value: '7300010000001' }];
const NORWEGIAN_SELLER: PartyIdentifier[] = [
  { scheme: '0192', value: '123456785' },
  { scheme: '0088', value: '1238764941386' },
];
const NORWEGIAN_BUYER: PartyIdentifier[] = [
  { scheme: '0192', value: '987654325' },
  { scheme: '0088', value: '3456789012098' },
];
const MIN_CONTENT_SELLER: PartyIdentifier[] = [{ scheme: '0007', value: '1234512345' }];
const MIN_CONTENT_BUYER: PartyIdentifier[] = [{ scheme: '0007', value: '9876543210' }];

const send = (
  t: TestApp,
  token: string | null,
  xml: string,
  options: { programId?: string; idempotencyKey?: string; contentType?: string } = {},
) =>
  postXml(t, options.programId ? `${PATH}?programId=${options.programId}` : PATH, token, xml, {
    idempotencyKey: options.idempotencyKey,
    contentType: options.contentType,
  });

async function register(t: TestApp, tenant: Tenant, identifiers: PartyIdentifier[]): Promise<void> {
  for (const identifier of identifiers) await registerIdentifier(t, tenant, identifier);
}

/** A program of `anchor` in `currency` that `supplier` was invited to and accepted. */
async function programWith(
  t: TestApp,
  anchor: Tenant,
  supplier: Tenant,
  currency: string,
): Promise<string> {
  const program = await createProgram(t, anchor, { currency, minInvoiceAmount: '100.00' });
  await inviteMember(t, anchor, program.id, supplier);
  await acceptProgram(t, supplier, program.id);
  return program.id;
}

/** Just enough of a TradeWorld for `verified()`. */
const asWorld = (anchor: Tenant, supplier: Tenant, programId: string): TradeWorld => ({
  platform: '',
  anchor,
  supplier,
  financier: supplier,
  programId,
});

describe('UBL invoices: POST /api/v1/invoices/ubl', () => {
  let t: TestApp;
  let platform: string;
  /** Buyer of the Peppol base examples. */
  let anchor: Tenant;
  /** Seller of base-example.xml and its corrections. */
  let baseSeller: Tenant;
  /** Seller of Vat-category-S.xml (two VAT rates). */
  let vatSeller: Tenant;
  let eurProgram: string;
  let vatPrograms: string[];
  let baseInvoice: InvoiceBody;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    platform = await platformAdminToken(t);
    anchor = await createTenant(t, OrganizationKind.ANCHOR, {
      platformToken: platform,
      roles: [Role.VIEWER],
    });
    baseSeller = await createTenant(t, OrganizationKind.SUPPLIER, {
      platformToken: platform,
      roles: [Role.OPERATOR, Role.VIEWER],
    });
    vatSeller = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform });
    await register(t, anchor, BASE_BUYER);
    await register(t, baseSeller, BASE_SELLER);
    await register(t, vatSeller, VAT_S_SELLER);
    eurProgram = await programWith(t, anchor, baseSeller, 'EUR');
    vatPrograms = [
      await programWith(t, anchor, vatSeller, 'EUR'),
      await programWith(t, anchor, vatSeller, 'EUR'),
    ];
  });
  afterAll(() => t.close());

  it('reads base-example.xml (EUR) into an invoice; the only EUR program is found without programId', async () => {
    const operator = baseSeller.members[Role.OPERATOR];
    if (!operator) throw new Error('the supplier has no OPERATOR');
    const response = await send(t, operator.token, ublSample('base-example.xml'));
    expectStatus(response, 201);
    baseInvoice = response.body as InvoiceBody;
    expect(response.body).toEqual({
      id: expect.any(String),
      number: 'Snippet1',
      supplierId: baseSeller.id,
      anchorId: anchor.id,
      programId: eurProgram,
      purchaseOrderNumber: null,
      issueDate: '2017-11-13',
      dueDate: '2017-12-01',
      currency: 'EUR',
      totalAmount: '1656.25',
      taxAmount: '331.25',
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
          sku: null,
          description: 'item name',
          quantity: '7',
          unitPrice: '400',
          amount: '2800.00',
        },
        {
          lineNo: 2,
          sku: null,
          description: 'item name 2',
          quantity: '3',
          unitPrice: '500',
          amount: '-1500.00',
        },
      ],
      source: 'UBL',
      createdAt: expect.any(String),
    });
    // The anchor is told, and verification runs: the sample names no purchase order.
    await notificationAbout(t, anchor.admin.token, 'INVOICE_RECEIVED', baseInvoice.id);
    const checked = await verified(t, asWorld(anchor, baseSeller, eurProgram), baseInvoice.id);
    expect(checked).toMatchObject({
      status: 'EXCEPTION',
      verification: {
        status: 'EXCEPTION',
        reasons: [
          {
            code: 'PO_NOT_FOUND',
            message:
              'The invoice names no purchase order; the anchor cannot match it to its records.',
          },
        ],
      },
    });
    const history = await historyOf(t, anchor.admin.token, baseInvoice.id);
    expect(history[0]).toMatchObject({
      action: 'invoice.submitted',
      organizationId: baseSeller.id,
      data: {
        number: 'Snippet1',
        anchorId: anchor.id,
        programId: eurProgram,
        totalAmount: '1656.25',
        currency: 'EUR',
        source: 'UBL',
      },
    });
  });

  it('refuses the same invoice again: 409 DUPLICATE_INVOICE naming the existing one', async () => {
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    const again = await send(t, baseSeller.admin.token, ublSample('base-example.xml'), {
      programId: eurProgram,
    });
    expect(expectProblem(again, 409, 'DUPLICATE_INVOICE')).toMatchObject({
      existingInvoiceId: baseInvoice.id,
    });
    expect(await tradeCounts(t)).toEqual(before);
  });

  it('turns base-creditnote-correction.xml (CreditNote referencing Snippet1) into an agreed credit note on Snippet1', async () => {
    const response = await send(
      t,
      baseSeller.admin.token,
      ublSample('base-creditnote-correction.xml'),
    );
    expectStatus(response, 201);
    expect(response.body).toMatchObject({
      id: baseInvoice.id,
      number: 'Snippet1',
      totalAmount: '1656.25',
      creditNotes: [
        {
          number: 'Snippet1',
          amount: '1656.25',
          reason: 'UBL credit note Snippet1 of 2017-11-13',
          status: 'AGREED',
          raisedBy: baseSeller.id,
          afterFinancing: false,
        },
      ],
    });
    const [note] = (await t.db.query(
      `SELECT source, status FROM credit_notes WHERE invoice_id = $1`,
      [baseInvoice.id],
    )) as Array<{ source: string; status: string }>;
    expect(note).toEqual({ source: 'UBL', status: 'AGREED' });
    const told = await notificationAbout(
      t,
      anchor.admin.token,
      'CREDIT_NOTE_RAISED',
      baseInvoice.id,
    );
    expect(told.title).toBe('Credit note Snippet1 on invoice Snippet1: EUR 1656.25');
    const history = await historyOf(t, baseSeller.admin.token, baseInvoice.id);
    expect(history.map((entry) => entry.action)).toEqual([
      'invoice.submitted',
      'invoice.verification',
      'invoice.credit_note_raised',
    ]);
    // The same credit note again is a duplicate, and nothing is credited twice.
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    expectProblem(
      await send(t, baseSeller.admin.token, ublSample('base-creditnote-correction.xml')),
      409,
      'DUPLICATE_CREDIT_NOTE',
    );
    // Nothing is left of Snippet1: the negative-invoice correction of it credits too much.
    expect(
      expectProblem(
        await send(t, baseSeller.admin.token, ublSample('base-negative-inv-correction.xml')),
        422,
        'VALIDATION_FAILED',
      ).errors,
    ).toEqual([
      {
        field: 'amount',
        code: 'EXCEEDS_PAYABLE',
        message: 'amount exceeds what is left of the invoice (0.00)',
      },
    ]);
    expect(await tradeCounts(t)).toEqual(before);
    expect((await getInvoice(t, anchor.admin.token, baseInvoice.id)).financeableAmount).toBe(
      '0.00',
    );
  });

  it('reads Vat-category-S.xml (VAT 25 % and 15 %): PROGRAM_AMBIGUOUS with two EUR programs, accepted with ?programId=, replayed by Idempotency-Key', async () => {
    const xml = ublSample('Vat-category-S.xml');
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    const ambiguous = await send(t, vatSeller.admin.token, xml);
    expect(expectProblem(ambiguous, 422, 'VALIDATION_FAILED').errors).toEqual([
      {
        field: 'programId',
        code: 'PROGRAM_AMBIGUOUS',
        message:
          'The anchor has 2 active EUR programs with this supplier; name one with ?programId=.',
      },
    ]);
    expect(await tradeCounts(t)).toEqual(before);

    const key = `ubl-${randomUUID()}`;
    const first = await send(t, vatSeller.admin.token, xml, {
      programId: vatPrograms[1],
      idempotencyKey: key,
    });
    expectStatus(first, 201);
    expect(first.body).toMatchObject({
      number: 'Snippet1',
      supplierId: vatSeller.id,
      anchorId: anchor.id,
      programId: vatPrograms[1],
      currency: 'EUR',
      issueDate: '2017-11-13',
      dueDate: '2017-12-01',
      totalAmount: '8550.00',
      taxAmount: '1550.00',
      source: 'UBL',
    });
    expect(
      (first.body.lines as Array<Record<string, unknown>>).map(
        ({ sku, quantity, unitPrice, amount }) => ({
          sku,
          quantity,
          unitPrice,
          amount,
        }),
      ),
    ).toEqual([
      { sku: '97iugug876', quantity: '10', unitPrice: '400', amount: '4000.00' },
      { sku: '97iugug876', quantity: '10', unitPrice: '200', amount: '2000.00' },
      { sku: '97iugug876', quantity: '10', unitPrice: '90', amount: '900.00' },
    ]);
    // Wait for the worker's verification, which writes its own audit event.
    await verified(t, asWorld(anchor, vatSeller, vatPrograms[1]), first.body.id as string);
    const afterFirst = await tradeCounts(t);
    const replay = await send(t, vatSeller.admin.token, xml, {
      programId: vatPrograms[1],
      idempotencyKey: key,
    });
    expectStatus(replay, 201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    // Another document (here: another program) under the same key.
    expectProblem(
      await send(t, vatSeller.admin.token, xml, { programId: vatPrograms[0], idempotencyKey: key }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expectProblem(
      await send(t, vatSeller.admin.token, ublSample('base-example.xml'), {
        programId: vatPrograms[1],
        idempotencyKey: key,
      }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await tradeCounts(t)).toEqual(afterFirst);
  });

  it('refuses a seller that is another supplier than the caller (422 UNKNOWN_PARTY)', async () => {
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    const response = await send(t, vatSeller.admin.token, ublSample('base-example.xml'), {
      programId: vatPrograms[0],
    });
    expect(expectProblem(response, 422, 'UNKNOWN_PARTY').errors).toEqual([
      { field: 'seller', code: 'UNKNOWN_PARTY', message: 'seller is not the sending supplier' },
    ]);
    expect(await tradeCounts(t)).toEqual(before);
  });

  it('refuses an unregistered seller (422 UNKNOWN_PARTY), and, once registered, a document without a due date (422 MISSING_DUE_DATE)', async () => {
    const seller = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform });
    const xml = ublSample('Invoice-Min_content_with_VAT.xml');
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    expect(
      expectProblem(await send(t, seller.admin.token, xml), 422, 'UNKNOWN_PARTY').errors,
    ).toEqual([
      { field: 'seller', code: 'UNKNOWN_PARTY', message: 'seller is not known on the platform' },
    ]);
    await register(t, seller, MIN_CONTENT_SELLER);
    // The buyer is not on the platform yet either.
    expect(
      expectProblem(await send(t, seller.admin.token, xml), 422, 'UNKNOWN_PARTY').errors,
    ).toEqual([
      { field: 'buyer', code: 'UNKNOWN_PARTY', message: 'buyer is not known on the platform' },
    ]);
    await register(t, anchor, MIN_CONTENT_BUYER);
    await programWith(t, anchor, seller, 'SEK');
    const afterSetup = await tradeCounts(t);
    expect(
      expectProblem(await send(t, seller.admin.token, xml), 422, 'VALIDATION_FAILED').errors,
    ).toEqual([
      {
        field: 'dueDate',
        code: 'MISSING_DUE_DATE',
        message:
          'The e-invoice names no due date (cbc:DueDate or PaymentMeans/PaymentDueDate): a receivable without one cannot be financed.',
      },
    ]);
    expect(await tradeCounts(t)).toEqual(afterSetup);
    expect(before.invoices).toBe(afterSetup.invoices);
  });

  describe('documents that are refused, writing nothing', () => {
    let before: Record<string, number>;
    beforeEach(async () => {
      before = await tradeCounts(t);
    });
    afterEach(async () => {
      expect(await tradeCounts(t)).toEqual(before);
    });
    const base = () => ublSample('base-example.xml');

    it('malformed XML → 400 INVALID_XML', async () => {
      const xml = base();
      const truncated = xml.slice(0, xml.indexOf('<cac:LegalMonetaryTotal>'));
      const problem = expectProblem(
        await send(t, baseSeller.admin.token, truncated, { programId: eurProgram }),
        400,
        'INVALID_XML',
      );
      expect(
        (problem.errors as Array<{ field: string; code: string }>).every(
          (error) => error.code === 'MALFORMED' && /^line \d+$/.test(error.field),
        ),
      ).toBe(true);
      // Well-formedness is judged before the schema: the end tag of the root is missing.
      expectProblem(
        await send(t, baseSeller.admin.token, xml.replace('</Invoice>', ''), {
          programId: eurProgram,
        }),
        400,
        'INVALID_XML',
      );
    });

    it('a document with a DOCTYPE → 400 INVALID_XML', async () => {
      const problem = expectProblem(
        await send(t, baseSeller.admin.token, withDoctype(base(), 'Invoice'), {
          programId: eurProgram,
        }),
        400,
        'INVALID_XML',
      );
      expect(problem.errors).toEqual([
        {
          field: 'line 2',
          code: 'DTD_NOT_ALLOWED',
          message: 'A DOCTYPE declaration is not accepted',
        },
      ]);
    });

    it('an element removed (XSD-invalid) → 422 XML_SCHEMA_INVALID with line numbers', async () => {
      const xml = withoutElement(base(), 'cbc:IssueDate');
      const problem = expectProblem(
        await send(t, baseSeller.admin.token, xml, { programId: eurProgram }),
        422,
        'XML_SCHEMA_INVALID',
      );
      const errors = problem.errors as Array<{ field: string; code: string; message: string }>;
      expect(errors[0]).toEqual({
        field: 'line 9',
        code: 'SCHEMA_INVALID',
        message: expect.stringContaining('IssueDate'),
      });
      // An amount that is no decimal is a schema error too, on its own line.
      const badAmount = withElementText(base(), 'cbc:TaxExclusiveAmount', 'one thousand');
      const amountProblem = expectProblem(
        await send(t, baseSeller.admin.token, badAmount, { programId: eurProgram }),
        422,
        'XML_SCHEMA_INVALID',
      );
      expect(amountProblem.errors).toEqual([
        {
          field: 'line 141',
          code: 'SCHEMA_INVALID',
          message:
            "Element 'cbc:TaxExclusiveAmount': 'one thousand' is not a valid value of the local atomic type.",
        },
      ]);
    });

    it('a tampered PayableAmount → 422: the totals do not add up', async () => {
      const xml = withElementText(base(), 'cbc:PayableAmount', '1756.25');
      const problem = expectProblem(
        await send(t, baseSeller.admin.token, xml, { programId: eurProgram }),
        422,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual([
        {
          field: 'BR-CO-16',
          code: 'TOTALS_INCONSISTENT',
          message: 'TaxInclusiveAmount − PrepaidAmount + PayableRoundingAmount = PayableAmount',
        },
      ]);
    });

    it('an Invoice Response or an Order posted here → 422 XML_SCHEMA_INVALID', async () => {
      const response = invoiceResponseXml('T111-uc003-Invoice is accepted.xml', {
        documentId: 'IR-1',
        sender: uniqueEndpoint(),
        receiver: uniqueEndpoint(),
        invoiceNumber: 'Snippet1',
      });
      expect(
        expectProblem(await send(t, baseSeller.admin.token, response), 422, 'XML_SCHEMA_INVALID')
          .errors,
      ).toEqual([
        {
          field: 'document',
          code: 'UNSUPPORTED_DOCUMENT',
          message: 'root element is ApplicationResponse',
        },
      ]);
      expectProblem(
        await send(t, baseSeller.admin.token, ublSample('Order_Example.xml')),
        422,
        'XML_SCHEMA_INVALID',
      );
    });

    it('content-type application/json → 415', async () => {
      const response = await t
        .http()
        .post(PATH)
        .set(...bearer(baseSeller.admin.token))
        .send({ xml: base() });
      expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('a programId that is no UUID, or not the anchor’s program → 422', async () => {
      const other = await createTenant(t, OrganizationKind.ANCHOR, { platformToken: platform });
      const foreignProgram = await createProgram(t, other, { currency: 'EUR' });
      before = await tradeCounts(t); // after the other anchor's own writes
      const notUuid = await postXml(t, `${PATH}?programId=nope`, baseSeller.admin.token, base());
      expectProblem(notUuid, 422, 'VALIDATION_FAILED');
      const foreign = await send(t, baseSeller.admin.token, base(), {
        programId: foreignProgram.id,
      });
      expect(
        (expectProblem(foreign, 422, 'VALIDATION_FAILED').errors as Array<{ code: string }>).map(
          (error) => error.code,
        ),
      ).toEqual(['PROGRAM_NOT_FOUND']);
    });

    it('no credentials → 401; an anchor, or a supplier VIEWER → 403', async () => {
      expectProblem(await send(t, null, base()), 401, 'UNAUTHENTICATED');
      expectProblem(await send(t, anchor.admin.token, base()), 403, 'FORBIDDEN');
      const viewer = baseSeller.members[Role.VIEWER];
      if (!viewer) throw new Error('the supplier has no VIEWER');
      expectProblem(await send(t, viewer.token, base()), 403, 'FORBIDDEN');
    });
  });

  it('reads Norwegian-example-1.xml (NOK): its PayeeParty differs from the seller, so verification ends in EXCEPTION ALREADY_ASSIGNED', async () => {
    const nordicAnchor = await createTenant(t, OrganizationKind.ANCHOR, {
      platformToken: platform,
    });
    const nordicSeller = await createTenant(t, OrganizationKind.SUPPLIER, {
      platformToken: platform,
    });
    await register(t, nordicAnchor, NORWEGIAN_BUYER);
    await register(t, nordicSeller, NORWEGIAN_SELLER);
    const program = await programWith(t, nordicAnchor, nordicSeller, 'NOK');
    // The anchor's own records for the sample's order 123: everything else of the invoice matches.
    expectStatus(
      await t
        .http()
        .post('/api/v1/purchase-orders')
        .set(...bearer(nordicAnchor.admin.token))
        .send({
          number: '123',
          supplierId: nordicSeller.id,
          currency: 'NOK',
          issueDate: '2013-06-01',
          lines: [
            {
              sku: 'JB007',
              description: 'Laptop computer',
              quantity: '1',
              unit: 'NAR',
              unitPrice: '1273.00',
            },
          ],
        }),
      201,
    );
    expectStatus(
      await t
        .http()
        .post('/api/v1/goods-receipts')
        .set(...bearer(nordicAnchor.admin.token))
        .send({
          purchaseOrderNumber: '123',
          receivedDate: '2013-06-20',
          lines: [{ sku: 'JB007', quantityAccepted: '1' }],
        }),
      201,
    );
    const response = await send(t, nordicSeller.admin.token, ublSample('Norwegian-example-1.xml'));
    expectStatus(response, 201);
    expect(response.body).toMatchObject({
      number: 'TOSL108',
      supplierId: nordicSeller.id,
      anchorId: nordicAnchor.id,
      programId: program,
      purchaseOrderNumber: '123',
      currency: 'NOK',
      issueDate: '2013-06-30',
      dueDate: '2013-07-20',
      totalAmount: '802.00',
      taxAmount: '365.28',
      source: 'UBL',
    });
    expect((response.body.lines as unknown[]).length).toBe(5);
    const id = response.body.id as string;
    const checked = await verified(t, asWorld(nordicAnchor, nordicSeller, program), id);
    expect(checked).toMatchObject({
      status: 'EXCEPTION',
      verification: {
        status: 'EXCEPTION',
        reasons: [
          {
            code: 'ALREADY_ASSIGNED',
            message:
              'The e-invoice names another payee: it was assigned to a factor already and must not be financed twice.',
          },
        ],
      },
    });
    expect((await eligibilityOf(t, nordicSeller.admin.token, id)).reasons).toEqual(
      expect.arrayContaining([
        { code: 'NOT_VERIFIED', message: expect.any(String) },
        { code: 'ALREADY_ASSIGNED', message: expect.any(String) },
      ]),
    );
    const history = await historyOf(t, nordicSeller.admin.token, id);
    expect(history[0].data.payee).toEqual({
      name: 'Ebeneser Scrooge AS',
      identifiers: [
        { scheme: '0088', value: '2298740918237' },
        { scheme: '0192', value: '999999999' },
      ],
    });
    expectProblem(
      await t
        .http()
        .post(`/api/v1/invoices/${id}/confirm`)
        .set(...bearer(nordicAnchor.admin.token))
        .send({ confirmedAmount: '802.00', paymentDate: '2027-01-06' }),
      409,
      'INVOICE_NOT_VERIFIED',
    );
  });
});

/**
 * A database of its own with the parties of the Peppol base examples and an EUR program: in the
 * main one their identifiers and invoice Snippet1 are taken (and Snippet1 is fully credited).
 */
function baseExampleWorld(): {
  app: () => TestApp;
  anchor: () => Tenant;
  seller: () => Tenant;
} {
  let t: TestApp;
  let anchor: Tenant;
  let seller: Tenant;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    const platform = await platformAdminToken(t);
    anchor = await createTenant(t, OrganizationKind.ANCHOR, { platformToken: platform });
    seller = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform });
    await register(t, anchor, BASE_BUYER);
    await register(t, seller, BASE_SELLER);
    await programWith(t, anchor, seller, 'EUR');
  });
  afterAll(() => t.close());
  return { app: () => t, anchor: () => anchor, seller: () => seller };
}

describe('UBL invoices: a negative invoice as dilution (base-negative-inv-correction.xml)', () => {
  const world = baseExampleWorld();

  it('refuses it while the invoice it corrects is not on the platform, then credits Snippet1 with it', async () => {
    const t = world.app();
    const seller = world.seller();
    const negative = ublSample('base-negative-inv-correction.xml');
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    expect(
      expectProblem(await send(t, seller.admin.token, negative), 422, 'VALIDATION_FAILED').errors,
    ).toEqual([
      {
        field: 'billingReference',
        code: 'INVOICE_NOT_FOUND',
        message: 'The credited invoice Snippet1 is not on the platform.',
      },
    ]);
    expect(await tradeCounts(t)).toEqual(before);

    const invoice = await send(t, seller.admin.token, ublSample('base-example.xml'));
    expectStatus(invoice, 201);
    const credited = await send(t, seller.admin.token, negative);
    expectStatus(credited, 201);
    expect(credited.body).toMatchObject({
      id: invoice.body.id,
      number: 'Snippet1',
      totalAmount: '1656.25',
      financeableAmount: '0.00',
      creditNotes: [
        {
          number: 'Correction1',
          amount: '1656.25',
          reason: 'UBL negative invoice Correction1 of 2017-11-13',
          status: 'AGREED',
          raisedBy: seller.id,
        },
      ],
    });
    // It is dilution, not a second invoice.
    const [{ n }] = (await t.db.query(
      `SELECT count(*)::int AS n FROM invoices WHERE supplier_id = $1`,
      [seller.id],
    )) as Array<{ n: number }>;
    expect(n).toBe(1);
    expect(
      (await getInvoice(t, world.anchor().admin.token, invoice.body.id as string)).creditNotes,
    ).toEqual([expect.objectContaining({ number: 'Correction1', status: 'AGREED' })]);
  });
});

describe('UBL invoices: a credit in another currency than the invoice it references', () => {
  const world = baseExampleWorld();

  it('is refused (422) and credits nothing', async () => {
    const t = world.app();
    const seller = world.seller();
    const invoice = await send(t, seller.admin.token, ublSample('base-example.xml'));
    expectStatus(invoice, 201);
    await verified(t, asWorld(world.anchor(), seller, ''), invoice.body.id as string);
    // base-negative-inv-correction.xml with every currency changed to USD: XSD-valid, totals intact.
    const inUsd = ublSample('base-negative-inv-correction.xml')
      .replace(/currencyID=\s*"EUR"/g, 'currencyID="USD"')
      .replace(
        '<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>',
        '<cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>',
      );
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    const usd = await send(t, seller.admin.token, inUsd);
    // A credit in another currency cannot reduce the invoice.
    const problem = expectProblem(usd, 422, 'VALIDATION_FAILED');
    expect((problem.errors as Array<{ field: string }>)[0].field).toMatch(/currency/i);
    expect(await tradeCounts(t)).toEqual(before);
    expect(
      await getInvoice(t, world.anchor().admin.token, invoice.body.id as string),
    ).toMatchObject({ currency: 'EUR', creditNotes: [] });
  });
});
