import { randomUUID } from 'node:crypto';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  acceptProgram,
  bearer,
  countRows,
  createProgram,
  createTenant,
  eventually,
  expectProblem,
  expectStatus,
  inviteMember,
  platformAdminToken,
  PROGRAM_TABLES,
  programBody,
  setTerms,
  snapshotCounts,
  termsBody,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

interface FieldError {
  field: string;
  code: string;
  message: string;
}

const SUPPLIER_FIELDS = ['acceptedAt', 'invitedAt', 'name', 'status', 'supplierId'];
const FINANCIER_IDENTITY = ['financierId', 'name', 'status'];
const FINANCIER_OPERATIONAL = [
  ...FINANCIER_IDENTITY,
  'active',
  'invitedAt',
  'maxTenorDays',
  'minTenorDays',
  'termsUpdatedAt',
].sort();
const FINANCIER_COMMERCIAL = [
  ...FINANCIER_OPERATIONAL,
  'limit',
  'marginBps',
  'supplierSubLimit',
].sort();

describe('programs: /api/v1/programs', () => {
  let t: TestApp;
  let platform: string;
  let anchor: Tenant;
  let otherAnchor: Tenant;
  let supplier: Tenant;
  let otherSupplier: Tenant;
  let financier: Tenant;
  let otherFinancier: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdminToken(t);
    const tenant = (kind: OrganizationKind, roles: Role[] = []) =>
      createTenant(t, kind, { platformToken: platform, roles });
    anchor = await tenant(OrganizationKind.ANCHOR, [Role.OPERATOR, Role.VIEWER]);
    otherAnchor = await tenant(OrganizationKind.ANCHOR);
    supplier = await tenant(OrganizationKind.SUPPLIER, [Role.VIEWER]);
    otherSupplier = await tenant(OrganizationKind.SUPPLIER);
    financier = await tenant(OrganizationKind.FINANCIER, [Role.VIEWER]);
    otherFinancier = await tenant(OrganizationKind.FINANCIER);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string | null, body: object = {}) => {
    const request = t.http().post(`/api/v1${path}`);
    if (token) request.set(...bearer(token));
    return request.send(body);
  };
  const get = (path: string, token: string) =>
    t
      .http()
      .get(`/api/v1${path}`)
      .set(...bearer(token));
  const patch = (id: string, token: string | null, body: object) => {
    const request = t.http().patch(`/api/v1/programs/${id}`);
    if (token) request.set(...bearer(token));
    return request.send(body);
  };
  const putTerms = (programId: string, financierId: string, token: string | null, body: object) => {
    const request = t.http().put(`/api/v1/programs/${programId}/financiers/${financierId}/terms`);
    if (token) request.set(...bearer(token));
    return request.send(body);
  };
  const accept = (programId: string, supplierId: string, token: string | null) =>
    post(`/programs/${programId}/suppliers/${supplierId}/accept`, token);

  const snapshot = () => snapshotCounts(t, PROGRAM_TABLES);
  const fieldsOf = (problem: Record<string, unknown>) =>
    (problem.errors as FieldError[]).map((error) => `${error.field}:${error.code}`);
  const auditCount = (organizationId: string, action: string, entityId: string) =>
    countRows(t, 'audit_events', 'organization_id = $1 AND action = $2 AND entity_id = $3', [
      organizationId,
      action,
      entityId,
    ]);
  const notificationFor = (organizationId: string, type: string, programId: string) =>
    eventually(
      async () =>
        (await countRows(
          t,
          'notifications',
          `organization_id = $1 AND type = $2 AND data->>'programId' = $3`,
          [organizationId, type, programId],
        )) > 0,
      15_000,
      `${type} notification`,
    );

  describe('POST /programs', () => {
    it('creates a CNY program with normalised rates and amounts, defaults, and sorted holidays', async () => {
      const body = programBody({ name: '  华东电子 2026  ' });
      const response = await post('/programs', anchor.admin.token, body);
      expectStatus(response, 201);
      const view = response.body as Record<string, unknown>;
      expect(view).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        anchorId: anchor.id,
        name: '华东电子 2026',
        currency: 'CNY',
        advanceRate: '0.8',
        dayCount: 'ACT/360',
        recourse: 'WITH',
        maxTenorDays: 180,
        minInvoiceAmount: '10000.00',
        maxInvoiceAmount: '5000000.00',
        perFinancingCap: null,
        matchTolerance: '0.02',
        baseRate: '0.0345',
        platformFeeBps: 30,
        offerTtlHours: 48,
        graceDays: 5,
        timezone: 'Asia/Shanghai',
        holidays: ['2026-10-01', '2026-10-02'],
        // No risk spread until the anchor sets one (docs/risk.md): every grade prices alike.
        riskSpreadBps: { A: 0, B: 0, C: 0, D: 0, E: 0 },
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        suppliers: [],
        financiers: [],
      });
      const [row] = (await t.db.query(
        `SELECT anchor_id, advance_rate, base_rate, match_tolerance, min_invoice_amount, holidays::text[] AS holidays
           FROM programs WHERE id = $1`,
        [view.id],
      )) as Array<Record<string, unknown>>;
      expect(row).toEqual({
        anchor_id: anchor.id,
        advance_rate: '0.80000000',
        base_rate: '0.03450000',
        match_tolerance: '0.02000',
        min_invoice_amount: '10000.0000',
        holidays: ['2026-10-01', '2026-10-02'],
      });
      expect(await auditCount(anchor.id, 'program.created', view.id as string)).toBe(1);
      await notificationFor(anchor.id, 'PROGRAM_CHANGED', view.id as string);
      const fetched = await get(`/programs/${view.id as string}`, anchor.admin.token);
      expectStatus(fetched, 200);
      expect(fetched.body).toEqual(view);
    });

    it('keeps a rate of 8 decimals in plain notation, and takes ACT/365, a canonical time zone and JPY amounts', async () => {
      const response = await post(
        '/programs',
        anchor.admin.token,
        programBody({
          currency: 'jpy',
          advanceRate: '0.00000001',
          baseRate: '0',
          dayCount: 'ACT/365',
          timezone: 'asia/tokyo',
          minInvoiceAmount: '500000',
          maxInvoiceAmount: '90000000',
          perFinancingCap: '250000000',
          holidays: [],
        }),
      );
      expectStatus(response, 201);
      expect(response.body).toMatchObject({
        currency: 'JPY',
        advanceRate: '0.00000001',
        baseRate: '0',
        dayCount: 'ACT/365',
        timezone: 'Asia/Tokyo',
        minInvoiceAmount: '500000',
        maxInvoiceAmount: '90000000',
        perFinancingCap: '250000000',
        holidays: [],
      });
    });

    it.each([
      ['a JSON number for advanceRate', { advanceRate: 0.8 }, 'advanceRate:IS_DECIMAL_STRING'],
      ['an advanceRate above 1', { advanceRate: '1.2' }, 'advanceRate:IS_DECIMAL_STRING'],
      ['an advanceRate of 0', { advanceRate: '0' }, 'advanceRate:IS_DECIMAL_STRING'],
      [
        'an advanceRate with 9 decimals',
        { advanceRate: '0.123456789' },
        'advanceRate:IS_DECIMAL_STRING',
      ],
      [
        'more decimals than CNY allows',
        { minInvoiceAmount: '10000.001' },
        'minInvoiceAmount:IS_DECIMAL_STRING',
      ],
      [
        'a fraction of a yen',
        { currency: 'JPY', minInvoiceAmount: '10.5' },
        'minInvoiceAmount:IS_DECIMAL_STRING',
      ],
      ['a negative cap', { perFinancingCap: '-1.00' }, 'perFinancingCap:IS_DECIMAL_STRING'],
      [
        'minInvoiceAmount above maxInvoiceAmount',
        { minInvoiceAmount: '6000000.00', maxInvoiceAmount: '5000000.00' },
        'maxInvoiceAmount:AT_LEAST_FIELD',
      ],
      ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone:IS_TIME_ZONE'],
      ['an offset instead of a zone', { timezone: '+08:00' }, 'timezone:IS_TIME_ZONE'],
      ['a holiday that does not exist', { holidays: ['2026-02-30'] }, 'holidays:IS_ISO_DATE'],
      ['a holiday in another format', { holidays: ['01/10/2026'] }, 'holidays:IS_ISO_DATE'],
      ['a holiday twice', { holidays: ['2026-10-01', '2026-10-01'] }, 'holidays:ARRAY_UNIQUE'],
      [
        'a match tolerance above 5 %',
        { matchTolerance: '0.06' },
        'matchTolerance:IS_DECIMAL_STRING',
      ],
      ['a base rate above 1', { baseRate: '1.5' }, 'baseRate:IS_DECIMAL_STRING'],
      ['a max tenor of 0 days', { maxTenorDays: 0 }, 'maxTenorDays:MIN'],
      ['a max tenor above 720 days', { maxTenorDays: 721 }, 'maxTenorDays:MAX'],
      ['a max tenor as a string', { maxTenorDays: '90' }, 'maxTenorDays:IS_INT'],
      ['a platform fee above 10000 bps', { platformFeeBps: 10001 }, 'platformFeeBps:MAX'],
      ['an offer TTL of 0 hours', { offerTtlHours: 0 }, 'offerTtlHours:MIN'],
      ['grace days above 365', { graceDays: 366 }, 'graceDays:MAX'],
      ['a precious metal as currency', { currency: 'XAU' }, 'currency:IS_TRADE_CURRENCY'],
      ['RMB for CNY', { currency: 'RMB' }, 'currency:IS_TRADE_CURRENCY'],
      ['an unknown recourse', { recourse: 'PARTIAL' }, 'recourse:IS_IN'],
      ['a day count of null', { dayCount: null }, 'dayCount:IS_IN'],
      ['an unknown field', { anchorId: randomUUID() }, 'anchorId:UNKNOWN_FIELD'],
    ])(
      'refuses %s with 422 naming the field, writing nothing',
      async (_what, overrides, expected) => {
        const before = await snapshot();
        const problem = expectProblem(
          await post('/programs', anchor.admin.token, programBody(overrides)),
          422,
          'VALIDATION_FAILED',
        );
        expect(fieldsOf(problem)).toContain(expected);
        expect(await snapshot()).toEqual(before);
      },
    );

    it('names every missing field at once', async () => {
      const problem = expectProblem(
        await post('/programs', anchor.admin.token, {}),
        422,
        'VALIDATION_FAILED',
      );
      const fields = new Set((problem.errors as FieldError[]).map((error) => error.field));
      expect([...fields].sort()).toEqual(
        [
          'name',
          'currency',
          'advanceRate',
          'recourse',
          'maxTenorDays',
          'matchTolerance',
          'baseRate',
          'platformFeeBps',
          'offerTtlHours',
          'graceDays',
        ].sort(),
      );
    });

    it('is for an anchor ADMIN: 403 for its OPERATOR, a supplier, a financier and the platform; 401 without credentials', async () => {
      const before = await snapshot();
      for (const token of [
        anchor.members.OPERATOR!.token,
        supplier.admin.token,
        financier.admin.token,
        platform,
      ]) {
        expectProblem(await post('/programs', token, programBody()), 403, 'FORBIDDEN');
      }
      expectProblem(await post('/programs', null, programBody()), 401, 'UNAUTHENTICATED');
      expect(await snapshot()).toEqual(before);
    });

    it('replays a repeated Idempotency-Key with one program, and refuses the key for another body', async () => {
      const body = programBody();
      const send = (payload: object) =>
        t
          .http()
          .post('/api/v1/programs')
          .set(...bearer(anchor.admin.token))
          .set('Idempotency-Key', 'program-create-1')
          .send(payload);
      const first = await send(body);
      expectStatus(first, 201);
      const afterFirst = await snapshot();
      const again = await send(body);
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
      expect(await countRows(t, 'programs', 'name = $1', [body.name])).toBe(1);
      expectProblem(await send(programBody()), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await snapshot()).toEqual(afterFirst);
    });
  });

  describe('GET /programs and /programs/:id', () => {
    let own: { id: string; name: string };
    let theirs: { id: string; name: string };

    beforeAll(async () => {
      own = await createProgram(t, anchor, { currency: 'USD', minInvoiceAmount: '1000.00' });
      theirs = await createProgram(t, otherAnchor, { name: '另一核心企业的项目 secret-program' });
      await inviteMember(t, anchor, own.id, supplier);
    });

    it('lists the anchor’s own programs only, and the programs a supplier is invited to', async () => {
      const list = await get('/programs?limit=200', anchor.admin.token);
      expectStatus(list, 200);
      const ids = (list.body.items as Array<{ id: string; anchorId: string }>).map((p) => p.id);
      expect(ids).toContain(own.id);
      expect(ids).not.toContain(theirs.id);
      expect(ids.length).toBe(await countRows(t, 'programs', 'anchor_id = $1', [anchor.id]));
      const supplierList = await get('/programs?limit=200', supplier.admin.token);
      expectStatus(supplierList, 200);
      expect((supplierList.body.items as Array<{ id: string }>).map((p) => p.id)).toEqual(
        expect.arrayContaining([own.id]),
      );
      expect(JSON.stringify(supplierList.body)).not.toContain(theirs.name);
      const otherList = await get('/programs?limit=200', otherSupplier.admin.token);
      expect(otherList.body).toEqual({ items: [], nextCursor: null });
    });

    it('pages with a cursor without repeats, and filters by currency and active', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await get(
          `/programs?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          anchor.admin.token,
        );
        expectStatus(page, 200);
        seen.push(...(page.body.items as Array<{ id: string }>).map((p) => p.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(await countRows(t, 'programs', 'anchor_id = $1', [anchor.id]));

      const usd = await get('/programs?currency=usd&limit=200', anchor.admin.token);
      expectStatus(usd, 200);
      const usdItems = usd.body.items as Array<{ id: string; currency: string }>;
      expect(usdItems.map((p) => p.id)).toContain(own.id);
      expect(usdItems.every((p) => p.currency === 'USD')).toBe(true);
      expect(usdItems.length).toBe(
        await countRows(t, 'programs', `anchor_id = $1 AND currency = 'USD'`, [anchor.id]),
      );
      const paused = await get('/programs?active=false', anchor.admin.token);
      expectStatus(paused, 200);
      expect(paused.body.items).toEqual([]);
      expectProblem(
        await get('/programs?currency=XYZ', anchor.admin.token),
        422,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await get('/programs?active=yes', anchor.admin.token),
        422,
        'VALIDATION_FAILED',
      );
    });

    it('shows one program to its anchor (any role), its invited supplier and the platform', async () => {
      for (const token of [anchor.members.VIEWER!.token, supplier.admin.token, platform]) {
        const response = await get(`/programs/${own.id}`, token);
        expectStatus(response, 200);
        expect(response.body).toMatchObject({
          id: own.id,
          currency: 'USD',
          minInvoiceAmount: '1000.00',
        });
      }
    });

    it('answers 404 with none of its data for another tenant’s program', async () => {
      for (const token of [anchor.admin.token, supplier.admin.token, financier.admin.token]) {
        const problem = expectProblem(await get(`/programs/${theirs.id}`, token), 404, 'NOT_FOUND');
        const text = JSON.stringify(problem);
        expect(text).not.toContain(theirs.name);
        expect(text).not.toContain(otherAnchor.id);
      }
    });

    it('answers 404 for an unknown id and one that is not a UUID; 401 without credentials', async () => {
      expectProblem(await get(`/programs/${randomUUID()}`, platform), 404, 'NOT_FOUND');
      expectProblem(await get('/programs/not-a-uuid', anchor.admin.token), 404, 'NOT_FOUND');
      expectProblem(await t.http().get(`/api/v1/programs/${own.id}`), 401, 'UNAUTHENTICATED');
      expectProblem(await t.http().get('/api/v1/programs'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('PATCH /programs/:id', () => {
    let program: { id: string; name: string };

    beforeEach(async () => {
      program = await createProgram(t, anchor);
      await inviteMember(t, anchor, program.id, supplier);
      await inviteMember(t, anchor, program.id, financier);
    });

    it('changes the given fields, audits them before/after and tells the members', async () => {
      const response = await patch(program.id, anchor.admin.token, {
        advanceRate: '0.85',
        holidays: ['2026-10-05', '2026-10-01'],
        maxInvoiceAmount: '8000000',
        graceDays: 5,
      });
      expectStatus(response, 200);
      expect(response.body).toMatchObject({
        id: program.id,
        advanceRate: '0.85',
        holidays: ['2026-10-01', '2026-10-05'],
        maxInvoiceAmount: '8000000.00',
        minInvoiceAmount: '10000.00',
        graceDays: 5,
        currency: 'CNY',
      });
      const events = (await t.db.query(
        `SELECT data FROM audit_events WHERE organization_id = $1 AND action = 'program.updated' AND entity_id = $2`,
        [anchor.id, program.id],
      )) as Array<{ data: { changes: Record<string, unknown> } }>;
      expect(events).toEqual([
        {
          data: {
            changes: {
              advanceRate: { before: '0.8', after: '0.85' },
              holidays: {
                before: ['2026-10-01', '2026-10-02'],
                after: ['2026-10-01', '2026-10-05'],
              },
              maxInvoiceAmount: { before: '5000000.00', after: '8000000.00' },
            },
          },
        },
      ]);
      for (const organizationId of [supplier.id, financier.id, anchor.id]) {
        await eventually(
          async () =>
            (await countRows(
              t,
              'notifications',
              `organization_id = $1 AND type = 'PROGRAM_CHANGED' AND data->>'programId' = $2 AND title LIKE '%advanceRate%'`,
              [organizationId, program.id],
            )) === 1,
          15_000,
          'PROGRAM_CHANGED for every member',
        );
      }
    });

    it('writes nothing when nothing changes (same values in another form)', async () => {
      const before = await snapshot();
      const response = await patch(program.id, anchor.admin.token, {
        advanceRate: '0.80',
        minInvoiceAmount: '10000.00',
        holidays: ['2026-10-02', '2026-10-01'],
      });
      expectStatus(response, 200);
      expect(response.body).toMatchObject({ advanceRate: '0.8', minInvoiceAmount: '10000.00' });
      expect(await snapshot()).toEqual(before);
    });

    it('pauses a program and clears an optional amount with null', async () => {
      const response = await patch(program.id, anchor.admin.token, {
        active: false,
        minInvoiceAmount: null,
      });
      expectStatus(response, 200);
      expect(response.body).toMatchObject({ active: false, minInvoiceAmount: null });
      const paused = await get('/programs?active=false&limit=200', anchor.admin.token);
      expect((paused.body.items as Array<{ id: string }>).map((p) => p.id)).toContain(program.id);
    });

    it.each([
      ['the currency', { currency: 'USD' }, 'currency:UNKNOWN_FIELD'],
      [
        'a max below the stored min',
        { maxInvoiceAmount: '5000.00' },
        'maxInvoiceAmount:AT_LEAST_FIELD',
      ],
      [
        'a min above the stored max',
        { minInvoiceAmount: '6000000' },
        'maxInvoiceAmount:AT_LEAST_FIELD',
      ],
      [
        'more decimals than CNY allows',
        { perFinancingCap: '100.005' },
        'perFinancingCap:IS_DECIMAL_STRING',
      ],
      ['an advanceRate of "1.2"', { advanceRate: '1.2' }, 'advanceRate:IS_DECIMAL_STRING'],
      ['a JSON number for baseRate', { baseRate: 0.04 }, 'baseRate:IS_DECIMAL_STRING'],
      ['a null name', { name: null }, 'name:IS_STRING'],
      ['a null time zone', { timezone: null }, 'timezone:IS_TIME_ZONE'],
      ['an invalid time zone', { timezone: 'Asia/Atlantis' }, 'timezone:IS_TIME_ZONE'],
      ['a bad holiday', { holidays: ['2026-13-01'] }, 'holidays:IS_ISO_DATE'],
      ['active as a string', { active: 'false' }, 'active:IS_BOOLEAN'],
    ])('refuses %s with 422 naming the field, writing nothing', async (_what, body, expected) => {
      const before = await snapshot();
      const problem = expectProblem(
        await patch(program.id, anchor.admin.token, body),
        422,
        'VALIDATION_FAILED',
      );
      expect(fieldsOf(problem)).toContain(expected);
      expect(await snapshot()).toEqual(before);
      const stored = await get(`/programs/${program.id}`, anchor.admin.token);
      expect(stored.body).toMatchObject({ currency: 'CNY', advanceRate: '0.8', active: true });
    });

    it('answers 404 to another anchor, 403 to a member of the program and to a non-ADMIN of the anchor, 401 without credentials', async () => {
      const before = await snapshot();
      const hidden = expectProblem(
        await patch(program.id, otherAnchor.admin.token, { advanceRate: '0.5' }),
        404,
        'NOT_FOUND',
      );
      expect(JSON.stringify(hidden)).not.toContain(program.name);
      for (const token of [
        supplier.admin.token,
        financier.admin.token,
        anchor.members.OPERATOR!.token,
        anchor.members.VIEWER!.token,
        platform,
      ]) {
        expectProblem(await patch(program.id, token, { advanceRate: '0.5' }), 403, 'FORBIDDEN');
      }
      expectProblem(await patch(program.id, null, { advanceRate: '0.5' }), 401, 'UNAUTHENTICATED');
      expect(await snapshot()).toEqual(before);
      const stored = await get(`/programs/${program.id}`, anchor.admin.token);
      expect(stored.body.advanceRate).toBe('0.8');
    });

    it('replays a repeated Idempotency-Key with one change, and refuses the key for another body', async () => {
      const send = (body: object) =>
        t
          .http()
          .patch(`/api/v1/programs/${program.id}`)
          .set(...bearer(anchor.admin.token))
          .set('Idempotency-Key', `patch-${program.id}`)
          .send(body);
      const first = await send({ baseRate: '0.04' });
      expectStatus(first, 200);
      const afterFirst = await snapshot();
      const again = await send({ baseRate: '0.04' });
      expectStatus(again, 200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
      expect(await auditCount(anchor.id, 'program.updated', program.id)).toBe(1);
      expectProblem(await send({ baseRate: '0.05' }), 422, 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('POST /programs/:id/suppliers', () => {
    let program: { id: string; name: string };

    beforeAll(async () => {
      program = await createProgram(t, anchor);
    });

    it('invites a supplier: 201 INVITED, audited in the anchor’s chain, the supplier is notified and now sees the program', async () => {
      expectProblem(await get(`/programs/${program.id}`, supplier.admin.token), 404, 'NOT_FOUND');
      const response = await post(`/programs/${program.id}/suppliers`, anchor.admin.token, {
        supplierId: supplier.id.toUpperCase(),
      });
      expectStatus(response, 201);
      expect(response.body).toEqual({
        programId: program.id,
        supplierId: supplier.id,
        status: 'INVITED',
        invitedAt: expect.any(String),
      });
      expect(await auditCount(anchor.id, 'program.supplier_invited', program.id)).toBe(1);
      await notificationFor(supplier.id, 'PROGRAM_INVITATION', program.id);
      const seen = await get(`/programs/${program.id}`, supplier.admin.token);
      expectStatus(seen, 200);
      expect(seen.body.suppliers).toEqual([
        {
          supplierId: supplier.id,
          name: supplier.name,
          status: 'INVITED',
          invitedAt: response.body.invitedAt,
          acceptedAt: null,
        },
      ]);
    });

    it('refuses a second invitation with 409 ALREADY_MEMBER, writing nothing', async () => {
      const before = await snapshot();
      expectProblem(
        await post(`/programs/${program.id}/suppliers`, anchor.admin.token, {
          supplierId: supplier.id,
        }),
        409,
        'ALREADY_MEMBER',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('answers two simultaneous invitations of one supplier with one 201 and one 409', async () => {
      const fresh = await createProgram(t, anchor);
      const responses = await Promise.all(
        [1, 2].map(() =>
          post(`/programs/${fresh.id}/suppliers`, anchor.admin.token, {
            supplierId: otherSupplier.id,
          }),
        ),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
      expect(await countRows(t, 'program_suppliers', 'program_id = $1', [fresh.id])).toBe(1);
      expect(await auditCount(anchor.id, 'program.supplier_invited', fresh.id)).toBe(1);
    });

    it.each([
      ['a financier', () => financier.id, 'supplierId:NOT_A_SUPPLIER'],
      ['an anchor', () => otherAnchor.id, 'supplierId:NOT_A_SUPPLIER'],
      ['an unknown organisation', () => randomUUID(), 'supplierId:NOT_A_SUPPLIER'],
      ['a value that is not a UUID', () => 'supplier-1', 'supplierId:IS_UUID'],
    ])('refuses %s as supplier with 422, writing nothing', async (_what, id, expected) => {
      const before = await snapshot();
      const problem = expectProblem(
        await post(`/programs/${program.id}/suppliers`, anchor.admin.token, { supplierId: id() }),
        422,
        'VALIDATION_FAILED',
      );
      expect(fieldsOf(problem)).toEqual([expected]);
      expect(await snapshot()).toEqual(before);
    });

    it('says the same for a missing organisation and one of another kind (no probing of ids)', async () => {
      const [wrongKind, missing] = await Promise.all(
        [financier.id, randomUUID()].map((supplierId) =>
          post(`/programs/${program.id}/suppliers`, anchor.admin.token, { supplierId }),
        ),
      );
      const wrongKindProblem = expectProblem(wrongKind, 422, 'VALIDATION_FAILED');
      const missingProblem = expectProblem(missing, 422, 'VALIDATION_FAILED');
      expect(wrongKindProblem.errors).toEqual(missingProblem.errors);
      expect(wrongKindProblem.detail).toBe(missingProblem.detail);
      expect(JSON.stringify(wrongKindProblem)).not.toContain(financier.name);
    });

    it('answers 403 to a supplier, a financier and a non-ADMIN of the anchor, 404 to another anchor, 401 without credentials', async () => {
      const before = await snapshot();
      const body = { supplierId: otherSupplier.id };
      for (const token of [
        supplier.admin.token,
        financier.admin.token,
        anchor.members.OPERATOR!.token,
      ]) {
        expectProblem(
          await post(`/programs/${program.id}/suppliers`, token, body),
          403,
          'FORBIDDEN',
        );
      }
      const hidden = expectProblem(
        await post(`/programs/${program.id}/suppliers`, otherAnchor.admin.token, body),
        404,
        'NOT_FOUND',
      );
      expect(JSON.stringify(hidden)).not.toContain(program.name);
      expectProblem(
        await post(`/programs/${program.id}/suppliers`, null, body),
        401,
        'UNAUTHENTICATED',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('replays a repeated Idempotency-Key with one invitation, and refuses the key for another body', async () => {
      const fresh = await createProgram(t, anchor);
      const send = (supplierId: string) =>
        t
          .http()
          .post(`/api/v1/programs/${fresh.id}/suppliers`)
          .set(...bearer(anchor.admin.token))
          .set('Idempotency-Key', `invite-${fresh.id}`)
          .send({ supplierId });
      const first = await send(supplier.id);
      expectStatus(first, 201);
      const afterFirst = await snapshot();
      const again = await send(supplier.id);
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
      expectProblem(await send(otherSupplier.id), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await countRows(t, 'program_suppliers', 'program_id = $1', [fresh.id])).toBe(1);
    });
  });

  describe('POST /programs/:id/suppliers/:supplierId/accept', () => {
    let program: { id: string; name: string };

    beforeEach(async () => {
      program = await createProgram(t, anchor);
      await inviteMember(t, anchor, program.id, supplier);
    });

    it('turns INVITED into ACTIVE, audits in the supplier’s chain and tells the anchor', async () => {
      const response = await accept(program.id, supplier.id, supplier.admin.token);
      expectStatus(response, 200);
      expect(response.body).toEqual({
        programId: program.id,
        supplierId: supplier.id,
        status: 'ACTIVE',
        acceptedAt: expect.any(String),
      });
      expect(await auditCount(supplier.id, 'program.supplier_accepted', program.id)).toBe(1);
      await notificationFor(anchor.id, 'PROGRAM_MEMBER_JOINED', program.id);
      const view = await get(`/programs/${program.id}`, anchor.admin.token);
      expect(view.body.suppliers).toEqual([
        expect.objectContaining({
          supplierId: supplier.id,
          status: 'ACTIVE',
          acceptedAt: response.body.acceptedAt,
        }),
      ]);
    });

    it('refuses to accept twice with 409 INVALID_STATE_TRANSITION, writing nothing', async () => {
      await acceptProgram(t, supplier, program.id);
      const before = await snapshot();
      const problem = expectProblem(
        await accept(program.id, supplier.id, supplier.admin.token),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(problem.currentStatus).toBe('ACTIVE');
      expect(await snapshot()).toEqual(before);
    });

    it('answers two simultaneous accepts with one 200 and one 409, and records one acceptance', async () => {
      const responses = await Promise.all(
        [1, 2].map(() => accept(program.id, supplier.id, supplier.admin.token)),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      expect(responses.find((response) => response.status === 409)?.body.code).toBe(
        'INVALID_STATE_TRANSITION',
      );
      expect(await auditCount(supplier.id, 'program.supplier_accepted', program.id)).toBe(1);
      expect(
        await countRows(t, 'program_suppliers', `program_id = $1 AND status = 'ACTIVE'`, [
          program.id,
        ]),
      ).toBe(1);
    });

    it('answers 404 for another supplier’s membership (invited or not) and for a program it is not in', async () => {
      await inviteMember(t, anchor, program.id, otherSupplier);
      const elsewhere = await createProgram(t, anchor);
      const before = await snapshot();
      for (const supplierId of [otherSupplier.id, randomUUID()]) {
        const problem = expectProblem(
          await accept(program.id, supplierId, supplier.admin.token),
          404,
          'NOT_FOUND',
        );
        expect(JSON.stringify(problem)).not.toContain(otherSupplier.name);
      }
      expectProblem(
        await accept(elsewhere.id, supplier.id, supplier.admin.token),
        404,
        'NOT_FOUND',
      );
      expect(await snapshot()).toEqual(before);
      expect(
        await countRows(t, 'program_suppliers', `program_id = $1 AND status = 'INVITED'`, [
          program.id,
        ]),
      ).toBe(2);
    });

    it('answers 403 to a non-ADMIN of the supplier, the anchor and a financier; 401 without credentials', async () => {
      const before = await snapshot();
      for (const token of [
        supplier.members.VIEWER!.token,
        anchor.admin.token,
        financier.admin.token,
        platform,
      ]) {
        expectProblem(await accept(program.id, supplier.id, token), 403, 'FORBIDDEN');
      }
      expectProblem(await accept(program.id, supplier.id, null), 401, 'UNAUTHENTICATED');
      expect(await snapshot()).toEqual(before);
    });

    it('replays the acceptance for a repeated Idempotency-Key instead of answering 409', async () => {
      const send = () =>
        t
          .http()
          .post(`/api/v1/programs/${program.id}/suppliers/${supplier.id}/accept`)
          .set(...bearer(supplier.admin.token))
          .set('Idempotency-Key', `accept-${program.id}`);
      const first = await send();
      expectStatus(first, 200);
      const afterFirst = await snapshot();
      const again = await send();
      expectStatus(again, 200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
    });
  });

  describe('POST /programs/:id/financiers', () => {
    let program: { id: string; name: string };

    beforeAll(async () => {
      program = await createProgram(t, anchor);
    });

    it('invites a financier: 201 INVITED, audited, the financier is notified', async () => {
      const response = await post(`/programs/${program.id}/financiers`, anchor.admin.token, {
        financierId: financier.id,
      });
      expectStatus(response, 201);
      expect(response.body).toEqual({
        programId: program.id,
        financierId: financier.id,
        status: 'INVITED',
        invitedAt: expect.any(String),
      });
      expect(await auditCount(anchor.id, 'program.financier_invited', program.id)).toBe(1);
      await notificationFor(financier.id, 'PROGRAM_INVITATION', program.id);
      const seen = await get(`/programs/${program.id}`, financier.admin.token);
      expectStatus(seen, 200);
      expect(seen.body.financiers).toEqual([
        expect.objectContaining({ financierId: financier.id, status: 'INVITED', limit: null }),
      ]);
    });

    it('refuses a second invitation (409 ALREADY_MEMBER) and a non-financier (422), writing nothing', async () => {
      const before = await snapshot();
      expectProblem(
        await post(`/programs/${program.id}/financiers`, anchor.admin.token, {
          financierId: financier.id,
        }),
        409,
        'ALREADY_MEMBER',
      );
      const problem = expectProblem(
        await post(`/programs/${program.id}/financiers`, anchor.admin.token, {
          financierId: supplier.id,
        }),
        422,
        'VALIDATION_FAILED',
      );
      expect(fieldsOf(problem)).toEqual(['financierId:NOT_A_FINANCIER']);
      expect(await snapshot()).toEqual(before);
    });

    it('answers 403 to a supplier and a non-ADMIN of the anchor, 404 to another anchor, 401 without credentials', async () => {
      const before = await snapshot();
      const body = { financierId: otherFinancier.id };
      for (const token of [
        supplier.admin.token,
        financier.admin.token,
        anchor.members.VIEWER!.token,
      ]) {
        expectProblem(
          await post(`/programs/${program.id}/financiers`, token, body),
          403,
          'FORBIDDEN',
        );
      }
      expectProblem(
        await post(`/programs/${program.id}/financiers`, otherAnchor.admin.token, body),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await post(`/programs/${program.id}/financiers`, null, body),
        401,
        'UNAUTHENTICATED',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('replays a repeated Idempotency-Key with one invitation', async () => {
      const fresh = await createProgram(t, anchor);
      const send = (financierId: string) =>
        t
          .http()
          .post(`/api/v1/programs/${fresh.id}/financiers`)
          .set(...bearer(anchor.admin.token))
          .set('Idempotency-Key', `invite-financier-${fresh.id}`)
          .send({ financierId });
      const first = await send(financier.id);
      expectStatus(first, 201);
      const again = await send(financier.id);
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await countRows(t, 'program_financiers', 'program_id = $1', [fresh.id])).toBe(1);
      expectProblem(await send(otherFinancier.id), 422, 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('PUT /programs/:id/financiers/:financierId/terms', () => {
    let program: { id: string; name: string };

    beforeEach(async () => {
      program = await createProgram(t, anchor, { maxTenorDays: 180 });
      await inviteMember(t, anchor, program.id, financier);
    });

    it('sets the terms (INVITED → ACTIVE), audits them in the financier’s chain and tells the anchor it joined', async () => {
      const response = await putTerms(program.id, financier.id, financier.admin.token, termsBody());
      expectStatus(response, 200);
      expect(response.body).toEqual({
        programId: program.id,
        financierId: financier.id,
        status: 'ACTIVE',
        limit: '50000000.00',
        supplierSubLimit: '5000000.00',
        marginBps: 150,
        minTenorDays: 30,
        maxTenorDays: 120,
        active: true,
        termsUpdatedAt: expect.any(String),
      });
      expect(await auditCount(financier.id, 'program.financier_terms_set', program.id)).toBe(1);
      expect(await auditCount(anchor.id, 'program.financier_terms_set', program.id)).toBe(0);
      await notificationFor(anchor.id, 'PROGRAM_MEMBER_JOINED', program.id);
      const [notification] = (await t.db.query(
        `SELECT data, title FROM notifications WHERE organization_id = $1 AND type = 'PROGRAM_MEMBER_JOINED' AND data->>'programId' = $2`,
        [anchor.id, program.id],
      )) as Array<{ data: Record<string, unknown>; title: string }>;
      // The anchor learns that the financier joined, not its terms. (Exact shapes: the random
      // ids and names in them may well contain "150" by chance.)
      expect(notification.data).toEqual({
        role: 'FINANCIER',
        active: true,
        programId: program.id,
        financierId: financier.id,
      });
      expect(notification.title).toMatch(/^.+ joined your program ".+" as a financier$/);
      expect(notification.title).not.toMatch(/50000000|5000000|bps|margin|limit/i);
    });

    it('replaces the terms on a second PUT, auditing before and after; the same terms again write nothing', async () => {
      await setTerms(t, financier, program.id);
      const response = await putTerms(
        program.id,
        financier.id,
        financier.admin.token,
        termsBody({ marginBps: 200, supplierSubLimit: null, active: false }),
      );
      expectStatus(response, 200);
      expect(response.body).toMatchObject({
        status: 'ACTIVE',
        marginBps: 200,
        supplierSubLimit: null,
        active: false,
      });
      const events = (await t.db.query(
        `SELECT data FROM audit_events WHERE organization_id = $1 AND action = 'program.financier_terms_set' AND entity_id = $2 ORDER BY seq`,
        [financier.id, program.id],
      )) as Array<{ data: { before: Record<string, unknown>; after: Record<string, unknown> } }>;
      expect(events).toHaveLength(2);
      expect(events[0].data.before).toMatchObject({
        status: 'INVITED',
        limit: null,
        marginBps: null,
      });
      expect(events[1].data.before).toMatchObject({
        marginBps: 150,
        supplierSubLimit: '5000000.00',
        active: true,
      });
      expect(events[1].data.after).toMatchObject({
        marginBps: 200,
        supplierSubLimit: null,
        active: false,
      });
      await notificationFor(anchor.id, 'PROGRAM_CHANGED', program.id);

      const before = await snapshot();
      const same = await putTerms(
        program.id,
        financier.id,
        financier.admin.token,
        termsBody({ marginBps: 200, supplierSubLimit: null, active: false, limit: '50000000' }),
      );
      expectStatus(same, 200);
      expect(same.body).toEqual(response.body);
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      [
        'minTenorDays above maxTenorDays',
        { minTenorDays: 90, maxTenorDays: 60 },
        ['maxTenorDays:AT_LEAST_FIELD'],
      ],
      [
        'maxTenorDays above the program’s 180',
        { maxTenorDays: 181 },
        ['maxTenorDays:ABOVE_PROGRAM_MAX_TENOR'],
      ],
      [
        'both tenors above the program’s 180',
        { minTenorDays: 200, maxTenorDays: 210 },
        ['minTenorDays:ABOVE_PROGRAM_MAX_TENOR', 'maxTenorDays:ABOVE_PROGRAM_MAX_TENOR'],
      ],
      ['a minTenorDays of 0', { minTenorDays: 0 }, ['minTenorDays:MIN']],
      ['more decimals than CNY allows', { limit: '60000000.001' }, ['limit:IS_DECIMAL_STRING']],
      [
        'a sub-limit above the limit',
        { supplierSubLimit: '60000000.00' },
        ['supplierSubLimit:AT_MOST_FIELD'],
      ],
      ['a JSON number for the limit', { limit: 50000000 }, ['limit:IS_DECIMAL_STRING']],
      ['a margin above 5000 bps', { marginBps: 5001 }, ['marginBps:MAX']],
      ['no active flag', { active: undefined }, ['active:IS_BOOLEAN']],
    ])(
      'refuses %s with 422 naming the fields, writing nothing',
      async (_what, overrides, expected) => {
        const before = await snapshot();
        const problem = expectProblem(
          await putTerms(program.id, financier.id, financier.admin.token, termsBody(overrides)),
          422,
          'VALIDATION_FAILED',
        );
        expect(fieldsOf(problem)).toEqual(expect.arrayContaining(expected));
        expect(await snapshot()).toEqual(before);
        expect(
          await countRows(
            t,
            'program_financiers',
            `program_id = $1 AND status = 'INVITED' AND limit_amount IS NULL`,
            [program.id],
          ),
        ).toBe(1);
      },
    );

    it('answers 403 to the anchor, a supplier and a non-ADMIN of the financier; 404 for another financier’s terms or a program it is not in; 401 without credentials', async () => {
      await inviteMember(t, anchor, program.id, otherFinancier);
      const before = await snapshot();
      for (const token of [
        anchor.admin.token,
        supplier.admin.token,
        financier.members.VIEWER!.token,
      ]) {
        expectProblem(
          await putTerms(program.id, financier.id, token, termsBody()),
          403,
          'FORBIDDEN',
        );
      }
      const other = expectProblem(
        await putTerms(program.id, otherFinancier.id, financier.admin.token, termsBody()),
        404,
        'NOT_FOUND',
      );
      expect(JSON.stringify(other)).not.toContain(otherFinancier.name);
      const elsewhere = await createProgram(t, otherAnchor);
      const afterCreate = await snapshot();
      expectProblem(
        await putTerms(elsewhere.id, financier.id, financier.admin.token, termsBody()),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await putTerms(program.id, financier.id, null, termsBody()),
        401,
        'UNAUTHENTICATED',
      );
      expect(afterCreate.program_financiers).toBe(before.program_financiers);
      expect(await snapshot()).toEqual(afterCreate);
    });

    it('replays a repeated Idempotency-Key with one change, and refuses the key for another body', async () => {
      const send = (body: object) =>
        t
          .http()
          .put(`/api/v1/programs/${program.id}/financiers/${financier.id}/terms`)
          .set(...bearer(financier.admin.token))
          .set('Idempotency-Key', `terms-${program.id}`)
          .send(body);
      const first = await send(termsBody());
      expectStatus(first, 200);
      const afterFirst = await snapshot();
      const again = await send(termsBody());
      expectStatus(again, 200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
      expectProblem(await send(termsBody({ marginBps: 99 })), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await auditCount(financier.id, 'program.financier_terms_set', program.id)).toBe(1);
    });
  });

  describe('who sees what inside a program', () => {
    let program: { id: string; name: string };

    beforeAll(async () => {
      program = await createProgram(t, anchor, { name: '可见性测试项目' });
      await inviteMember(t, anchor, program.id, supplier);
      await inviteMember(t, anchor, program.id, otherSupplier);
      await acceptProgram(t, supplier, program.id);
      await inviteMember(t, anchor, program.id, financier);
      await inviteMember(t, anchor, program.id, otherFinancier);
      await setTerms(t, financier, program.id, { limit: '11111111.00', marginBps: 123 });
      await setTerms(t, otherFinancier, program.id, { limit: '22222222.00', marginBps: 321 });
    });

    const viewAs = async (token: string) => {
      const response = await get(`/programs/${program.id}`, token);
      expectStatus(response, 200);
      return response.body as {
        suppliers: Array<Record<string, unknown>>;
        financiers: Array<Record<string, unknown>>;
      };
    };
    const ids = (entries: Array<Record<string, unknown>>, key: string) =>
      entries.map((entry) => entry[key]).sort();
    const keys = (entry: Record<string, unknown>) => Object.keys(entry).sort();

    it('the anchor sees every supplier and financier, but not the financiers’ commercial terms', async () => {
      const view = await viewAs(anchor.members.VIEWER!.token);
      expect(ids(view.suppliers, 'supplierId')).toEqual([supplier.id, otherSupplier.id].sort());
      for (const entry of view.suppliers) expect(keys(entry)).toEqual(SUPPLIER_FIELDS);
      expect(ids(view.financiers, 'financierId')).toEqual([financier.id, otherFinancier.id].sort());
      for (const entry of view.financiers) expect(keys(entry)).toEqual(FINANCIER_OPERATIONAL);
      expect(view.financiers).toContainEqual(
        expect.objectContaining({
          financierId: financier.id,
          status: 'ACTIVE',
          active: true,
          maxTenorDays: 120,
        }),
      );
      expect(JSON.stringify(view)).not.toMatch(/11111111|22222222/);
    });

    it('the platform sees every member with all terms', async () => {
      const view = await viewAs(platform);
      expect(view.suppliers).toHaveLength(2);
      for (const entry of view.financiers) expect(keys(entry)).toEqual(FINANCIER_COMMERCIAL);
      expect(view.financiers).toContainEqual(
        expect.objectContaining({
          financierId: otherFinancier.id,
          limit: '22222222.00',
          marginBps: 321,
        }),
      );
    });

    it('a supplier sees only itself among the suppliers, and the financiers by name and status only', async () => {
      const view = await viewAs(supplier.admin.token);
      expect(view.suppliers).toEqual([
        expect.objectContaining({ supplierId: supplier.id, status: 'ACTIVE' }),
      ]);
      expect(view.financiers).toHaveLength(2);
      for (const entry of view.financiers) expect(keys(entry)).toEqual(FINANCIER_IDENTITY);
      const text = JSON.stringify(view);
      expect(text).not.toContain(otherSupplier.id);
      expect(text).not.toContain(otherSupplier.name);
      expect(text).not.toMatch(/11111111|22222222/);
      // an invited supplier is shown itself the same way
      const invited = await viewAs(otherSupplier.admin.token);
      expect(ids(invited.suppliers, 'supplierId')).toEqual([otherSupplier.id]);
    });

    it('a financier sees only itself among the financiers, with its own terms, and every supplier', async () => {
      const view = await viewAs(financier.members.VIEWER!.token);
      expect(view.financiers).toEqual([
        expect.objectContaining({
          financierId: financier.id,
          limit: '11111111.00',
          marginBps: 123,
        }),
      ]);
      expect(keys(view.financiers[0])).toEqual(FINANCIER_COMMERCIAL);
      expect(ids(view.suppliers, 'supplierId')).toEqual([supplier.id, otherSupplier.id].sort());
      const text = JSON.stringify(view);
      expect(text).not.toContain(otherFinancier.id);
      expect(text).not.toContain('22222222');
    });

    it('the list applies the same rules as the single view', async () => {
      const list = await get('/programs?limit=200', supplier.admin.token);
      expectStatus(list, 200);
      const item = (list.body.items as Array<{ id: string }>).find((p) => p.id === program.id);
      expect(item).toEqual(await viewAs(supplier.admin.token));
      const financierList = await get('/programs?limit=200', otherFinancier.admin.token);
      const financierItem = (financierList.body.items as Array<{ id: string }>).find(
        (p) => p.id === program.id,
      );
      expect(financierItem).toEqual(await viewAs(otherFinancier.admin.token));
      expect(JSON.stringify(financierItem)).not.toContain('11111111');
    });
  });
});
