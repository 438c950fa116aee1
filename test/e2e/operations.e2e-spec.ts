import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeOpenApi } from '../../src/bootstrap/openapi-document';
import { OrganizationKind } from '../../src/common/auth/roles';
import { projectRoot } from '../../src/infra/project-root';
import {
  createTenant,
  expectProblem,
  expectStatus,
  PASSWORD,
  platformAdminToken,
} from '../support/fixtures';
import { PLATFORM_ADMIN, startTestApp, type TestApp } from '../support/test-app';

describe('operations: health, metrics, OpenAPI, queue dashboard, errors', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { BODY_LIMIT: '64kb' } });
  });
  afterAll(() => t.close());

  describe('health', () => {
    it('is live and ready with PostgreSQL and Redis up, without credentials', async () => {
      expect((await t.http().get('/health/live')).body).toEqual({ status: 'ok' });
      const ready = await t.http().get('/health/ready');
      expectStatus(ready, 200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        details: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    });
  });

  describe('metrics', () => {
    it('exposes HTTP latency, job durations, queue depths and the outbox backlog in Prometheus format', async () => {
      await createTenant(t, OrganizationKind.SUPPLIER);
      // Wait until the onboarding notification job has run, so its duration is observed.
      const scrape = async () => (await t.http().get('/metrics')).text;
      let text = await scrape();
      for (
        let i = 0;
        i < 100 && !/scf_job_duration_seconds_count\{[^}]*outcome="completed"/.test(text);
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        text = await scrape();
      }
      expect(text).toMatch(/# TYPE scf_http_request_duration_seconds histogram/);
      expect(text).toMatch(
        /scf_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/organizations",status="201"\} [1-9]/,
      );
      expect(text).toMatch(
        /scf_job_duration_seconds_count\{queue="notifications",job="notify-organization",outcome="completed"\} [1-9]/,
      );
      expect(text).toMatch(/scf_queue_jobs\{queue="notifications",state="completed"\} [1-9]/);
      expect(text).toMatch(/scf_outbox_pending \d+/);
      expect(text).toMatch(/scf_process_cpu_seconds_total/);
    });
  });

  describe('OpenAPI', () => {
    it('serves the document at /docs-json and the UI at /docs', async () => {
      const json = await t.http().get('/docs-json');
      expectStatus(json, 200);
      expect(json.body.openapi).toMatch(/^3\./);
      const ui = await t.http().get('/docs/');
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
    });

    it('docs/openapi.json matches the code (run `npm run openapi` after changing an endpoint)', async () => {
      const served = serializeOpenApi((await t.http().get('/docs-json')).body);
      const committed = readFileSync(join(projectRoot(), 'docs', 'openapi.json'), 'utf8');
      expect(committed).toBe(served);
    });

    it('documents the contract’s paths, the Idempotency-Key header and problem responses', async () => {
      const document = (await t.http().get('/docs-json')).body as {
        paths: Record<
          string,
          Record<
            string,
            { parameters?: Array<{ name: string }>; responses: Record<string, unknown> }
          >
        >;
      };
      for (const path of [
        '/api/v1/auth/login',
        '/api/v1/me',
        '/api/v1/organizations',
        '/api/v1/organizations/{id}',
        '/api/v1/organizations/{id}/users',
        '/api/v1/api-keys',
        '/api/v1/api-keys/{id}',
        '/api/v1/audit/events',
        '/api/v1/audit/verify',
      ]) {
        expect(Object.keys(document.paths)).toContain(path);
      }
      const create = document.paths['/api/v1/organizations'].post;
      expect(create.parameters?.map((parameter) => parameter.name)).toContain('Idempotency-Key');
      expect(create.responses.default).toMatchObject({
        content: { 'application/problem+json': expect.any(Object) },
      });
    });
  });

  describe('queue dashboard', () => {
    it('sends an anonymous browser to the sign-in page', async () => {
      const response = await t.http().get('/admin/queues');
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/admin/login');
      const page = await t.http().get('/admin/login');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<form method="post" action="/admin/login">');
    });

    it('lets a platform ADMIN in through the sign-in form (HttpOnly cookie) and lists the queues', async () => {
      const signIn = await t
        .http()
        .post('/admin/login')
        .type('form')
        .send({ email: PLATFORM_ADMIN.email, password: PLATFORM_ADMIN.password });
      expect(signIn.status).toBe(303);
      expect(signIn.headers.location).toBe('/admin/queues');
      const cookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? [])[0];
      expect(cookie).toMatch(
        /^scf_admin=.+; Max-Age=900; Path=\/admin; Expires=.+; HttpOnly; SameSite=Strict$/,
      );
      const page = await t.http().get('/admin/queues').set('Cookie', cookie.split(';')[0]);
      expect(page.status).toBe(200);
      const queues = await t
        .http()
        .get('/admin/queues/api/queues')
        .set('Cookie', cookie.split(';')[0]);
      expect(queues.status).toBe(200);
      expect(
        (queues.body.queues as Array<{ name: string }>).map((queue) => queue.name).sort(),
      ).toEqual(['documents', 'maintenance', 'notifications', 'offers', 'verification']);
    });

    it('refuses everyone else: 403 for a tenant ADMIN, back to sign-in for a bad token', async () => {
      const anchor = await createTenant(t, OrganizationKind.ANCHOR);
      expect(
        (
          await t
            .http()
            .get('/admin/queues/api/queues')
            .set('Authorization', `Bearer ${anchor.admin.token}`)
        ).status,
      ).toBe(403);
      expect(
        (await t.http().get('/admin/queues/api/queues').set('Cookie', 'scf_admin=forged')).status,
      ).toBe(303);
      const wrong = await t
        .http()
        .post('/admin/login')
        .type('form')
        .send({ email: anchor.admin.email, password: 'wrong-password-1' });
      expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
      const tenantSignIn = await t
        .http()
        .post('/admin/login')
        .type('form')
        .send({ email: anchor.admin.email, password: PASSWORD });
      const cookie = ([] as string[]).concat(tenantSignIn.headers['set-cookie'] ?? [])[0];
      expect(
        (await t.http().get('/admin/queues/api/queues').set('Cookie', cookie.split(';')[0])).status,
      ).toBe(403);
    });
  });

  describe('errors are problem+json', () => {
    it('malformed JSON is a 400 problem, not a 500', async () => {
      const token = await platformAdminToken(t);
      const response = await t
        .http()
        .post('/api/v1/organizations')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send('{"kind": "ANCHOR",');
      expectProblem(response, 400, 'MALFORMED_JSON');
    });

    it('a body over BODY_LIMIT is a 413 problem', async () => {
      const token = await platformAdminToken(t);
      const response = await t
        .http()
        .post('/api/v1/organizations')
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'x'.repeat(70_000) });
      expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('an unknown route is a 404 problem carrying the request id', async () => {
      const response = await t
        .http()
        .get('/api/v1/no-such-thing')
        .set('X-Request-Id', 'req-12345678');
      const problem = expectProblem(response, 404, 'ROUTE_NOT_FOUND');
      expect(problem.instance).toBe('req-12345678');
      expect(response.headers['x-request-id']).toBe('req-12345678');
    });

    it('every response carries a request id', async () => {
      const response = await t.http().get('/health/live');
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
