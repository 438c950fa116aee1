import { randomUUID } from 'node:crypto';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import { JobName } from '../../src/common/jobs/job-registry';
import { WEBHOOK_ATTEMPTS } from '../../src/common/jobs/retry-policy';
import { WebhookDeliveryJobs } from '../../src/webhooks/webhook-delivery.jobs';
import { signWebhook, verifyWebhookSignature } from '../../src/webhooks/webhook-signature';
import {
  bearer,
  countRows,
  createTenant,
  eventually,
  expectProblem,
  expectStatus,
  type Tenant,
} from '../support/fixtures';
import { disbursedFinancing, financingWorld, PAYMENT_DATE } from '../support/financing-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { tradeWorld, type TradeWorld } from '../support/trade-fixtures';
import { verifiedInvoice, type InvoiceBody } from '../support/ubl-fixtures';
import { WebhookReceiver, type WebhookBody } from '../support/webhook-receiver';

interface WebhookView {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
  deactivatedAt: string | null;
}

interface CreatedWebhook extends WebhookView {
  secret: string;
}

interface DeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  event: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED' | 'CANCELLED';
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}

const VIEW_FIELDS = ['active', 'createdAt', 'deactivatedAt', 'events', 'id', 'url'];
const DELIVERY_FIELDS = [
  'attempts',
  'createdAt',
  'data',
  'deliveredAt',
  'event',
  'eventId',
  'id',
  'lastAttemptAt',
  'lastError',
  'occurredAt',
  'responseStatus',
  'status',
  'webhookId',
];

/** Short backoff so a retried delivery lands within the test: 0.3 s, 0.6 s, 1.2 s … */
const BACKOFF_MS = 300;

