import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  addMember,
  bearer,
  countRows,
  createTenant,
  eventually,
  expectProblem,
  expectStatus,
  fakeLei,
  fakeUscc,
  login,
  PASSWORD,
  platformAdminToken,
  snapshotCounts,
  WRITE_TABLES,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

describe('organisations: POST/GET /api/v1/organizations', () => {
  let t: TestApp;
  let platform: string;
  let anchor: Tenant;
  let supplier: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdminToken(t);
    anchor = await createTenant(t, OrganizationKind.ANCHOR, {
      platformToken: platform,
      roles: [Role.OPERATOR],
    });
    supplier = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform });
  });
  afterAll(() => t.close());

  const body = (overrides: Record<string, unknown> = {}) => ({
    kind: 'FINANCIER',
    name: '江南商业银行股份有限公司',
    registrationId: fakeUscc(),
    industry: 'J',
    identifiers: [{ scheme: '0199', value: fakeLei() }],
    admin: {
      email: `admin-${Math.random().toString(36).slice(2)}@bank.test`,
      password: PASSWORD,
      name: '陈静',
    },
    ...overrides,
  });

  describe('POST', () => {
    it('onboards an organisation with a Chinese name, its identifiers and a first ADMIN who can sign in', async () => {
      const request = body();
      const response = await t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .send(request);
      expectStatus(response, 201);
      expect(response.body).toMatchObject({
        kind: 'FINANCIER',
        name: '江南商业银行股份有限公司',
        registrationId: request.registrationId,
        industry: 'J',
        identifiers: request.identifiers,
      });
      expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
      const token = await login(t, request.admin.email);
      const me = await t
        .http()
        .get('/api/v1/me')
        .set(...bearer(token));
      expectStatus(me, 200);
      expect(me.body).toMatchObject({
        user: { email: request.admin.email, roles: ['ADMIN'] },
        organization: { id: response.body.id, kind: 'FINANCIER', name: '江南商业银行股份有限公司' },
      });
    });

    it('accepts an LEI as registration id and normalises case and spaces', async () => {
      const lei = fakeLei();
      const response = await t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .send(body({ registrationId: ` ${lei.toLowerCase()} ` }));
      expectStatus(response, 201);
      expect(response.body.registrationId).toBe(lei);
    });

    it('records the creation in the new organisation’s audit chain and queues its welcome notification', async () => {
      const response = await t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .send(body());
      expectStatus(response, 201);
      const id = response.body.id as string;
      expect(
        await countRows(
          t,
          'audit_events',
          `organization_id = $1 AND action = 'organization.created'`,
          [id],
        ),
      ).toBe(1);
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'ORGANIZATION_ONBOARDED'`,
            [id],
          )) === 1,
        15_000,
        'welcome notification',
      );
    });

    it('refuses a duplicate registration id with 409 naming the existing organisation, writing nothing', async () => {
      const before = await snapshotCounts(t, WRITE_TABLES);
      const response = await t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .send(body({ registrationId: anchor.registrationId }));
      const problem = expectProblem(response, 409, 'DUPLICATE_REGISTRATION_ID');
      expect(problem.existingOrganizationId).toBe(anchor.id);
      expect(await snapshotCounts(t, WRITE_TABLES)).toEqual(before);
    });

    it('refuses a duplicate admin e-mail with 409 and rolls back the organisation too', async () => {
      const before = await snapshotCounts(t, WRITE_TABLES);
      const response = await t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .send(
          body({
            admin: { email: anchor.admin.email.toUpperCase(), password: PASSWORD, name: 'x' },
          }),
        );
      expectProblem(response, 409, 'DUPLICATE_EMAIL');
      expect(await snapshotCounts(t, WRITE_TABLES)).toEqual(before);
    });

    it.each([
      [
        'a registration id with a wrong check character',
        { registrationId: '91330100799655058C' },
        'registrationId',
        'IS_REGISTRATION_ID',
      ],
      ['an unknown kind', { kind: 'BANK' }, 'kind', 'IS_ENUM'],
      ['an unknown field', { website: 'https://x.test' }, 'website', 'UNKNOWN_FIELD'],
      [
        'a short admin password',
        { admin: { email: 'x@y.test', password: 'short', name: 'x' } },
        'admin.password',
        'MIN_LENGTH',
      ],
      [
        'a bad identifier scheme',
        { identifiers: [{ scheme: 'LEI', value: 'x' }] },
        'identifiers.0.scheme',
        'MATCHES',
      ],
      ['an industry outside GB/T 4754', { industry: 'Z' }, 'industry', 'MATCHES'],
    ])(
      'refuses %s with 422 naming the field, writing nothing',
      async (_what, overrides, field, code) => {
        const before = await snapshotCounts(t, WRITE_TABLES);
        const response = await t
          .http()
          .post('/api/v1/organizations')
          .set(...bearer(platform))
          .send(body(overrides));
        const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
        expect(problem.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field, code })]),
        );
        expect(await snapshotCounts(t, WRITE_TABLES)).toEqual(before);
      },
    );

    it('lists every invalid field at once', async () => {
      const response = await t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .send({ kind: 'X', admin: {} });
      const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
      const fields = (problem.errors as Array<{ field: string }>).map((error) => error.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'kind',
          'name',
          'registrationId',
          'admin.email',
          'admin.password',
          'admin.name',
        ]),
      );
    });

    it('refuses a JSON number where a string is expected (no implicit conversion)', async () => {
      const response = await t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .send(body({ name: 12345 }));
      expectProblem(response, 422, 'VALIDATION_FAILED');
    });

    it('is for the platform ADMIN only: 403 for an anchor ADMIN and for a platform OPERATOR', async () => {
      const before = await snapshotCounts(t, WRITE_TABLES);
      expectProblem(
        await t
          .http()
          .post('/api/v1/organizations')
          .set(...bearer(anchor.admin.token))
          .send(body()),
        403,
        'FORBIDDEN',
      );
      const platformTenant = {
        id: (
          await t
            .http()
            .get('/api/v1/me')
            .set(...bearer(platform))
        ).body.organization.id,
        admin: { token: platform },
      } as Tenant;
      const operator = await addMember(t, platformTenant, [Role.OPERATOR]);
      const afterMember = await snapshotCounts(t, WRITE_TABLES);
      expectProblem(
        await t
          .http()
          .post('/api/v1/organizations')
          .set(...bearer(operator.token))
          .send(body()),
        403,
        'FORBIDDEN',
      );
      expect(await snapshotCounts(t, WRITE_TABLES)).toEqual(afterMember);
      expect(afterMember.organizations).toBe(before.organizations);
    });

    it('needs credentials: 401 without a token', async () => {
      expectProblem(
        await t.http().post('/api/v1/organizations').send(body()),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('replays the first response for a repeated Idempotency-Key and creates one organisation', async () => {
      const request = body();
      const first = await t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .set('Idempotency-Key', 'onboard-1')
        .send(request);
      expectStatus(first, 201);
      const again = await t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .set('Idempotency-Key', 'onboard-1')
        .send(request);
      expectStatus(again, 201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(
        await countRows(t, 'organizations', 'registration_id = $1', [request.registrationId]),
      ).toBe(1);
      const other = await t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .set('Idempotency-Key', 'onboard-1')
        .send(body());
      expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('GET', () => {
    it('shows the platform operator every organisation and a tenant only its own', async () => {
      const all = await t
        .http()
        .get('/api/v1/organizations?limit=200')
        .set(...bearer(platform));
      expectStatus(all, 200);
      const ids = (all.body.items as Array<{ id: string }>).map((o) => o.id);
      expect(ids).toEqual(expect.arrayContaining([anchor.id, supplier.id]));
      const own = await t
        .http()
        .get('/api/v1/organizations')
        .set(...bearer(supplier.admin.token));
      expectStatus(own, 200);
      expect(own.body).toEqual({
        items: [expect.objectContaining({ id: supplier.id })],
        nextCursor: null,
      });
    });

    it('pages with a cursor, newest first, without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await t
          .http()
          .get(`/api/v1/organizations?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(...bearer(platform));
        expectStatus(page, 200);
        seen.push(...(page.body.items as Array<{ id: string }>).map((o) => o.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(await countRows(t, 'organizations'));
      expectProblem(
        await t
          .http()
          .get('/api/v1/organizations?cursor=garbage')
          .set(...bearer(platform)),
        422,
        'VALIDATION_FAILED',
      );
    });

    it('filters by kind and registration id', async () => {
      const response = await t
        .http()
        .get(`/api/v1/organizations?kind=ANCHOR&registrationId=${anchor.registrationId}`)
        .set(...bearer(platform));
      expectStatus(response, 200);
      expect(response.body.items).toEqual([
        expect.objectContaining({ id: anchor.id, kind: 'ANCHOR' }),
      ]);
    });

    it('shows one organisation to itself and to the platform, 404 to another tenant', async () => {
      expectStatus(
        await t
          .http()
          .get(`/api/v1/organizations/${anchor.id}`)
          .set(...bearer(anchor.members.OPERATOR!.token)),
        200,
      );
      expectStatus(
        await t
          .http()
          .get(`/api/v1/organizations/${anchor.id}`)
          .set(...bearer(platform)),
        200,
      );
      const hidden = await t
        .http()
        .get(`/api/v1/organizations/${anchor.id}`)
        .set(...bearer(supplier.admin.token));
      const problem = expectProblem(hidden, 404, 'NOT_FOUND');
      expect(JSON.stringify(problem)).not.toContain(anchor.name);
    });

    it('answers 404 for an id that is not a UUID and 401 without credentials', async () => {
      expectProblem(
        await t
          .http()
          .get('/api/v1/organizations/not-a-uuid')
          .set(...bearer(platform)),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await t.http().get(`/api/v1/organizations/${anchor.id}`),
        401,
        'UNAUTHENTICATED',
      );
    });
  });
});
