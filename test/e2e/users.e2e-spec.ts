import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  addMember,
  bearer,
  countRows,
  createTenant,
  eventually,
  expectProblem,
  expectStatus,
  login,
  PASSWORD,
  platformAdminToken,
  platformTenant,
  snapshotCounts,
  WRITE_TABLES,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/** Tables a user creation writes (WRITE_TABLES plus the chain heads). */
const TABLES = [...WRITE_TABLES, 'audit_chain_heads'];

describe('users: POST/GET /api/v1/organizations/:id/users', () => {
  let t: TestApp;
  let platform: string;
  let anchor: Tenant;
  let supplier: Tenant;
  let anchorAdminId: string;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdminToken(t);
    anchor = await createTenant(t, OrganizationKind.ANCHOR, {
      platformToken: platform,
      roles: [Role.OPERATOR, Role.APPROVER, Role.VIEWER],
    });
    supplier = await createTenant(t, OrganizationKind.SUPPLIER, {
      platformToken: platform,
      roles: [Role.OPERATOR],
    });
    const me = await t
      .http()
      .get('/api/v1/me')
      .set(...bearer(anchor.admin.token));
    expectStatus(me, 200);
    anchorAdminId = me.body.user.id as string;
  });
  afterAll(() => t.close());

  let counter = 0;
  const body = (overrides: Record<string, unknown> = {}) => ({
    email: `new-user-${Date.now().toString(36)}-${counter++}@anchor.test`,
    password: PASSWORD,
    name: '王芳',
    roles: ['OPERATOR'],
    ...overrides,
  });
  const usersPath = (organizationId: string) => `/api/v1/organizations/${organizationId}/users`;

  describe('POST', () => {
    it('adds a user whose roles are the ones given, who then signs in and sees them in GET /me', async () => {
      const request = body({
        email: `  Li.Wei-${counter++}@Anchor.TEST `,
        roles: ['OPERATOR', 'APPROVER'],
      });
      const response = await t
        .http()
        .post(usersPath(anchor.id))
        .set(...bearer(anchor.admin.token))
        .send(request);
      expectStatus(response, 201);
      const email = (request.email as string).trim().toLowerCase();
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        organizationId: anchor.id,
        email,
        name: '王芳',
        roles: ['OPERATOR', 'APPROVER'],
        active: true,
        createdAt: expect.any(String),
      });
      expect(Number.isNaN(Date.parse(response.body.createdAt as string))).toBe(false);

      // Sign-in is case-insensitive on the e-mail, like uniqueness.
      const token = await login(t, email.toUpperCase());
      const me = await t
        .http()
        .get('/api/v1/me')
        .set(...bearer(token));
      expectStatus(me, 200);
      expect(me.body).toEqual({
        user: { id: response.body.id, email, name: '王芳', roles: ['OPERATOR', 'APPROVER'] },
        organization: { id: anchor.id, kind: 'ANCHOR', name: anchor.name },
      });
      // The stored password is an argon2id hash, never the password itself.
      const [row] = (await t.db.query('SELECT password_hash FROM users WHERE id = $1', [
        response.body.id,
      ])) as Array<{ password_hash: string }>;
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain(PASSWORD);
    });

    it('gives the new user exactly its roles: an added VIEWER cannot add users (403)', async () => {
      const viewer = await addMember(t, anchor, [Role.VIEWER]);
      const before = await snapshotCounts(t, TABLES);
      expectProblem(
        await t
          .http()
          .post(usersPath(anchor.id))
          .set(...bearer(viewer.token))
          .send(body()),
        403,
        'FORBIDDEN',
      );
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it('appends a user.created event to that organisation’s audit chain, without the password', async () => {
      const request = body({ roles: ['APPROVER'] });
      const response = await t
        .http()
        .post(usersPath(anchor.id))
        .set(...bearer(anchor.admin.token))
        .send(request);
      expectStatus(response, 201);
      const events = (await t.db.query(
        `SELECT organization_id, actor_type, actor_id, data, seq::text AS seq FROM audit_events
          WHERE action = 'user.created' AND entity_type = 'user' AND entity_id = $1`,
        [response.body.id],
      )) as Array<{
        organization_id: string;
        actor_type: string;
        actor_id: string;
        data: Record<string, unknown>;
        seq: string;
      }>;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        organization_id: anchor.id,
        actor_type: 'USER',
        actor_id: anchorAdminId,
        data: { email: request.email, name: '王芳', roles: ['APPROVER'] },
      });
      expect(JSON.stringify(events[0].data)).not.toContain(PASSWORD);
      // It is the newest link of the anchor's chain.
      const [head] = (await t.db.query(
        'SELECT last_seq::text AS last_seq FROM audit_chain_heads WHERE organization_id = $1',
        [anchor.id],
      )) as Array<{ last_seq: string }>;
      expect(head.last_seq).toBe(events[0].seq);
    });

    it('eventually delivers a USER_ADDED notification to that organisation, and only to it', async () => {
      const response = await t
        .http()
        .post(usersPath(anchor.id))
        .set(...bearer(anchor.admin.token))
        .send(body({ roles: ['VIEWER'] }));
      expectStatus(response, 201);
      const userId = response.body.id as string;
      const notification = await eventually(
        async () => {
          const list = await t
            .http()
            .get('/api/v1/notifications?limit=200')
            .set(...bearer(anchor.admin.token));
          expectStatus(list, 200);
          return (list.body.items as Array<{ type: string; data: { userId?: string } }>).find(
            (item) => item.type === 'USER_ADDED' && item.data.userId === userId,
          );
        },
        15_000,
        'USER_ADDED notification',
      );
      expect(notification).toMatchObject({ type: 'USER_ADDED', data: { roles: ['VIEWER'] } });
      expect(
        await countRows(t, 'notifications', `type = 'USER_ADDED' AND data->>'userId' = $1`, [
          userId,
        ]),
      ).toBe(1);
      expect(
        await countRows(
          t,
          'notifications',
          `type = 'USER_ADDED' AND data->>'userId' = $1 AND organization_id <> $2`,
          [userId, anchor.id],
        ),
      ).toBe(0);
    });

    it('refuses an e-mail already used in another organisation, whatever its case: 409 DUPLICATE_EMAIL, nothing written', async () => {
      const before = await snapshotCounts(t, TABLES);
      const response = await t
        .http()
        .post(usersPath(anchor.id))
        .set(...bearer(anchor.admin.token))
        .send(body({ email: supplier.admin.email.toUpperCase() }));
      const problem = expectProblem(response, 409, 'DUPLICATE_EMAIL');
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'email' })]);
      // It must not reveal which organisation holds the address.
      expect(JSON.stringify(problem)).not.toContain(supplier.id);
      expect(JSON.stringify(problem)).not.toContain(supplier.name);
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it('refuses an e-mail already used in the same organisation with 409, nothing written', async () => {
      const existing = anchor.members.OPERATOR!.email;
      const before = await snapshotCounts(t, TABLES);
      expectProblem(
        await t
          .http()
          .post(usersPath(anchor.id))
          .set(...bearer(anchor.admin.token))
          .send(body({ email: ` ${existing.replace(/^./, (c) => c.toUpperCase())}` })),
        409,
        'DUPLICATE_EMAIL',
      );
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it('answers 404 for another tenant’s organisation id, with none of its data and nothing written', async () => {
      const before = await snapshotCounts(t, TABLES);
      const response = await t
        .http()
        .post(usersPath(anchor.id))
        .set(...bearer(supplier.admin.token))
        .send(body());
      const problem = expectProblem(response, 404, 'NOT_FOUND');
      const text = JSON.stringify(problem);
      expect(text).not.toContain(anchor.name);
      expect(text).not.toContain(anchor.registrationId);
      expect(text).not.toContain(anchor.admin.email);
      // Same answer as for an organisation that does not exist at all.
      const missing = await t
        .http()
        .post(usersPath('00000000-0000-4000-8000-000000000000'))
        .set(...bearer(supplier.admin.token))
        .send(body());
      expectProblem(missing, 404, 'NOT_FOUND');
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it('answers 404 for an organisation id that is not a UUID', async () => {
      expectProblem(
        await t
          .http()
          .post(usersPath('not-a-uuid'))
          .set(...bearer(anchor.admin.token))
          .send(body()),
        404,
        'NOT_FOUND',
      );
    });

    it('refuses the platform ADMIN adding a user to another organisation: 403, nothing written', async () => {
      const before = await snapshotCounts(t, TABLES);
      expectProblem(
        await t
          .http()
          .post(usersPath(anchor.id))
          .set(...bearer(platform))
          .send(body()),
        403,
        'FORBIDDEN',
      );
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it('lets the platform ADMIN add a user to the platform organisation itself', async () => {
      const own = await platformTenant(t, platform);
      const response = await t
        .http()
        .post(usersPath(own.id))
        .set(...bearer(platform))
        .send(body({ roles: ['VIEWER'] }));
      expectStatus(response, 201);
      expect(response.body).toMatchObject({ organizationId: own.id, roles: ['VIEWER'] });
    });

    it.each([Role.OPERATOR, Role.APPROVER, Role.VIEWER])(
      'refuses the organisation’s %s: 403, nothing written',
      async (role) => {
        const before = await snapshotCounts(t, TABLES);
        const response = await t
          .http()
          .post(usersPath(anchor.id))
          .set(...bearer(anchor.members[role]!.token))
          .send(body({ roles: ['ADMIN'] }));
        expectProblem(response, 403, 'FORBIDDEN');
        expect(await snapshotCounts(t, TABLES)).toEqual(before);
      },
    );

    it('needs credentials: 401 without a token or with a forged one, nothing written', async () => {
      const before = await snapshotCounts(t, TABLES);
      expectProblem(await t.http().post(usersPath(anchor.id)).send(body()), 401, 'UNAUTHENTICATED');
      expectProblem(
        await t
          .http()
          .post(usersPath(anchor.id))
          .set(...bearer(`${anchor.admin.token}x`))
          .send(body()),
        401,
        'UNAUTHENTICATED',
      );
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it.each([
      ['an unknown role', { roles: ['SUPERUSER'] }, 'roles', 'IS_ENUM'],
      ['empty roles', { roles: [] }, 'roles', 'ARRAY_MIN_SIZE'],
      ['duplicate roles', { roles: ['OPERATOR', 'OPERATOR'] }, 'roles', 'ARRAY_UNIQUE'],
      ['roles that are not a list', { roles: 'OPERATOR' }, 'roles', 'ARRAY_MIN_SIZE'],
      ['a short password', { password: 'short-pw' }, 'password', 'MIN_LENGTH'],
      ['a password that is not a string', { password: 123456789012345 }, 'password', 'IS_STRING'],
      ['a bad e-mail', { email: 'not-an-email' }, 'email', 'IS_EMAIL'],
      ['an empty name', { name: '   ' }, 'name', 'MIN_LENGTH'],
      ['an unknown field', { organizationId: 'x' }, 'organizationId', 'UNKNOWN_FIELD'],
    ])(
      'refuses %s with 422 naming the field, nothing written',
      async (_what, overrides, field, code) => {
        const before = await snapshotCounts(t, TABLES);
        const response = await t
          .http()
          .post(usersPath(anchor.id))
          .set(...bearer(anchor.admin.token))
          .send(body(overrides));
        const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
        const errors = problem.errors as Array<{ field: string; code: string; message: string }>;
        expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
        for (const error of errors) expect(typeof error.message).toBe('string');
        // Only the field that is wrong is named.
        expect(new Set(errors.map((error) => error.field))).toEqual(new Set([field]));
        expect(await snapshotCounts(t, TABLES)).toEqual(before);
      },
    );

    it('names every invalid field at once', async () => {
      const before = await snapshotCounts(t, TABLES);
      const response = await t
        .http()
        .post(usersPath(anchor.id))
        .set(...bearer(anchor.admin.token))
        .send({ email: 'x', password: 'short', roles: ['GOD', 'GOD'], extra: true });
      const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
      const fields = (problem.errors as Array<{ field: string }>).map((error) => error.field);
      expect(new Set(fields)).toEqual(new Set(['email', 'password', 'name', 'roles', 'extra']));
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it('refuses malformed JSON with a 400 problem, nothing written', async () => {
      const before = await snapshotCounts(t, TABLES);
      const response = await t
        .http()
        .post(usersPath(anchor.id))
        .set(...bearer(anchor.admin.token))
        .set('Content-Type', 'application/json')
        .send('{"email": ');
      expectProblem(response, 400, 'MALFORMED_JSON');
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it('replays the first response for a repeated Idempotency-Key and creates one user', async () => {
      const request = body();
      const send = (payload: Record<string, unknown>) =>
        t
          .http()
          .post(usersPath(anchor.id))
          .set(...bearer(anchor.admin.token))
          .set('Idempotency-Key', 'add-user-1')
          .send(payload);
      const first = await send(request);
      expectStatus(first, 201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const afterFirst = await snapshotCounts(t, TABLES);

      const again = await send(request);
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshotCounts(t, TABLES)).toEqual(afterFirst);
      expect(await countRows(t, 'users', 'email = $1', [request.email])).toBe(1);
      expect(
        await countRows(t, 'audit_events', `action = 'user.created' AND entity_id = $1`, [
          first.body.id,
        ]),
      ).toBe(1);

      const reused = await send(body());
      expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await snapshotCounts(t, TABLES)).toEqual(afterFirst);
    });

    it('scopes Idempotency-Keys per organisation: the same key in another organisation is a new request', async () => {
      const key = 'add-user-shared-key';
      const first = await t
        .http()
        .post(usersPath(anchor.id))
        .set(...bearer(anchor.admin.token))
        .set('Idempotency-Key', key)
        .send(body());
      expectStatus(first, 201);
      const other = await t
        .http()
        .post(usersPath(supplier.id))
        .set(...bearer(supplier.admin.token))
        .set('Idempotency-Key', key)
        .send(body());
      expectStatus(other, 201);
      expect(other.headers['idempotent-replayed']).toBeUndefined();
      expect(other.body.organizationId).toBe(supplier.id);
      expect(other.body.id).not.toBe(first.body.id);
    });
  });

  describe('GET', () => {
    it('lists the organisation’s users to its ADMIN, only them, and never a password or its hash', async () => {
      const response = await t
        .http()
        .get(`${usersPath(anchor.id)}?limit=200`)
        .set(...bearer(anchor.admin.token));
      expectStatus(response, 200);
      const items = response.body.items as Array<Record<string, unknown>>;
      expect(response.body.nextCursor).toBeNull();
      expect(items.length).toBe(await countRows(t, 'users', 'organization_id = $1', [anchor.id]));
      for (const item of items) {
        expect(Object.keys(item).sort()).toEqual(
          ['active', 'createdAt', 'email', 'id', 'name', 'organizationId', 'roles'].sort(),
        );
        expect(item.organizationId).toBe(anchor.id);
      }
      const emails = items.map((item) => item.email);
      expect(emails).toEqual(
        expect.arrayContaining([anchor.admin.email, anchor.members.OPERATOR!.email]),
      );
      expect(emails).not.toContain(supplier.admin.email);
      const text = JSON.stringify(response.body);
      expect(text).not.toMatch(/argon2|password/i);
    });

    it('pages with a cursor without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await t
          .http()
          .get(`${usersPath(anchor.id)}?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(...bearer(anchor.admin.token));
        expectStatus(page, 200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...(page.body.items as Array<{ id: string }>).map((user) => user.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(await countRows(t, 'users', 'organization_id = $1', [anchor.id]));
    });

    it('refuses a bad limit with 422', async () => {
      const problem = expectProblem(
        await t
          .http()
          .get(`${usersPath(anchor.id)}?limit=0`)
          .set(...bearer(anchor.admin.token)),
        422,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    });

    it('answers 404 with no data for another tenant’s organisation', async () => {
      const response = await t
        .http()
        .get(usersPath(anchor.id))
        .set(...bearer(supplier.admin.token));
      const problem = expectProblem(response, 404, 'NOT_FOUND');
      const text = JSON.stringify(problem);
      expect(text).not.toContain(anchor.admin.email);
      expect(text).not.toContain(anchor.name);
      expect(problem.items).toBeUndefined();
    });

    it('refuses the platform ADMIN (403) and the organisation’s OPERATOR, APPROVER and VIEWER (403)', async () => {
      expectProblem(
        await t
          .http()
          .get(usersPath(anchor.id))
          .set(...bearer(platform)),
        403,
        'FORBIDDEN',
      );
      for (const role of [Role.OPERATOR, Role.APPROVER, Role.VIEWER]) {
        const response = await t
          .http()
          .get(usersPath(anchor.id))
          .set(...bearer(anchor.members[role]!.token));
        expectProblem(response, 403, 'FORBIDDEN');
        expect(JSON.stringify(response.body)).not.toContain(anchor.admin.email);
      }
    });

    it('needs credentials: 401 without a token', async () => {
      const response = await t.http().get(usersPath(anchor.id));
      expectProblem(response, 401, 'UNAUTHENTICATED');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    });
  });
});
