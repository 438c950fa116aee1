import { Client } from 'pg';
import { OrganizationKind } from '../../src/common/auth/roles';
import {
  bearer,
  countRows,
  createTenant,
  expectProblem,
  expectStatus,
  fakeUscc,
  PASSWORD,
  platformAdminToken,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Idempotency-Key on state-changing requests', () => {
  let t: TestApp;
  let anchor: Tenant;
  let supplier: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    anchor = await createTenant(t, OrganizationKind.ANCHOR);
    supplier = await createTenant(t, OrganizationKind.SUPPLIER);
  });
  afterAll(() => t.close());

  const createKey = (tenant: Tenant, key: string, name: string) =>
    t
      .http()
      .post('/api/v1/api-keys')
      .set(...bearer(tenant.admin.token))
      .set('Idempotency-Key', key)
      .send({ name });

  it('100 simultaneous requests with one key execute once', async () => {
    const before = await countRows(t, 'api_keys', 'organization_id = $1', [anchor.id]);
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => createKey(anchor, 'burst-1', 'ERP burst')),
    );
    const created = responses.filter((response) => response.status === 201);
    const inFlight = responses.filter((response) => response.status === 409);
    expect(created.length + inFlight.length).toBe(100);
    for (const response of inFlight) expect(response.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(new Set(created.map((response) => response.body.id)).size).toBe(1);
    expect(new Set(created.map((response) => response.body.key)).size).toBe(1);
    expect(await countRows(t, 'api_keys', 'organization_id = $1', [anchor.id])).toBe(before + 1);
    expect(
      await countRows(t, 'audit_events', `organization_id = $1 AND action = 'api_key.created'`, [
        anchor.id,
      ]),
    ).toBe(before + 1);
    // After the burst, the key replays the one stored response.
    const later = await createKey(anchor, 'burst-1', 'ERP burst');
    expectStatus(later, 201);
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(later.body.id).toBe(created[0].body.id);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    // Hold the key's lock from outside, as a first request in flight would.
    const holder = new Client({ connectionString: t.database.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
        `idempotency:${anchor.id}:held-key`,
      ]);
      expectProblem(
        await createKey(anchor, 'held-key', 'in flight'),
        409,
        'IDEMPOTENCY_KEY_IN_PROGRESS',
      );
      await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [
        `idempotency:${anchor.id}:held-key`,
      ]);
      expectStatus(await createKey(anchor, 'held-key', 'in flight'), 201);
    } finally {
      await holder.end();
    }
  });

  it('refuses the same key with another body (422) and keeps the first effect', async () => {
    expectStatus(await createKey(anchor, 'reuse-1', 'first body'), 201);
    expectProblem(await createKey(anchor, 'reuse-1', 'second body'), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await countRows(t, 'api_keys', `name = 'second body'`)).toBe(0);
  });

  it('matches bodies by content, not by key order or spacing', async () => {
    const first = await t
      .http()
      .post('/api/v1/api-keys')
      .set(...bearer(anchor.admin.token))
      .set('Idempotency-Key', 'order-1')
      .set('Content-Type', 'application/json')
      .send('{"name":"ordered","roles":["VIEWER"]}');
    expectStatus(first, 201);
    const second = await t
      .http()
      .post('/api/v1/api-keys')
      .set(...bearer(anchor.admin.token))
      .set('Idempotency-Key', 'order-1')
      .set('Content-Type', 'application/json')
      .send('{ "roles": ["VIEWER"],   "name": "ordered" }');
    expectStatus(second, 201);
    expect(second.body.id).toBe(first.body.id);
  });

  it('scopes keys per organisation: the same key in two organisations is two requests', async () => {
    const a = await createKey(anchor, 'shared-key', 'same key');
    const b = await createKey(supplier, 'shared-key', 'same key');
    expectStatus(a, 201);
    expectStatus(b, 201);
    expect(a.body.id).not.toBe(b.body.id);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
  });

  it('stores a refusal too: the replay of a 409 is the same 409, marked as a replay', async () => {
    const platform = await platformAdminToken(t);
    const onboard = (key: string, registrationId: string, email: string) =>
      t
        .http()
        .post('/api/v1/organizations')
        .set(...bearer(platform))
        .set('Idempotency-Key', key)
        .send({
          kind: 'SUPPLIER',
          name: '重复企业',
          registrationId,
          admin: { email, password: PASSWORD, name: 'x' },
        });
    const first = await onboard('dup-1', anchor.registrationId, 'dup-first@test.test');
    expectProblem(first, 409, 'DUPLICATE_REGISTRATION_ID');
    const replay = await onboard('dup-1', anchor.registrationId, 'dup-first@test.test');
    expectProblem(replay, 409, 'DUPLICATE_REGISTRATION_ID');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect({ ...replay.body, instance: undefined }).toEqual({ ...first.body, instance: undefined });
    // A new key is a new request and succeeds with a fresh registration id.
    expectStatus(await onboard('dup-2', fakeUscc(), 'dup-second@test.test'), 201);
  });

  it('stores a validation refusal (the retry gets the same 422) while the refused request wrote nothing', async () => {
    const before = await countRows(t, 'idempotency_records');
    const organizationsBefore = await countRows(t, 'organizations');
    const platform = await platformAdminToken(t);
    const refused = await t
      .http()
      .post('/api/v1/organizations')
      .set(...bearer(platform))
      .set('Idempotency-Key', 'bad-input-1')
      .send({ kind: 'SUPPLIER' });
    expectProblem(refused, 422, 'VALIDATION_FAILED');
    expect(await countRows(t, 'idempotency_records')).toBe(before + 1);
    expect(await countRows(t, 'organizations')).toBe(organizationsBefore);
    const retry = await t
      .http()
      .post('/api/v1/organizations')
      .set(...bearer(platform))
      .set('Idempotency-Key', 'bad-input-1')
      .send({ kind: 'SUPPLIER' });
    expectProblem(retry, 422, 'VALIDATION_FAILED');
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('refuses a malformed key', async () => {
    expectProblem(
      await createKey(anchor, 'x'.repeat(256), 'too long'),
      400,
      'INVALID_IDEMPOTENCY_KEY',
    );
    expectProblem(await createKey(anchor, 'has space', 'space'), 400, 'INVALID_IDEMPOTENCY_KEY');
  });
});