describe('webhooks: signed deliveries of events to organisations’ endpoints', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let world: TradeWorld;
  let stranger: Tenant;

  beforeAll(async () => {
    t = await startTestApp({
      env: { WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_BACKOFF_BASE_MS: String(BACKOFF_MS) },
    });
    receiver = new WebhookReceiver();
    await receiver.start();
    world = await tradeWorld(t);
    stranger = await createTenant(t, OrganizationKind.SUPPLIER, {
      platformToken: world.platform,
      roles: [Role.VIEWER],
    });
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  const post = (path: string, token: string | null, body?: object, key?: string) => {
    const request = t.http().post(`/api/v1${path}`);
    if (token) request.set(...bearer(token));
    if (key) request.set('Idempotency-Key', key);
    return body === undefined ? request : request.send(body);
  };
  const get = (path: string, token: string | null) => {
    const request = t.http().get(`/api/v1${path}`);
    if (token) request.set(...bearer(token));
    return request;
  };
  const del = (path: string, token: string | null, key?: string) => {
    const request = t.http().delete(`/api/v1${path}`);
    if (token) request.set(...bearer(token));
    if (key) request.set('Idempotency-Key', key);
    return request;
  };

  /** Registers a webhook of `tenant` to the receiver's `path`, which then trusts its secret. */
  async function registered(
    tenant: Tenant,
    path: string,
    events: string[],
    into: WebhookReceiver = receiver,
  ): Promise<CreatedWebhook> {
    const response = await post('/webhooks', tenant.admin.token, { url: into.url(path), events });
    expectStatus(response, 201);
    const webhook = response.body as CreatedWebhook;
    into.trust(path, webhook.secret);
    return webhook;
  }

  async function deliveries(
    tenant: Tenant,
    webhookId: string,
    query = '',
  ): Promise<DeliveryView[]> {
    const response = await get(`/webhooks/${webhookId}/deliveries${query}`, tenant.admin.token);
    expectStatus(response, 200);
    return response.body.items as DeliveryView[];
  }

  const deliveryWhere = (
    tenant: Tenant,
    webhookId: string,
    match: (delivery: DeliveryView) => boolean,
    what: string,
    timeoutMs = 20_000,
  ) => eventually(async () => (await deliveries(tenant, webhookId)).find(match), timeoutMs, what);

  /** The anchor confirms a freshly verified invoice: the supplier is told `invoice.confirmed`. */
  async function confirmInvoice(trade: TradeWorld): Promise<InvoiceBody> {
    const invoice = await verifiedInvoice(t, trade);
    expectStatus(
      await post(`/invoices/${invoice.id}/confirm`, trade.anchor.admin.token, {
        confirmedAmount: '50000.00',
        paymentDate: PAYMENT_DATE,
      }),
      200,
    );
    return invoice;
  }

  /** What a webhook request may write: scoped to webhooks, so background work does not count. */
  const webhookWrites = async () => ({
    webhooks: await countRows(t, 'webhooks'),
    deliveries: await countRows(t, 'webhook_deliveries'),
    audit: await countRows(t, 'audit_events', `action LIKE 'webhook%'`),
    outbox: await countRows(
      t,
      'outbox_messages',
      `job_name = $1 OR (job_name = $2 AND payload->>'type' LIKE 'WEBHOOK_%')`,
      [JobName.DELIVER_WEBHOOK, JobName.NOTIFY_ORGANIZATION],
    ),
    idempotency: await countRows(t, 'idempotency_records'),
  });

  describe('POST /webhooks', () => {
    it('registers a webhook for the ADMIN and shows its secret once; the secret is stored encrypted, never in clear', async () => {
      const url = receiver.url('/register-happy');
      const response = await post('/webhooks', world.supplier.admin.token, {
        url: `  ${url}  `,
        events: ['invoice.confirmed', 'financing.disbursed'],
      });
      expectStatus(response, 201);
      const created = response.body as CreatedWebhook;
      expect(created).toEqual({
        id: expect.any(String),
        url,
        events: ['invoice.confirmed', 'financing.disbursed'],
        active: true,
        createdAt: expect.any(String),
        deactivatedAt: null,
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      });
      const [row] = (await t.db.query(
        'SELECT organization_id, secret_sealed, created_by FROM webhooks WHERE id = $1',
        [created.id],
      )) as Array<{ organization_id: string; secret_sealed: string; created_by: string }>;
      expect(row.organization_id).toBe(world.supplier.id);
      expect(row.secret_sealed).toMatch(/^v1\./);
      // the secret is nowhere in the database in clear: not the row, the audit trail, the
      // outbox, the notifications or the idempotency records
      const secretPart = created.secret.slice('whsec_'.length);
      for (const table of [
        'webhooks',
        'audit_events',
        'outbox_messages',
        'notifications',
        'idempotency_records',
      ])
        expect(await countRows(t, table, `${table}::text LIKE $1`, [`%${secretPart}%`])).toBe(0);
      const [event] = (await t.db.query(
        `SELECT organization_id, data FROM audit_events WHERE action = 'webhook.created' AND entity_id = $1`,
        [created.id],
      )) as Array<{ organization_id: string; data: Record<string, unknown> }>;
      expect(event).toEqual({
        organization_id: world.supplier.id,
        data: { url, events: ['invoice.confirmed', 'financing.disbursed'] },
      });
      // announced to the organisation: a new place its data goes to
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'WEBHOOK_CREATED' AND data->>'webhookId' = $2`,
            [world.supplier.id, created.id],
          )) === 1,
        15_000,
        'WEBHOOK_CREATED notification',
      );
    });

    it.each([
      ['an unknown event', { events: ['invoice.paid'] }, ['events:IS_IN']],
      [
        'a notification type instead of an event',
        { events: ['INVOICE_CONFIRMED'] },
        ['events:IS_IN'],
      ],
      ['no events', { events: [] }, ['events:ARRAY_MIN_SIZE']],
      [
        'events twice',
        { events: ['invoice.confirmed', 'invoice.confirmed'] },
        ['events:ARRAY_UNIQUE'],
      ],
      [
        'events as a string',
        { events: 'invoice.confirmed' },
        [
          'events:ARRAY_MAX_SIZE',
          'events:ARRAY_MIN_SIZE',
          'events:ARRAY_UNIQUE',
          'events:IS_ARRAY',
        ],
      ],
      ['no url', { url: undefined }, ['url:IS_STRING', 'url:MAX_LENGTH']],
      ['a url that is not a URL', { url: 'hooks.example.com/scf' }, ['url:URL_FORMAT']],
      ['an ftp url', { url: 'ftp://hooks.example.com/scf' }, ['url:URL_SCHEME']],
      [
        'a url with credentials',
        { url: 'https://erp:secret@hooks.example.com/scf' },
        ['url:URL_CREDENTIALS'],
      ],
      [
        'a url too long',
        { url: `https://hooks.example.com/${'a'.repeat(2048)}` },
        ['url:MAX_LENGTH'],
      ],
      ['a url as a number', { url: 8080 }, ['url:IS_STRING', 'url:MAX_LENGTH']],
      ['a url in 10/8', { url: 'http://10.0.0.5/hook' }, ['url:URL_ADDRESS_NOT_ALLOWED']],
      [
        'a url in 192.168/16',
        { url: 'https://192.168.1.20:8443/hook' },
        ['url:URL_ADDRESS_NOT_ALLOWED'],
      ],
      [
        'the cloud metadata address',
        { url: 'http://169.254.169.254/latest/meta-data' },
        ['url:URL_ADDRESS_NOT_ALLOWED'],
      ],
      [
        'a unique-local IPv6 url',
        { url: 'http://[fd00::1]/hook' },
        ['url:URL_ADDRESS_NOT_ALLOWED'],
      ],
      [
        'an IPv4-mapped private IPv6 url',
        { url: 'http://[::ffff:172.16.0.1]/hook' },
        ['url:URL_ADDRESS_NOT_ALLOWED'],
      ],
      [
        '0.0.0.0, which reaches this host',
        { url: 'http://0.0.0.0:3000/hook' },
        ['url:URL_ADDRESS_NOT_ALLOWED'],
      ],
      ['an unknown field', { secret: 'mine' }, ['secret:UNKNOWN_FIELD']],
    ])(
      'refuses %s with 422 problem+json naming the field, writing nothing',
      async (_what, change, expected) => {
        const before = await webhookWrites();
        const body = { url: receiver.url('/refused'), events: ['invoice.confirmed'], ...change };
        const problem = expectProblem(
          await post('/webhooks', world.supplier.admin.token, body),
          422,
          'VALIDATION_FAILED',
        );
        const codes = (problem.errors as Array<{ field: string; code: string }>)
          .map((error) => `${error.field}:${error.code}`)
          .sort();
        expect(codes).toEqual([...new Set(expected)].sort());
        expect(await webhookWrites()).toEqual(before);
      },
    );

    it('says why a private address is refused', async () => {
      const problem = expectProblem(
        await post('/webhooks', world.supplier.admin.token, {
          url: 'http://172.20.0.7:9000/hook',
          events: ['invoice.confirmed'],
        }),
        422,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual([
        {
          field: 'url',
          code: 'URL_ADDRESS_NOT_ALLOWED',
          message:
            'url host 172.20.0.7 resolves to 172.20.0.7, a private address; webhooks may only reach public addresses',
        },
      ]);
    });

    it('refuses loopback when WEBHOOK_ALLOW_LOOPBACK is not set (another API process on the same database)', async () => {
      const strict = await startTestApp({
        database: t.database,
        // the same server secret, so the supplier's token is good there too
        env: { WORKER_EMBEDDED: 'false', JWT_SECRET: t.config.jwt.secret },
      });
      try {
        expect(strict.config.webhooks.allowLoopback).toBe(false);
        const before = await webhookWrites();
        for (const url of [
          receiver.url('/strict'),
          `http://localhost:${receiver.port}/strict`,
          `http://[::1]:${receiver.port}/strict`,
          `http://2130706433:${receiver.port}/strict`,
        ]) {
          const response = await strict
            .http()
            .post('/api/v1/webhooks')
            .set(...bearer(world.supplier.admin.token))
            .send({ url, events: ['invoice.confirmed'] });
          const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
          expect(problem.errors).toEqual([
            expect.objectContaining({
              field: 'url',
              code: 'URL_ADDRESS_NOT_ALLOWED',
              message: expect.stringContaining('loopback needs WEBHOOK_ALLOW_LOOPBACK=true'),
            }),
          ]);
        }
        expect(await webhookWrites()).toEqual(before);
      } finally {
        await strict.stopApp();
      }
    });

    it('answers 403 to a non-ADMIN and 401 without credentials, writing nothing', async () => {
      const before = await webhookWrites();
      const body = { url: receiver.url('/forbidden'), events: ['invoice.confirmed'] };
      for (const role of [Role.OPERATOR, Role.VIEWER])
        expectProblem(
          await post('/webhooks', world.supplier.members[role]!.token, body),
          403,
          'FORBIDDEN',
        );
      expectProblem(await post('/webhooks', null, body), 401, 'UNAUTHENTICATED');
      expect(await webhookWrites()).toEqual(before);
    });

    it('replays a repeated Idempotency-Key with the same secret (stored sealed), one webhook; another body is refused', async () => {
      const body = { url: receiver.url('/idempotent'), events: ['invoice.rejected'] };
      const first = await post('/webhooks', world.supplier.admin.token, body, 'webhook-create-1');
      expectStatus(first, 201);
      const afterFirst = await webhookWrites();
      const again = await post('/webhooks', world.supplier.admin.token, body, 'webhook-create-1');
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await webhookWrites()).toEqual(afterFirst);
      const [record] = (await t.db.query(
        `SELECT response_body::text AS body FROM idempotency_records WHERE organization_id = $1 AND key = 'webhook-create-1'`,
        [world.supplier.id],
      )) as Array<{ body: string }>;
      expect(record.body).toContain('"sealed"');
      expect(record.body).not.toContain((first.body as CreatedWebhook).secret);
      expectProblem(
        await post(
          '/webhooks',
          world.supplier.admin.token,
          { ...body, events: ['invoice.confirmed'] },
          'webhook-create-1',
        ),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await webhookWrites()).toEqual(afterFirst);
    });
  });

  describe('GET /webhooks and /webhooks/:id', () => {
    let own: Tenant;
    let created: CreatedWebhook[];

    beforeAll(async () => {
      own = await createTenant(t, OrganizationKind.FINANCIER, {
        platformToken: world.platform,
        roles: [Role.VIEWER],
      });
      created = [];
      for (const events of [
        ['financing.accepted'],
        ['document.ready', 'alert.raised'],
        ['pledge.active'],
      ])
        created.push(await registered(own, `/list-${created.length}`, events));
    });

    it('lists the organisation’s own webhooks, newest first, never their secrets', async () => {
      const response = await get('/webhooks', own.admin.token);
      expectStatus(response, 200);
      const items = response.body.items as WebhookView[];
      expect(items.map((item) => item.id)).toEqual(created.map((webhook) => webhook.id).reverse());
      for (const item of items) expect(Object.keys(item).sort()).toEqual(VIEW_FIELDS);
      expect(JSON.stringify(response.body)).not.toContain('whsec_');
      expect(response.body.nextCursor).toBeNull();
      const page = await get('/webhooks?limit=2', own.admin.token);
      expect((page.body.items as WebhookView[]).map((item) => item.id)).toEqual([
        created[2].id,
        created[1].id,
      ]);
      const rest = await get(
        `/webhooks?limit=2&cursor=${encodeURIComponent(page.body.nextCursor as string)}`,
        own.admin.token,
      );
      expect(rest.body).toEqual({
        items: [expect.objectContaining({ id: created[0].id })],
        nextCursor: null,
      });
    });

    it('shows one webhook to its ADMIN', async () => {
      const response = await get(`/webhooks/${created[1].id}`, own.admin.token);
      expectStatus(response, 200);
      const { secret: _secret, ...view } = created[1];
      expect(response.body).toEqual(view);
    });

    it('answers 404 for another organisation’s webhook, 403 to a non-ADMIN, 401 without credentials, 422 for a bad page', async () => {
      expectProblem(
        await get(`/webhooks/${created[0].id}`, stranger.admin.token),
        404,
        'NOT_FOUND',
      );
      expectProblem(await get(`/webhooks/${created[0].id}`, world.platform), 404, 'NOT_FOUND');
      expectProblem(await get(`/webhooks/${randomUUID()}`, own.admin.token), 404, 'NOT_FOUND');
      expectProblem(await get('/webhooks/not-a-uuid', own.admin.token), 404, 'NOT_FOUND');
      const strangers = await get('/webhooks', stranger.admin.token);
      expectStatus(strangers, 200);
      expect((strangers.body.items as WebhookView[]).map((item) => item.id)).not.toEqual(
        expect.arrayContaining([created[0].id]),
      );
      expectProblem(await get('/webhooks', own.members.VIEWER!.token), 403, 'FORBIDDEN');
      expectProblem(
        await get(`/webhooks/${created[0].id}`, own.members.VIEWER!.token),
        403,
        'FORBIDDEN',
      );
      expectProblem(await get('/webhooks', null), 401, 'UNAUTHENTICATED');
      expectProblem(await get('/webhooks?limit=0', own.admin.token), 422, 'VALIDATION_FAILED');
    });
  });

  describe('delivery', () => {
    it('delivers a real event signed: the anchor confirms an invoice, the supplier’s receiver verifies it with the docs’ helper', async () => {
      const trade = await tradeWorld(t);
      const supplierHook = await registered(trade.supplier, '/supplier', [
        'invoice.verified',
        'invoice.confirmed',
      ]);
      // the anchor listens for rejections only: a confirmation is not its event
      const anchorHook = await registered(trade.anchor, '/anchor', ['invoice.rejected']);
      const before = Math.floor(Date.now() / 1000);
      const invoice = await confirmInvoice(trade);

      const confirmed = await deliveryWhere(
        trade.supplier,
        supplierHook.id,
        (delivery) => delivery.event === 'invoice.confirmed' && delivery.status === 'DELIVERED',
        'invoice.confirmed delivered',
      );
      expect(Object.keys(confirmed).sort()).toEqual(DELIVERY_FIELDS);
      expect(confirmed).toMatchObject({
        webhookId: supplierHook.id,
        attempts: 1,
        responseStatus: 200,
        lastError: null,
        data: { invoiceId: invoice.id, title: expect.stringContaining(invoice.number) },
      });
      // the event id is the supplier's notification of the confirmation: stable, deduplicable
      const [notification] = (await t.db.query(
        `SELECT n.id, a.occurred_at FROM notifications n JOIN audit_events a ON a.id = n.event_id
          WHERE n.organization_id = $1 AND n.type = 'INVOICE_CONFIRMED' AND n.data->>'invoiceId' = $2`,
        [trade.supplier.id, invoice.id],
      )) as Array<{ id: string; occurred_at: Date }>;
      expect(confirmed.eventId).toBe(notification.id);
      expect(confirmed.occurredAt).toBe(notification.occurred_at.toISOString());

      const request = receiver.requests.find(
        (received) => received.headers['x-scf-event-id'] === confirmed.eventId,
      )!;
      expect(request.check).toEqual({ valid: true });
      expect(request.headers).toMatchObject({
        'content-type': 'application/json',
        'x-scf-event': 'invoice.confirmed',
        'x-scf-event-id': confirmed.eventId,
        'x-scf-delivery-id': confirmed.id,
        'x-scf-signature': signWebhook(
          supplierHook.secret,
          request.headers['x-scf-timestamp'] as string,
          request.rawBody,
        ),
      });
      const timestamp = Number(request.headers['x-scf-timestamp']);
      expect(timestamp).toBeGreaterThanOrEqual(before);
      expect(timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
      expect(JSON.parse(request.rawBody)).toEqual({
        id: confirmed.eventId,
        event: 'invoice.confirmed',
        occurredAt: confirmed.occurredAt,
        organizationId: trade.supplier.id,
        data: confirmed.data,
      });
      const events = receiver.eventsAt('/supplier').map((body: WebhookBody) => body.event);
      expect(events.sort()).toEqual(['invoice.confirmed', 'invoice.verified']);
      // the anchor was told the invoice was verified, but subscribed to rejections only
      expect(await deliveries(trade.anchor, anchorHook.id)).toEqual([]);
      expect(receiver.requests.filter((received) => received.path === '/anchor')).toEqual([]);
    });

    it('has the receiver’s helper reject a tampered body, another secret, a forged signature and a replay', async () => {
      const request = receiver.requests.find(
        (received) => received.path === '/supplier' && received.check.valid,
      )!;
      const secret = receiver.secretFor('/supplier');
      const genuine = {
        secret,
        timestamp: request.headers['x-scf-timestamp'] as string,
        body: request.rawBody,
        signature: request.headers['x-scf-signature'] as string,
      };
      expect(verifyWebhookSignature(genuine)).toEqual({ valid: true });
      const tampered = request.rawBody.replace(
        /"invoiceId":"[^"]+"/,
        `"invoiceId":"${randomUUID()}"`,
      );
      expect(tampered).not.toBe(request.rawBody);
      expect(verifyWebhookSignature({ ...genuine, body: tampered })).toEqual({
        valid: false,
        reason: 'SIGNATURE_MISMATCH',
      });
      expect(verifyWebhookSignature({ ...genuine, secret: 'whsec_not-the-secret' })).toMatchObject({
        valid: false,
      });
      expect(
        verifyWebhookSignature({
          ...genuine,
          signature: signWebhook('guess', genuine.timestamp, tampered),
        }),
      ).toMatchObject({ valid: false, reason: 'SIGNATURE_MISMATCH' });
      // the same request recorded and played again ten minutes later
      expect(
        verifyWebhookSignature({ ...genuine, now: new Date(Date.now() + 10 * 60_000) }),
      ).toEqual({ valid: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' });
      // and a request so tampered, sent to the receiver, is refused there (401)
      const response = await fetch(receiver.url('/supplier'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-scf-event-id': request.headers['x-scf-event-id'] as string,
          'x-scf-timestamp': genuine.timestamp,
          'x-scf-signature': genuine.signature,
        },
        body: tampered,
      });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('bad signature: SIGNATURE_MISMATCH');
    });

    it('retries while the receiver is down and delivers once it is up: each event id accepted once after deduplication', async () => {
      const trade = await tradeWorld(t);
      const flaky = new WebhookReceiver();
      await flaky.start();
      const hook = await registered(trade.supplier, '/down-then-up', ['invoice.confirmed'], flaky);
      await flaky.stop();
      await confirmInvoice(trade);
      // refused connections, logged on the delivery, retried with backoff
      const failing = await deliveryWhere(
        trade.supplier,
        hook.id,
        (delivery) => delivery.attempts >= 2,
        'two failed attempts',
      );
      expect(failing).toMatchObject({
        status: 'PENDING',
        responseStatus: null,
        lastError: expect.stringMatching(/^ECONNREFUSED/),
        deliveredAt: null,
      });
      // up again on the same port, first answering 503 after taking the event (a receiver that
      // crashed before answering): the retry brings the same event id again
      let answered = 0;
      flaky.answer = () => (answered++ === 0 ? 503 : 200);
      await flaky.start(flaky.port);
      const delivered = await deliveryWhere(
        trade.supplier,
        hook.id,
        (delivery) => delivery.status === 'DELIVERED',
        'delivered after the receiver came back',
        30_000,
      );
      expect(delivered.attempts).toBeGreaterThanOrEqual(failing.attempts + 2);
      expect(delivered).toMatchObject({ responseStatus: 200, deliveredAt: expect.any(String) });
      const arrivals = flaky.requests.filter(
        (received) => received.headers['x-scf-event-id'] === delivered.eventId,
      );
      expect(arrivals.map((received) => received.status)).toEqual([503, 200]);
      expect(arrivals.every((received) => received.check.valid)).toBe(true);
      // a resend brings it a third time; the receiver still acted on it once
      expectStatus(
        await post(`/webhook-deliveries/${delivered.id}/resend`, trade.supplier.admin.token),
        202,
      );
      await eventually(
        async () =>
          flaky.requests.filter(
            (received) => received.headers['x-scf-event-id'] === delivered.eventId,
          ).length === 3,
        15_000,
        'the resent delivery',
      );
      expect(flaky.eventsAt('/down-then-up').map((body) => body.id)).toEqual([delivered.eventId]);
      await flaky.stop();
    });

    it('fails a delivery at once when the receiver refuses it (4xx), and delivers it on resend with the same event id', async () => {
      const trade = await tradeWorld(t);
      const hook = await registered(trade.supplier, '/gone', ['invoice.confirmed']);
      receiver.answer = (request) => (request.path === '/gone' ? 410 : 200);
      try {
        await confirmInvoice(trade);
        const failed = await deliveryWhere(
          trade.supplier,
          hook.id,
          (delivery) => delivery.status === 'FAILED',
          'a refused delivery',
        );
        expect(failed).toMatchObject({
          attempts: 1,
          responseStatus: 410,
          lastError: 'HTTP 410: ok',
        });
      } finally {
        receiver.answer = null;
      }
      const [failed] = await deliveries(trade.supplier, hook.id);
      const resent = await post(
        `/webhook-deliveries/${failed.id}/resend`,
        trade.supplier.admin.token,
      );
      expectStatus(resent, 202);
      expect(resent.body).toMatchObject({
        id: failed.id,
        eventId: failed.eventId,
        status: 'PENDING',
      });
      const delivered = await deliveryWhere(
        trade.supplier,
        hook.id,
        (delivery) => delivery.status === 'DELIVERED',
        'the resent delivery',
      );
      expect(delivered).toMatchObject({
        eventId: failed.eventId,
        attempts: 2,
        responseStatus: 200,
        lastError: 'HTTP 410: ok',
      });
      const arrivals = receiver.requests.filter((received) => received.path === '/gone');
      expect(arrivals.map((received) => received.headers['x-scf-event-id'])).toEqual([
        failed.eventId,
        failed.eventId,
      ]);
      expect(
        await countRows(
          t,
          'audit_events',
          `action = 'webhook_delivery.resent' AND entity_id = $1`,
          [failed.id],
        ),
      ).toBe(1);
    });

    it('checks the address again at delivery time: a URL that now leads to a private address is not called', async () => {
      const trade = await tradeWorld(t);
      const hook = await registered(trade.supplier, '/moved', ['invoice.confirmed']);
      // as if its DNS name now pointed into the organisation's own network
      await t.db.query(`UPDATE webhooks SET url = 'http://10.11.12.13:8080/hook' WHERE id = $1`, [
        hook.id,
      ]);
      await confirmInvoice(trade);
      const failed = await deliveryWhere(
        trade.supplier,
        hook.id,
        (delivery) => delivery.status === 'FAILED',
        'a delivery refused by the address rule',
      );
      expect(failed).toMatchObject({
        attempts: 1,
        responseStatus: null,
        lastError:
          'url host 10.11.12.13 resolves to 10.11.12.13, a private address; webhooks may only reach public addresses',
      });
    });

    it('gives up after the last attempt, and a job of a superseded send does nothing', async () => {
      expect(WEBHOOK_ATTEMPTS).toBe(8);
      // Waiting out eight tries takes ~40 s at this backoff; instead run the handler as the last
      // attempt would, through the worker's own job handler.
      const trade = await tradeWorld(t);
      const flaky = new WebhookReceiver();
      await flaky.start();
      const hook = await registered(trade.supplier, '/last-attempt', ['invoice.confirmed'], flaky);
      await flaky.stop();
      await confirmInvoice(trade);
      const pending = await deliveryWhere(
        trade.supplier,
        hook.id,
        (delivery) => delivery.attempts >= 1,
        'a first failed attempt',
      );
      const jobs = t.app.get(WebhookDeliveryJobs);
      // a resend moves the delivery to generation 2: a job still carrying generation 1 stops
      expectStatus(
        await post(`/webhook-deliveries/${pending.id}/resend`, trade.supplier.admin.token),
        202,
      );
      expect(
        await jobs.deliver(
          { deliveryId: pending.id, generation: 1 },
          { jobId: 'stale', attempt: 2 },
        ),
      ).toEqual({ status: 'SKIPPED' });
      const result = await jobs.deliver(
        { deliveryId: pending.id, generation: 2 },
        { jobId: 'last', attempt: WEBHOOK_ATTEMPTS },
      );
      expect(result).toEqual({ status: 'FAILED', responseStatus: null });
      const [failed] = (await deliveries(trade.supplier, hook.id)).filter(
        (d) => d.id === pending.id,
      );
      expect(failed).toMatchObject({
        status: 'FAILED',
        lastError: expect.stringMatching(/^ECONNREFUSED/),
      });
      // nothing for the platform's dead letters: the endpoint is the organisation's to fix
      expect(
        await countRows(t, 'job_failures', `job_name = $1 AND payload->>'deliveryId' = $2`, [
          JobName.DELIVER_WEBHOOK,
          pending.id,
        ]),
      ).toBe(0);
    });

    it('carries a financing’s events to the parties: offers, acceptance, approval, payout and its documents', async () => {
      const finance = await financingWorld(t);
      const all = [
        'invoice.verified',
        'invoice.confirmed',
        'financing_request.offered',
        'financing.accepted',
        'financing.approved',
        'financing.disbursed',
        'document.ready',
      ];
      await registered(finance.supplier, '/flow-supplier', all);
      await registered(finance.financier, '/flow-financier', all);
      await registered(finance.anchor, '/flow-anchor', all);
      const financing = await disbursedFinancing(t, finance);
      const expected = {
        '/flow-supplier': [
          'invoice.verified',
          'invoice.confirmed',
          'financing_request.offered',
          'financing.approved',
          'financing.disbursed',
          'document.ready',
        ],
        '/flow-financier': ['financing.accepted', 'document.ready'],
        '/flow-anchor': ['invoice.verified', 'document.ready'],
      };
      for (const [path, events] of Object.entries(expected))
        await eventually(
          async () => {
            const got = new Set(receiver.eventsAt(path).map((body) => body.event));
            return events.every((event) => got.has(event));
          },
          30_000,
          `${events.join(', ')} at ${path}`,
        );
      const notice = receiver
        .eventsAt('/flow-anchor')
        .find((body) => body.event === 'document.ready' && body.data.kind === 'ASSIGNMENT_NOTICE');
      expect(notice?.data).toMatchObject({
        kind: 'ASSIGNMENT_NOTICE',
        subjectId: financing.id,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      for (const path of Object.keys(expected))
        expect(receiver.requests.filter((r) => r.path === path).every((r) => r.check.valid)).toBe(
          true,
        );
    });
  });

  describe('GET /webhooks/:id/deliveries', () => {
    let trade: TradeWorld;
    let hook: CreatedWebhook;

    beforeAll(async () => {
      trade = await tradeWorld(t);
      hook = await registered(trade.supplier, '/log', ['invoice.confirmed']);
      for (let i = 0; i < 3; i++) await confirmInvoice(trade);
      await eventually(
        async () =>
          (await deliveries(trade.supplier, hook.id)).filter((d) => d.status === 'DELIVERED')
            .length === 3,
        20_000,
        'three deliveries',
      );
    });

    it('pages the log newest first and filters by status', async () => {
      const all = await deliveries(trade.supplier, hook.id);
      expect(all).toHaveLength(3);
      const first = await get(
        `/webhooks/${hook.id}/deliveries?limit=2`,
        trade.supplier.admin.token,
      );
      expectStatus(first, 200);
      expect((first.body.items as DeliveryView[]).map((d) => d.id)).toEqual([all[0].id, all[1].id]);
      const rest = await get(
        `/webhooks/${hook.id}/deliveries?limit=2&cursor=${encodeURIComponent(first.body.nextCursor as string)}`,
        trade.supplier.admin.token,
      );
      expect((rest.body.items as DeliveryView[]).map((d) => d.id)).toEqual([all[2].id]);
      expect(await deliveries(trade.supplier, hook.id, '?status=DELIVERED')).toHaveLength(3);
      expect(await deliveries(trade.supplier, hook.id, '?status=FAILED')).toEqual([]);
    });

    it('answers 404 for another organisation’s webhook, 403 to a non-ADMIN, 401 without credentials, 422 for a bad query', async () => {
      for (const token of [stranger.admin.token, trade.anchor.admin.token, world.platform]) {
        const problem = expectProblem(
          await get(`/webhooks/${hook.id}/deliveries`, token),
          404,
          'NOT_FOUND',
        );
        expect(JSON.stringify(problem)).not.toContain(hook.url);
      }
      expectProblem(
        await get(`/webhooks/not-a-uuid/deliveries`, trade.supplier.admin.token),
        404,
        'NOT_FOUND',
      );
      for (const role of [Role.OPERATOR, Role.VIEWER])
        expectProblem(
          await get(`/webhooks/${hook.id}/deliveries`, trade.supplier.members[role]!.token),
          403,
          'FORBIDDEN',
        );
      expectProblem(await get(`/webhooks/${hook.id}/deliveries`, null), 401, 'UNAUTHENTICATED');
      const problem = expectProblem(
        await get(
          `/webhooks/${hook.id}/deliveries?status=LOST&limit=0`,
          trade.supplier.admin.token,
        ),
        422,
        'VALIDATION_FAILED',
      );
      expect(
        (problem.errors as Array<{ field: string }>).map((error) => error.field).sort(),
      ).toEqual(['limit', 'status']);
    });
  });

  describe('POST /webhook-deliveries/:id/resend', () => {
    let trade: TradeWorld;
    let delivery: DeliveryView;

    beforeAll(async () => {
      trade = await tradeWorld(t);
      const hook = await registered(trade.supplier, '/resend', ['invoice.confirmed']);
      await confirmInvoice(trade);
      delivery = await deliveryWhere(
        trade.supplier,
        hook.id,
        (d) => d.status === 'DELIVERED',
        'a delivery to resend',
      );
    });

    it('answers 404 for another organisation’s delivery, 403 to a non-ADMIN, 401 without credentials, writing nothing', async () => {
      const before = await webhookWrites();
      for (const token of [stranger.admin.token, trade.anchor.admin.token, world.platform])
        expectProblem(
          await post(`/webhook-deliveries/${delivery.id}/resend`, token),
          404,
          'NOT_FOUND',
        );
      expectProblem(
        await post(`/webhook-deliveries/${randomUUID()}/resend`, trade.supplier.admin.token),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await post('/webhook-deliveries/not-a-uuid/resend', trade.supplier.admin.token),
        404,
        'NOT_FOUND',
      );
      for (const role of [Role.OPERATOR, Role.VIEWER])
        expectProblem(
          await post(
            `/webhook-deliveries/${delivery.id}/resend`,
            trade.supplier.members[role]!.token,
          ),
          403,
          'FORBIDDEN',
        );
      expectProblem(
        await post(`/webhook-deliveries/${delivery.id}/resend`, null),
        401,
        'UNAUTHENTICATED',
      );
      expect(await webhookWrites()).toEqual(before);
    });

    it('replays a repeated Idempotency-Key: one resend, one job', async () => {
      const jobs = () =>
        countRows(t, 'outbox_messages', `job_name = $1 AND payload->>'deliveryId' = $2`, [
          JobName.DELIVER_WEBHOOK,
          delivery.id,
        ]);
      const before = await jobs();
      const first = await post(
        `/webhook-deliveries/${delivery.id}/resend`,
        trade.supplier.admin.token,
        undefined,
        'resend-1',
      );
      expectStatus(first, 202);
      const again = await post(
        `/webhook-deliveries/${delivery.id}/resend`,
        trade.supplier.admin.token,
        undefined,
        'resend-1',
      );
      expectStatus(again, 202);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await jobs()).toBe(before + 1);
      await eventually(
        async () =>
          receiver.requests.filter((r) => r.headers['x-scf-event-id'] === delivery.eventId)
            .length === 2,
        15_000,
        'one resent request',
      );
      expect(receiver.eventsAt('/resend').map((body) => body.id)).toEqual([delivery.eventId]);
    });
  });

  describe('DELETE /webhooks/:id', () => {
    it('deactivates: pending deliveries are cancelled, nothing more is delivered, the log stays; again is 409', async () => {
      const trade = await tradeWorld(t);
      const flaky = new WebhookReceiver();
      await flaky.start();
      const hook = await registered(trade.supplier, '/to-delete', ['invoice.confirmed'], flaky);
      await flaky.stop();
      await confirmInvoice(trade);
      const pending = await deliveryWhere(
        trade.supplier,
        hook.id,
        (d) => d.attempts >= 1 && d.status === 'PENDING',
        'a pending delivery',
      );
      const response = await del(`/webhooks/${hook.id}`, trade.supplier.admin.token);
      expectStatus(response, 200);
      expect(response.body).toMatchObject({
        id: hook.id,
        active: false,
        deactivatedAt: expect.any(String),
      });
      await flaky.start(flaky.port);
      const [cancelled] = await deliveries(trade.supplier, hook.id);
      expect(cancelled).toMatchObject({ id: pending.id, status: 'CANCELLED' });
      // a new event records no delivery for it, and the pending one is never sent (its next
      // retry, due within a few backoff steps, finds the delivery cancelled)
      await confirmInvoice(trade);
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'INVOICE_CONFIRMED'`,
            [trade.supplier.id],
          )) === 2,
        15_000,
        'the second confirmation notified',
      );
      await new Promise((resolve) => setTimeout(resolve, 8 * BACKOFF_MS));
      expect(await deliveries(trade.supplier, hook.id)).toEqual([cancelled]);
      expect(flaky.requests).toEqual([]);
      await flaky.stop();
      expectProblem(
        await post(`/webhook-deliveries/${pending.id}/resend`, trade.supplier.admin.token),
        409,
        'WEBHOOK_DEACTIVATED',
      );
      expectProblem(
        await del(`/webhooks/${hook.id}`, trade.supplier.admin.token),
        409,
        'WEBHOOK_DEACTIVATED',
      );
      expect(
        await countRows(t, 'audit_events', `action = 'webhook.deactivated' AND entity_id = $1`, [
          hook.id,
        ]),
      ).toBe(1);
    });

    it('answers 404 for another organisation’s webhook, 403 to a non-ADMIN, 401 without credentials, and replays a repeated Idempotency-Key', async () => {
      const hook = await registered(world.supplier, '/delete-matrix', ['pledge.released']);
      const before = await webhookWrites();
      expectProblem(await del(`/webhooks/${hook.id}`, stranger.admin.token), 404, 'NOT_FOUND');
      expectProblem(
        await del(`/webhooks/not-a-uuid`, world.supplier.admin.token),
        404,
        'NOT_FOUND',
      );
      for (const role of [Role.OPERATOR, Role.VIEWER])
        expectProblem(
          await del(`/webhooks/${hook.id}`, world.supplier.members[role]!.token),
          403,
          'FORBIDDEN',
        );
      expectProblem(await del(`/webhooks/${hook.id}`, null), 401, 'UNAUTHENTICATED');
      expect(await webhookWrites()).toEqual(before);
      const first = await del(`/webhooks/${hook.id}`, world.supplier.admin.token, 'delete-1');
      expectStatus(first, 200);
      const again = await del(`/webhooks/${hook.id}`, world.supplier.admin.token, 'delete-1');
      expectStatus(again, 200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
    });
  });
});
