import { OrganizationKind } from '../../src/common/auth/roles';
import {
  createTenant,
  expectProblem,
  expectStatus,
  PASSWORD,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

describe('login: POST /api/v1/auth/login', () => {
  let t: TestApp;
  let supplier: Tenant;

  beforeAll(async () => {
    // Addresses come from X-Forwarded-For here so one test process can act as many clients.
    t = await startTestApp({ env: { TRUST_PROXY: 'true' } });
    supplier = await createTenant(t, OrganizationKind.SUPPLIER);
  });
  afterAll(() => t.close());

  const attempt = (email: string, password: string, address = '198.51.100.1') =>
    t.http().post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ email, password });

  it('issues a short-lived bearer token for the right password (e-mail case does not matter)', async () => {
    const response = await attempt(supplier.admin.email.toUpperCase(), PASSWORD);
    expectStatus(response, 200);
    expect(response.body).toEqual({
      accessToken: expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+$/),
      expiresIn: 900,
      tokenType: 'Bearer',
    });
  });

  it('ignores an Idempotency-Key: every login is its own event and issues its own token', async () => {
    const first = await attempt(supplier.admin.email, PASSWORD, '198.51.100.3').set(
      'Idempotency-Key',
      'login-1',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a later second, so the token's iat differs
    const second = await attempt(supplier.admin.email, PASSWORD, '198.51.100.3').set(
      'Idempotency-Key',
      'login-1',
    );
    expectStatus(first, 200);
    expectStatus(second, 200);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.accessToken).not.toBe(first.body.accessToken);
  });

  it('answers a wrong password and an unknown e-mail alike: 401 INVALID_CREDENTIALS', async () => {
    const wrong = expectProblem(
      await attempt(supplier.admin.email, 'wrong-password-1', '198.51.100.2'),
      401,
      'INVALID_CREDENTIALS',
    );
    const unknown = expectProblem(
      await attempt('nobody@nowhere.test', PASSWORD, '198.51.100.2'),
      401,
      'INVALID_CREDENTIALS',
    );
    expect(wrong.detail).toBe(unknown.detail);
  });

  it('refuses bad input with 422 naming each field', async () => {
    const problem = expectProblem(
      await t.http().post('/api/v1/auth/login').send({ email: 'not-an-email' }),
      422,
      'VALIDATION_FAILED',
    );
    expect(
      [...new Set((problem.errors as Array<{ field: string }>).map((error) => error.field))].sort(),
    ).toEqual(['email', 'password']);
  });

  it('after 10 failures for one account from one address, refuses even the right password with 429', async () => {
    const address = '198.51.100.10';
    for (let i = 0; i < 10; i++)
      expectProblem(
        await attempt(supplier.admin.email, `wrong-${i}-password`, address),
        401,
        'INVALID_CREDENTIALS',
      );
    const blocked = await attempt(supplier.admin.email, PASSWORD, address);
    expectProblem(blocked, 429, 'TOO_MANY_LOGIN_FAILURES');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    // The same account from another address, and another account from this address, still work.
    expectStatus(await attempt(supplier.admin.email, PASSWORD, '198.51.100.11'), 200);
    const other = await createTenant(t, OrganizationKind.ANCHOR);
    expectStatus(await attempt(other.admin.email, PASSWORD, address), 200);
  });

  it('records failed logins of a known account in its audit chain', async () => {
    const before = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action = 'auth.login_failed'`,
      [supplier.id],
    );
    expectProblem(
      await attempt(supplier.admin.email, 'wrong-password-x', '198.51.100.30'),
      401,
      'INVALID_CREDENTIALS',
    );
    const after = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action = 'auth.login_failed'`,
      [supplier.id],
    );
    expect(after[0].n).toBe(before[0].n + 1);
  });

  it('a success clears the failure count', async () => {
    const address = '198.51.100.20';
    for (let i = 0; i < 9; i++) await attempt(supplier.admin.email, `wrong-${i}-password`, address);
    expectStatus(await attempt(supplier.admin.email, PASSWORD, address), 200);
    for (let i = 0; i < 9; i++)
      expectProblem(
        await attempt(supplier.admin.email, `wrong-${i}-again`, address),
        401,
        'INVALID_CREDENTIALS',
      );
    expectStatus(await attempt(supplier.admin.email, PASSWORD, address), 200);
  });

  it('does not throttle 120 successful logins a minute from one address', async () => {
    const address = '198.51.100.40';
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++)
      statuses.push((await attempt(supplier.admin.email, PASSWORD, address)).status);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  it('keeps the failure count in Redis, so a second API instance refuses too', async () => {
    const address = '198.51.100.50';
    for (let i = 0; i < 10; i++)
      await attempt(supplier.admin.email, `wrong-${i}-password`, address);
    const second = await startTestApp({
      database: t.database,
      env: {
        TRUST_PROXY: 'true',
        QUEUE_PREFIX: t.config.queuePrefix,
        WORKER_EMBEDDED: 'false',
        JWT_SECRET: t.config.jwt.secret,
      },
    });
    try {
      const response = await second
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', address)
        .send({ email: supplier.admin.email, password: PASSWORD });
      expectProblem(response, 429, 'TOO_MANY_LOGIN_FAILURES');
    } finally {
      await second.stopApp();
    }
  });
});

describe('login flood limit per address', () => {
  let t: TestApp;
  let supplier: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'true', LOGIN_RATE_PER_MINUTE: '120' } });
    supplier = await createTenant(t, OrganizationKind.SUPPLIER);
  });
  afterAll(() => t.close());

  it('refuses the 121st attempt from one address within a minute with 429 RATE_LIMITED', async () => {
    const send = () =>
      t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '203.0.113.7')
        .send({ email: supplier.admin.email, password: PASSWORD });
    for (let i = 0; i < 120; i++) expectStatus(await send(), 200);
    const refused = await send();
    expectProblem(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
