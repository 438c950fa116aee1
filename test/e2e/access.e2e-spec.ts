import { randomUUID } from 'node:crypto';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  bearer,
  createTenant,
  expectProblem,
  expectStatus,
  platformAdminToken,
  type Tenant,
} from '../support/fixtures';
import { listRoutes, type RouteInfo } from '../support/routes';
import { startTestApp, type TestApp } from '../support/test-app';
import { decodeJwtPayload, forgeJwt } from '../support/tokens';

describe('access: deny by default, authentication, tokens', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  let supplier: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    routes = listRoutes(t.app);
    supplier = await createTenant(t, OrganizationKind.SUPPLIER, { roles: [Role.VIEWER] });
  });
  afterAll(() => t.close());

  it('finds the routes of every controller', () => {
    const served = routes.map((route) => `${route.method} ${route.path}`);
    expect(served).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'GET /api/v1/me',
        'POST /api/v1/organizations',
        'GET /api/v1/organizations/:id',
        'POST /api/v1/organizations/:id/users',
        'POST /api/v1/api-keys',
        'DELETE /api/v1/api-keys/:id',
        'GET /api/v1/audit/verify',
        'GET /health/ready',
      ]),
    );
  });

  it('every route declares an access rule (a new route without one fails here)', () => {
    const undeclared = routes
      .filter((route) => route.rule === undefined)
      .map((route) => route.handler);
    expect(undeclared).toEqual([]);
  });

  it('public routes are exactly login, health, metrics and the dashboard sign-in', () => {
    const open = routes
      .filter((route) => route.rule?.public)
      .map((route) => `${route.method} ${route.path}`);
    expect(open.sort()).toEqual(
      [
        'POST /api/v1/auth/login',
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
        'GET /admin/login',
        'POST /admin/login',
      ].sort(),
    );
  });

  it('every other route answers 401 problem+json without credentials', async () => {
    const closed = routes.filter((route) => !route.rule?.public);
    expect(closed.length).toBeGreaterThan(8);
    for (const route of closed) {
      const path = route.path.replace(/:[A-Za-z]+/g, randomUUID());
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      const response = await t.http()[method](path).send({});
      expect({
        route: `${route.method} ${route.path}`,
        status: response.status,
        code: response.body?.code,
      }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  describe('access tokens', () => {
    const me = (token: string) =>
      t
        .http()
        .get('/api/v1/me')
        .set(...bearer(token));

    it('accepts the token the login issued', async () => {
      expectStatus(await me(supplier.admin.token), 200);
    });

    it('refuses alg "none", a wrong signature, a wrong audience or issuer, and an expired token', async () => {
      const claims = decodeJwtPayload(supplier.admin.token);
      const secret = t.config.jwt.secret;
      const now = Math.floor(Date.now() / 1000);
      const forged = {
        'alg none': forgeJwt({ alg: 'none', typ: 'JWT' }, claims, null),
        'wrong secret': forgeJwt(
          { alg: 'HS256', typ: 'JWT' },
          claims,
          'not-the-secret-not-the-secret-xx',
        ),
        'wrong audience': forgeJwt(
          { alg: 'HS256', typ: 'JWT' },
          { ...claims, aud: 'someone-else' },
          secret,
        ),
        'wrong issuer': forgeJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'evil' }, secret),
        expired: forgeJwt(
          { alg: 'HS256', typ: 'JWT' },
          { ...claims, iat: now - 3600, exp: now - 60 },
          secret,
        ),
        'HS512 (another algorithm)': forgeJwt({ alg: 'HS512', typ: 'JWT' }, claims, secret),
        'not an access token': forgeJwt(
          { alg: 'HS256', typ: 'JWT' },
          { ...claims, typ: 'refresh' },
          secret,
        ),
        'another organisation claimed': forgeJwt(
          { alg: 'HS256', typ: 'JWT' },
          { ...claims, org: randomUUID() },
          secret,
        ),
        'unknown user': forgeJwt(
          { alg: 'HS256', typ: 'JWT' },
          { ...claims, sub: randomUUID() },
          secret,
        ),
        garbage: 'not.a.jwt',
      };
      for (const [what, token] of Object.entries(forged)) {
        const response = await me(token);
        expect({ what, status: response.status }).toEqual({ what, status: 401 });
        expectProblem(response, 401, 'UNAUTHENTICATED');
      }
    });

    it('refuses a token whose user was deactivated', async () => {
      const viewer = supplier.members.VIEWER!;
      expectStatus(await me(viewer.token), 200);
      await t.db.query('UPDATE users SET active = false WHERE email = $1', [viewer.email]);
      expectProblem(await me(viewer.token), 401, 'UNAUTHENTICATED');
    });

    it('refuses a malformed Authorization header', async () => {
      expectProblem(
        await t.http().get('/api/v1/me').set('Authorization', `Token ${supplier.admin.token}`),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('reads roles fresh on every request, not from the token', async () => {
      const platform = await platformAdminToken(t);
      const before = await t
        .http()
        .get('/api/v1/audit/verify')
        .set(...bearer(platform));
      expectStatus(before, 200);
      await t.db.query(`UPDATE users SET roles = ARRAY['VIEWER'] WHERE email = $1`, [
        'platform-admin@scf.test',
      ]);
      try {
        expectProblem(
          await t
            .http()
            .get('/api/v1/audit/verify')
            .set(...bearer(platform)),
          403,
          'FORBIDDEN',
        );
      } finally {
        await t.db.query(`UPDATE users SET roles = ARRAY['ADMIN'] WHERE email = $1`, [
          'platform-admin@scf.test',
        ]);
      }
    });
  });
});
