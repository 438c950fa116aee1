import { createHash } from 'node:crypto';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  apiKeyHeader,
  bearer,
  countRows,
  createApiKey,
  createTenant,
  eventually,
  expectProblem,
  expectStatus,
  platformAdminToken,
  snapshotCounts,
  WRITE_TABLES,
  type IssuedApiKey,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const KEY_FORMAT = /^scf_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const TABLES = [...WRITE_TABLES, 'audit_chain_heads'];
const VIEW_FIELDS = ['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'roles'];

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
const secretOf = (key: string): string => KEY_FORMAT.exec(key)![2];

describe('API keys: POST/GET /api/v1/api-keys, DELETE /api/v1/api-keys/:id', () => {
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
    supplier = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform });
    const me = await t
      .http()
      .get('/api/v1/me')
      .set(...bearer(anchor.admin.token));
    expectStatus(me, 200);
    anchorAdminId = me.body.user.id as string;
  });
  afterAll(() => t.close());

  /** Every table of the database whose rows, as text, contain `needle`. */
  async function tablesContaining(needle: string): Promise<string[]> {
    const tables = (await t.db.query(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    )) as Array<{ table_name: string }>;
    const found: string[] = [];
    for (const { table_name } of tables) {
      const [row] = (await t.db.query(
        `SELECT count(*)::int AS n FROM "${table_name}" x WHERE x::text LIKE '%' || $1 || '%'`,
        [needle],
      )) as Array<{ n: number }>;
      if (row.n > 0) found.push(table_name);
    }
    return found;
  }

  const me = (key: string) =>
    t
      .http()
      .get('/api/v1/me')
      .set(...apiKeyHeader(key));

  describe('POST', () => {
    it('returns the key once, in the scf_<16 hex>_<43 chars> format, with OPERATOR as the default role', async () => {
      const response = await t
        .http()
        .post('/api/v1/api-keys')
        .set(...bearer(anchor.admin.token))
        .send({ name: '  SAP S/4HANA 生产 ' });
      expectStatus(response, 201);
      expect(Object.keys(response.body).sort()).toEqual([...VIEW_FIELDS, 'key'].sort());
      expect(response.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'SAP S/4HANA 生产',
        roles: ['OPERATOR'],
        lastUsedAt: null,
        revokedAt: null,
      });
      const key = response.body.key as string;
      expect(key).toMatch(KEY_FORMAT);
      expect(key.startsWith(`scf_${response.body.prefix}_`)).toBe(true);

      // Stored as the SHA-256 of the secret only.
      const [row] = (await t.db.query(
        'SELECT organization_id, prefix, secret_sha256, roles, created_by FROM api_keys WHERE id = $1',
        [response.body.id],
      )) as Array<Record<string, unknown>>;
      expect(row).toEqual({
        organization_id: anchor.id,
        prefix: response.body.prefix,
        secret_sha256: sha256(secretOf(key)),
        roles: ['OPERATOR'],
        created_by: anchorAdminId,
      });
    });

    it('keeps the key itself nowhere in the database', async () => {
      const issued = await createApiKey(t, anchor, { name: 'stored-nowhere' });
      expect(await tablesContaining(secretOf(issued.key))).toEqual([]);
    });

    // The replay copy kept for an Idempotency-Key is stored sealed (AES-256-GCM), never in clear.
    it('keeps the key nowhere in the database also when it was created with an Idempotency-Key', async () => {
      const response = await t
        .http()
        .post('/api/v1/api-keys')
        .set(...bearer(anchor.admin.token))
        .set('Idempotency-Key', 'key-stored-nowhere')
        .send({ name: 'stored-nowhere-idempotent' });
      expectStatus(response, 201);
      expect(await tablesContaining(secretOf(response.body.key as string))).toEqual([]);
    });

    it('accepts the VIEWER role and both ERP roles together', async () => {
      const viewer = await createApiKey(t, anchor, { roles: [Role.VIEWER] });
      expect(viewer.roles).toEqual(['VIEWER']);
      const both = await createApiKey(t, anchor, { roles: [Role.OPERATOR, Role.VIEWER] });
      expect(both.roles).toEqual(['OPERATOR', 'VIEWER']);
    });

    it('records api_key.created in the organisation’s audit chain (no secret) and notifies it', async () => {
      const issued = await createApiKey(t, anchor, { name: 'audited' });
      const events = (await t.db.query(
        `SELECT organization_id, actor_type, actor_id, data FROM audit_events
          WHERE action = 'api_key.created' AND entity_type = 'api_key' AND entity_id = $1`,
        [issued.id],
      )) as Array<Record<string, unknown>>;
      expect(events).toEqual([
        {
          organization_id: anchor.id,
          actor_type: 'USER',
          actor_id: anchorAdminId,
          data: { name: 'audited', prefix: issued.prefix, roles: ['OPERATOR'] },
        },
      ]);
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'API_KEY_CREATED' AND data->>'apiKeyId' = $2`,
            [anchor.id, issued.id],
          )) === 1,
        15_000,
        'API_KEY_CREATED notification',
      );
    });

    it.each([
      ['the ADMIN role', { roles: ['ADMIN'] }, 'roles', 'IS_IN'],
      ['the APPROVER role', { roles: ['OPERATOR', 'APPROVER'] }, 'roles', 'IS_IN'],
      ['empty roles', { roles: [] }, 'roles', 'ARRAY_MIN_SIZE'],
      ['duplicate roles', { roles: ['VIEWER', 'VIEWER'] }, 'roles', 'ARRAY_UNIQUE'],
      ['a missing name', { name: undefined }, 'name', 'IS_STRING'],
      ['a blank name', { name: '   ' }, 'name', 'MIN_LENGTH'],
      ['a name over 100 characters', { name: 'x'.repeat(101) }, 'name', 'MAX_LENGTH'],
      ['an unknown field', { expiresAt: '2030-01-01' }, 'expiresAt', 'UNKNOWN_FIELD'],
    ])(
      'refuses %s with 422 naming the field, nothing written',
      async (_what, overrides, field, code) => {
        const before = await snapshotCounts(t, TABLES);
        const response = await t
          .http()
          .post('/api/v1/api-keys')
          .set(...bearer(anchor.admin.token))
          .send({ name: 'ERP', ...overrides });
        const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
        const errors = problem.errors as Array<{ field: string; code: string; message: string }>;
        expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
        expect(new Set(errors.map((error) => error.field))).toEqual(new Set([field]));
        expect(problem).not.toHaveProperty('key');
        expect(await snapshotCounts(t, TABLES)).toEqual(before);
      },
    );

    it.each([Role.OPERATOR, Role.APPROVER, Role.VIEWER])(
      'refuses the organisation’s %s users: 403, nothing written',
      async (role) => {
        const before = await snapshotCounts(t, TABLES);
        const response = await t
          .http()
          .post('/api/v1/api-keys')
          .set(...bearer(anchor.members[role]!.token))
          .send({ name: 'ERP' });
        expectProblem(response, 403, 'FORBIDDEN');
        expect(await snapshotCounts(t, TABLES)).toEqual(before);
      },
    );

    it('needs credentials: 401 without any, nothing written', async () => {
      const before = await snapshotCounts(t, TABLES);
      expectProblem(
        await t.http().post('/api/v1/api-keys').send({ name: 'ERP' }),
        401,
        'UNAUTHENTICATED',
      );
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it('replays the first response for a repeated Idempotency-Key and creates one key', async () => {
      const send = (payload: Record<string, unknown>) =>
        t
          .http()
          .post('/api/v1/api-keys')
          .set(...bearer(anchor.admin.token))
          .set('Idempotency-Key', 'create-key-1')
          .send(payload);
      const first = await send({ name: 'Oracle ERP', roles: ['VIEWER'] });
      expectStatus(first, 201);
      const afterFirst = await snapshotCounts(t, TABLES);
      const again = await send({ roles: ['VIEWER'], name: 'Oracle ERP' });
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshotCounts(t, TABLES)).toEqual(afterFirst);
      expect(
        await countRows(t, 'api_keys', 'organization_id = $1 AND name = $2', [
          anchor.id,
          'Oracle ERP',
        ]),
      ).toBe(1);
      expectProblem(await send({ name: 'Another ERP' }), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await snapshotCounts(t, TABLES)).toEqual(afterFirst);
    });
  });

  describe('authenticating with X-Api-Key', () => {
    let operatorKey: IssuedApiKey;

    beforeAll(async () => {
      operatorKey = await createApiKey(t, anchor, { name: 'Kingdee K/3', roles: [Role.OPERATOR] });
    });

    it('identifies the key and its organisation in GET /me, with no user', async () => {
      const response = await me(operatorKey.key);
      expectStatus(response, 200);
      expect(response.body).toEqual({
        user: null,
        apiKey: { id: operatorKey.id, name: 'Kingdee K/3', roles: ['OPERATOR'] },
        organization: { id: anchor.id, kind: 'ANCHOR', name: anchor.name },
      });
    });

    it('marks the key as used', async () => {
      expectStatus(await me(operatorKey.key), 200);
      const list = await t
        .http()
        .get('/api/v1/api-keys?limit=200')
        .set(...bearer(anchor.admin.token));
      expectStatus(list, 200);
      const view = (list.body.items as Array<{ id: string; lastUsedAt: string | null }>).find(
        (item) => item.id === operatorKey.id,
      );
      expect(view?.lastUsedAt).toEqual(expect.any(String));
    });

    it('enforces the key’s roles: an OPERATOR key may not create, list or revoke keys (403)', async () => {
      const before = await snapshotCounts(t, TABLES);
      expectProblem(
        await t
          .http()
          .post('/api/v1/api-keys')
          .set(...apiKeyHeader(operatorKey.key))
          .send({ name: 'escalation', roles: ['OPERATOR'] }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await t
          .http()
          .get('/api/v1/api-keys')
          .set(...apiKeyHeader(operatorKey.key)),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await t
          .http()
          .delete(`/api/v1/api-keys/${operatorKey.id}`)
          .set(...apiKeyHeader(operatorKey.key)),
        403,
        'FORBIDDEN',
      );
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
      expectStatus(await me(operatorKey.key), 200);
    });

    it('scopes the key to its organisation: it sees only its own organisation', async () => {
      const list = await t
        .http()
        .get('/api/v1/organizations?limit=200')
        .set(...apiKeyHeader(operatorKey.key));
      expectStatus(list, 200);
      expect(list.body).toEqual({
        items: [expect.objectContaining({ id: anchor.id })],
        nextCursor: null,
      });
      expectStatus(
        await t
          .http()
          .get(`/api/v1/organizations/${anchor.id}`)
          .set(...apiKeyHeader(operatorKey.key)),
        200,
      );
      const hidden = await t
        .http()
        .get(`/api/v1/organizations/${supplier.id}`)
        .set(...apiKeyHeader(operatorKey.key));
      const problem = expectProblem(hidden, 404, 'NOT_FOUND');
      expect(JSON.stringify(problem)).not.toContain(supplier.name);
    });

    it.each([
      ['a value that is not a key', 'hello'],
      ['a truncated key', 'scf_0123456789abcdef_short'],
      ['a well-formed key nobody issued', `scf_0123456789abcdef_${'A'.repeat(43)}`],
    ])('refuses %s with 401', async (_what, key) => {
      const response = await me(key);
      expectProblem(response, 401, 'UNAUTHENTICATED');
      expect(response.body).not.toHaveProperty('organization');
    });

    it('refuses a real prefix with a wrong secret (401)', async () => {
      const forged = `scf_${operatorKey.prefix}_${'B'.repeat(43)}`;
      expect(forged).toMatch(KEY_FORMAT);
      expectProblem(await me(forged), 401, 'UNAUTHENTICATED');
      // and does not fall back to a valid Bearer token sent alongside it
      expectProblem(
        await t
          .http()
          .get('/api/v1/me')
          .set(...apiKeyHeader(forged))
          .set(...bearer(anchor.admin.token)),
        401,
        'UNAUTHENTICATED',
      );
    });
  });

  describe('GET', () => {
    it('lists the organisation’s keys without the key or any hash of it', async () => {
      const issued = await createApiKey(t, anchor, { name: 'listed' });
      const [{ secret_sha256 }] = (await t.db.query(
        'SELECT secret_sha256 FROM api_keys WHERE id = $1',
        [issued.id],
      )) as Array<{ secret_sha256: string }>;
      const response = await t
        .http()
        .get('/api/v1/api-keys?limit=200')
        .set(...bearer(anchor.admin.token));
      expectStatus(response, 200);
      const items = response.body.items as Array<Record<string, unknown>>;
      expect(items.length).toBe(
        await countRows(t, 'api_keys', 'organization_id = $1', [anchor.id]),
      );
      for (const item of items) expect(Object.keys(item).sort()).toEqual(VIEW_FIELDS);
      expect(items).toContainEqual(
        expect.objectContaining({ id: issued.id, name: 'listed', prefix: issued.prefix }),
      );
      const text = JSON.stringify(response.body);
      expect(text).not.toContain(secretOf(issued.key));
      expect(text).not.toContain(secret_sha256);
      expect(text).not.toMatch(/secret|sha256|"key"/i);
    });

    it('shows a tenant none of another tenant’s keys', async () => {
      const anchorKey = await createApiKey(t, anchor, { name: 'anchor-only' });
      const response = await t
        .http()
        .get('/api/v1/api-keys?limit=200')
        .set(...bearer(supplier.admin.token));
      expectStatus(response, 200);
      const ids = (response.body.items as Array<{ id: string }>).map((item) => item.id);
      expect(ids).not.toContain(anchorKey.id);
      expect(ids.length).toBe(
        await countRows(t, 'api_keys', 'organization_id = $1', [supplier.id]),
      );
    });

    it('refuses OPERATOR, APPROVER and VIEWER users (403) and callers without credentials (401)', async () => {
      for (const role of [Role.OPERATOR, Role.APPROVER, Role.VIEWER]) {
        expectProblem(
          await t
            .http()
            .get('/api/v1/api-keys')
            .set(...bearer(anchor.members[role]!.token)),
          403,
          'FORBIDDEN',
        );
      }
      expectProblem(await t.http().get('/api/v1/api-keys'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('DELETE /api/v1/api-keys/:id', () => {
    it('revokes a key, which fails with 401 at once, and records api_key.revoked', async () => {
      const issued = await createApiKey(t, anchor, { name: 'to revoke' });
      expectStatus(await me(issued.key), 200);
      const response = await t
        .http()
        .delete(`/api/v1/api-keys/${issued.id}`)
        .set(...bearer(anchor.admin.token));
      expectStatus(response, 200);
      expect(Object.keys(response.body).sort()).toEqual(VIEW_FIELDS);
      expect(response.body).toMatchObject({ id: issued.id, revokedAt: expect.any(String) });
      expectProblem(await me(issued.key), 401, 'UNAUTHENTICATED');
      expect(
        await countRows(
          t,
          'audit_events',
          `organization_id = $1 AND action = 'api_key.revoked' AND entity_id = $2 AND actor_id = $3`,
          [anchor.id, issued.id, anchorAdminId],
        ),
      ).toBe(1);
      expect(
        await countRows(t, 'api_keys', 'id = $1 AND revoked_by = $2 AND revoked_at IS NOT NULL', [
          issued.id,
          anchorAdminId,
        ]),
      ).toBe(1);
    });

    it('refuses to revoke twice: 409 API_KEY_ALREADY_REVOKED, nothing written', async () => {
      const issued = await createApiKey(t, anchor);
      expectStatus(
        await t
          .http()
          .delete(`/api/v1/api-keys/${issued.id}`)
          .set(...bearer(anchor.admin.token)),
        200,
      );
      const before = await snapshotCounts(t, TABLES);
      expectProblem(
        await t
          .http()
          .delete(`/api/v1/api-keys/${issued.id}`)
          .set(...bearer(anchor.admin.token)),
        409,
        'API_KEY_ALREADY_REVOKED',
      );
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it('answers 404 for another tenant’s key, with none of its data, and the key keeps working', async () => {
      const anchorKey = await createApiKey(t, anchor, { name: 'Yonyou U8 anchor' });
      const before = await snapshotCounts(t, TABLES);
      const response = await t
        .http()
        .delete(`/api/v1/api-keys/${anchorKey.id}`)
        .set(...bearer(supplier.admin.token));
      const problem = expectProblem(response, 404, 'NOT_FOUND');
      const text = JSON.stringify(problem);
      expect(text).not.toContain('Yonyou');
      expect(text).not.toContain(anchorKey.prefix);
      expect(text).not.toContain(anchor.id);
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
      expect(await countRows(t, 'api_keys', 'id = $1 AND revoked_at IS NULL', [anchorKey.id])).toBe(
        1,
      );
      expectStatus(await me(anchorKey.key), 200);
      // the platform ADMIN is not the key's organisation either
      expectProblem(
        await t
          .http()
          .delete(`/api/v1/api-keys/${anchorKey.id}`)
          .set(...bearer(platform)),
        404,
        'NOT_FOUND',
      );
      expectStatus(await me(anchorKey.key), 200);
    });

    it('answers 404 for an unknown id and for an id that is not a UUID', async () => {
      expectProblem(
        await t
          .http()
          .delete('/api/v1/api-keys/00000000-0000-4000-8000-000000000000')
          .set(...bearer(anchor.admin.token)),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await t
          .http()
          .delete('/api/v1/api-keys/not-a-uuid')
          .set(...bearer(anchor.admin.token)),
        404,
        'NOT_FOUND',
      );
    });

    it('refuses OPERATOR, APPROVER and VIEWER users (403) and callers without credentials (401); the key keeps working', async () => {
      const issued = await createApiKey(t, anchor);
      const before = await snapshotCounts(t, TABLES);
      for (const role of [Role.OPERATOR, Role.APPROVER, Role.VIEWER]) {
        expectProblem(
          await t
            .http()
            .delete(`/api/v1/api-keys/${issued.id}`)
            .set(...bearer(anchor.members[role]!.token)),
          403,
          'FORBIDDEN',
        );
      }
      expectProblem(await t.http().delete(`/api/v1/api-keys/${issued.id}`), 401, 'UNAUTHENTICATED');
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
      expectStatus(await me(issued.key), 200);
    });

    it('replays the first response for a repeated Idempotency-Key instead of answering 409', async () => {
      const issued = await createApiKey(t, anchor);
      const revoke = (id: string) =>
        t
          .http()
          .delete(`/api/v1/api-keys/${id}`)
          .set(...bearer(anchor.admin.token))
          .set('Idempotency-Key', 'revoke-1');
      const first = await revoke(issued.id);
      expectStatus(first, 200);
      const afterFirst = await snapshotCounts(t, TABLES);
      const again = await revoke(issued.id);
      expectStatus(again, 200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshotCounts(t, TABLES)).toEqual(afterFirst);
      expect(
        await countRows(t, 'audit_events', `action = 'api_key.revoked' AND entity_id = $1`, [
          issued.id,
        ]),
      ).toBe(1);
      // the same key for another request (another key id) is refused, and that key stays live
      const other = await createApiKey(t, anchor);
      expectProblem(await revoke(other.id), 422, 'IDEMPOTENCY_KEY_REUSED');
      expectStatus(await me(other.key), 200);
    });
  });
});
