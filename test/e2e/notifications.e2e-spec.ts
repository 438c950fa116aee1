import type { Job } from 'bullmq';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import { JobName, QueueName } from '../../src/common/jobs/job-registry';
import { QueueRegistry } from '../../src/common/jobs/queue-registry';
import {
  addMember,
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
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

interface NotificationView {
  id: string;
  type: string;
  title: string;
  data: Record<string, unknown>;
  eventId: string;
  createdAt: string;
  readAt: string | null;
}

const VIEW_FIELDS = ['createdAt', 'data', 'eventId', 'id', 'readAt', 'title', 'type'];

describe('notifications: GET /api/v1/notifications, POST /api/v1/notifications/:id/read', () => {
  let t: TestApp;
  let platform: string;
  let anchor: Tenant;
  let supplier: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdminToken(t);
    anchor = await createTenant(t, OrganizationKind.ANCHOR, {
      platformToken: platform,
      roles: [Role.VIEWER, Role.OPERATOR],
    });
    supplier = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform });
  });
  afterAll(() => t.close());

  const notificationsQueue = () => t.app.get(QueueRegistry).get(QueueName.NOTIFICATIONS);

  async function list(token: string, query = 'limit=200'): Promise<NotificationView[]> {
    const response = await t
      .http()
      .get(`/api/v1/notifications?${query}`)
      .set(...bearer(token));
    expectStatus(response, 200);
    expect(response.body.nextCursor).toBeNull();
    return response.body.items as NotificationView[];
  }

  /** The audit event an action recorded for an entity (what a notification is keyed by). */
  async function auditEventId(action: string, entityId: string): Promise<string> {
    const rows = (await t.db.query(
      'SELECT id FROM audit_events WHERE action = $1 AND entity_id = $2',
      [action, entityId],
    )) as Array<{ id: string }>;
    expect(rows).toHaveLength(1);
    return rows[0].id;
  }

  /** The outbox row that carries the notification for an audit event. */
  async function outboxRowFor(eventId: string): Promise<{ id: string; relayed_at: Date | null }> {
    const rows = (await t.db.query(
      `SELECT id, relayed_at FROM outbox_messages
        WHERE job_name = $1 AND queue = $2 AND payload->>'eventId' = $3`,
      [JobName.NOTIFY_ORGANIZATION, QueueName.NOTIFICATIONS, eventId],
    )) as Array<{ id: string; relayed_at: Date | null }>;
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  async function completedJob(jobId: string): Promise<Job> {
    return eventually(
      async () => {
        const job = await notificationsQueue().getJob(jobId);
        return job && (await job.getState()) === 'completed' ? job : undefined;
      },
      15_000,
      `job ${jobId} completed`,
    );
  }

  /** Waits until every notification queued for the organisation so far has been delivered. */
  async function settled(organizationId: string): Promise<void> {
    await eventually(
      async () =>
        (await countRows(
          t,
          'outbox_messages',
          `job_name = $1 AND payload->>'organizationId' = $2`,
          [JobName.NOTIFY_ORGANIZATION, organizationId],
        )) === (await countRows(t, 'notifications', 'organization_id = $1', [organizationId])),
      15_000,
      `notifications of ${organizationId} delivered`,
    );
  }

  const waitFor = (token: string, match: (item: NotificationView) => boolean, what: string) =>
    eventually(async () => (await list(token)).find(match), 15_000, what);

  const markRead = (token: string, id: string) =>
    t
      .http()
      .post(`/api/v1/notifications/${id}/read`)
      .set(...bearer(token));

  describe('delivery', () => {
    it('delivers ORGANIZATION_ONBOARDED to a new organisation through outbox → relay → BullMQ → worker', async () => {
      const tenant = await createTenant(t, OrganizationKind.FINANCIER, {
        platformToken: platform,
        name: '江南商业银行 Jiangnan Commercial Bank',
      });
      const eventId = await auditEventId('organization.created', tenant.id);
      // 1. the outbox row was written with the change
      const row = await outboxRowFor(eventId);
      // 2. the relay marks it relayed once it is in BullMQ …
      await eventually(
        async () => (await outboxRowFor(eventId)).relayed_at !== null,
        15_000,
        'outbox row relayed',
      );
      // 3. … as a job whose id is the outbox row id, which the worker completes
      const job = await completedJob(row.id);
      expect(job.name).toBe(JobName.NOTIFY_ORGANIZATION);
      expect(job.data).toMatchObject({ eventId, organizationId: tenant.id });
      expect(job.returnvalue).toEqual({ delivered: true });
      // 4. and the organisation sees the notification
      const notification = await waitFor(
        tenant.admin.token,
        (item) => item.type === 'ORGANIZATION_ONBOARDED',
        'ORGANIZATION_ONBOARDED in the list',
      );
      expect(Object.keys(notification).sort()).toEqual(VIEW_FIELDS);
      expect(notification).toMatchObject({
        eventId,
        title: expect.stringContaining('江南商业银行 Jiangnan Commercial Bank'),
        data: { organizationId: tenant.id, kind: 'FINANCIER' },
        readAt: null,
      });
      expect(
        await countRows(t, 'notifications', 'organization_id = $1 AND event_id = $2', [
          tenant.id,
          eventId,
        ]),
      ).toBe(1);
    });

    it('delivers USER_ADDED after a user is added, keyed by its user.created event', async () => {
      const member = await addMember(t, anchor, [Role.APPROVER]);
      const eventId = await auditEventId('user.created', member.id);
      const notification = await waitFor(
        anchor.admin.token,
        (item) => item.type === 'USER_ADDED' && item.data.userId === member.id,
        'USER_ADDED',
      );
      expect(notification).toMatchObject({
        eventId,
        data: { userId: member.id, roles: ['APPROVER'] },
        title: expect.stringContaining(member.email),
        readAt: null,
      });
    });
  });

  describe('GET', () => {
    it('shows each tenant only its own notifications, newest first', async () => {
      await settled(anchor.id);
      await settled(supplier.id);
      for (const tenant of [anchor, supplier]) {
        const items = await list(tenant.admin.token);
        const own = (await t.db.query('SELECT id FROM notifications WHERE organization_id = $1', [
          tenant.id,
        ])) as Array<{ id: string }>;
        expect(new Set(items.map((item) => item.id))).toEqual(new Set(own.map((row) => row.id)));
        const created = items.map((item) => Date.parse(item.createdAt));
        expect([...created].sort((a, b) => b - a)).toEqual(created);
      }
      const supplierIds = (await list(supplier.admin.token)).map((item) => item.id);
      const anchorIds = (await list(anchor.admin.token)).map((item) => item.id);
      expect(anchorIds.filter((id) => supplierIds.includes(id))).toEqual([]);
      const onboarded = (await list(supplier.admin.token)).find(
        (item) => item.type === 'ORGANIZATION_ONBOARDED',
      );
      expect(onboarded?.data.organizationId).toBe(supplier.id);
    });

    it('is open to every member and to API keys of the organisation (there is no wrong role)', async () => {
      const viewerItems = await list(anchor.members.VIEWER!.token);
      expect(viewerItems.length).toBeGreaterThan(0);
      const key = await createApiKey(t, anchor, { roles: [Role.VIEWER] });
      const response = await t
        .http()
        .get('/api/v1/notifications?limit=200')
        .set(...apiKeyHeader(key.key));
      expectStatus(response, 200);
      const ids = (response.body.items as NotificationView[]).map((item) => item.id);
      expect(ids).toEqual(expect.arrayContaining(viewerItems.map((item) => item.id)));
      const supplierIds = (await list(supplier.admin.token)).map((item) => item.id);
      expect(ids.filter((id) => supplierIds.includes(id))).toEqual([]);
    });

    it('refuses a bad unread filter or limit with 422', async () => {
      for (const [query, field] of [
        ['unread=maybe', 'unread'],
        ['limit=201', 'limit'],
        ['cursor=garbage', 'cursor'],
      ]) {
        const problem = expectProblem(
          await t
            .http()
            .get(`/api/v1/notifications?${query}`)
            .set(...bearer(anchor.admin.token)),
          422,
          'VALIDATION_FAILED',
        );
        expect(problem.errors).toEqual([expect.objectContaining({ field })]);
      }
    });

    it('needs credentials: 401 without any', async () => {
      expectProblem(await t.http().get('/api/v1/notifications'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('POST /:id/read', () => {
    /** A fresh unread notification of the anchor (a USER_ADDED for a new member). */
    async function freshNotification(): Promise<NotificationView> {
      const member = await addMember(t, anchor, [Role.VIEWER]);
      return waitFor(
        anchor.admin.token,
        (item) => item.type === 'USER_ADDED' && item.data.userId === member.id,
        'fresh USER_ADDED',
      );
    }

    it('sets readAt, and ?unread=true hides the notification while the full list keeps it', async () => {
      const notification = await freshNotification();
      expect((await list(anchor.admin.token, 'unread=true&limit=200')).map((i) => i.id)).toContain(
        notification.id,
      );
      const response = await markRead(anchor.admin.token, notification.id);
      expectStatus(response, 200);
      expect(response.body).toEqual({ ...notification, readAt: expect.any(String) });
      const readAt = response.body.readAt as string;
      expect(Number.isNaN(Date.parse(readAt))).toBe(false);

      const unread = await list(anchor.admin.token, 'unread=true&limit=200');
      expect(unread.map((item) => item.id)).not.toContain(notification.id);
      for (const item of unread) expect(item.readAt).toBeNull();
      const all = await list(anchor.admin.token, 'unread=false&limit=200');
      expect(all).toContainEqual({ ...notification, readAt });
      expect(
        await countRows(t, 'notifications', 'id = $1 AND read_at IS NOT NULL', [notification.id]),
      ).toBe(1);

      // marking again keeps the first reading time
      const again = await markRead(anchor.admin.token, notification.id);
      expectStatus(again, 200);
      expect(again.body.readAt).toBe(readAt);
    });

    it('is open to every role of the organisation (no wrong role exists): a VIEWER marks read', async () => {
      const notification = await freshNotification();
      const response = await markRead(anchor.members.VIEWER!.token, notification.id);
      expectStatus(response, 200);
      expect(response.body).toMatchObject({ id: notification.id, readAt: expect.any(String) });
    });

    it('answers 404 for another tenant’s notification, with none of its data, and leaves it unread', async () => {
      const notification = await freshNotification();
      const before = await snapshotCounts(t, ['idempotency_records', 'audit_events']);
      const response = await markRead(supplier.admin.token, notification.id);
      const problem = expectProblem(response, 404, 'NOT_FOUND');
      const text = JSON.stringify(problem);
      expect(text).not.toContain(notification.title);
      expect(text).not.toContain(notification.eventId);
      expect(text).not.toContain(String(notification.data.userId));
      expect(
        await countRows(t, 'notifications', 'id = $1 AND read_at IS NULL', [notification.id]),
      ).toBe(1);
      expect(await snapshotCounts(t, ['idempotency_records', 'audit_events'])).toEqual(before);
      // the platform ADMIN does not read tenants' notifications either
      expectProblem(await markRead(platform, notification.id), 404, 'NOT_FOUND');
      expect(
        await countRows(t, 'notifications', 'id = $1 AND read_at IS NULL', [notification.id]),
      ).toBe(1);
    });

    it('answers 404 for an unknown id and for one that is not a UUID', async () => {
      expectProblem(
        await markRead(anchor.admin.token, '00000000-0000-4000-8000-000000000000'),
        404,
        'NOT_FOUND',
      );
      expectProblem(await markRead(anchor.admin.token, 'not-a-uuid'), 404, 'NOT_FOUND');
    });

    it('needs credentials: 401 without any, and the notification stays unread', async () => {
      const notification = await freshNotification();
      expectProblem(
        await t.http().post(`/api/v1/notifications/${notification.id}/read`),
        401,
        'UNAUTHENTICATED',
      );
      expect(
        await countRows(t, 'notifications', 'id = $1 AND read_at IS NULL', [notification.id]),
      ).toBe(1);
    });

    it('replays the first response for a repeated Idempotency-Key; the key on another notification is refused', async () => {
      const notification = await freshNotification();
      const send = (id: string) =>
        markRead(anchor.admin.token, id).set('Idempotency-Key', 'read-1');
      const first = await send(notification.id);
      expectStatus(first, 200);
      expect(first.body.readAt).toEqual(expect.any(String));
      const again = await send(notification.id);
      expectStatus(again, 200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);

      const other = await freshNotification();
      expectProblem(await send(other.id), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await countRows(t, 'notifications', 'id = $1 AND read_at IS NULL', [other.id])).toBe(
        1,
      );
    });
  });

  describe('once per event', () => {
    it('a relayed outbox row relayed again is recognised by its job id: still one notification', async () => {
      const tenant = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform });
      const eventId = await auditEventId('organization.created', tenant.id);
      const row = await outboxRowFor(eventId);
      const job = await completedJob(row.id);
      const finishedOn = job.finishedOn;
      expect(
        await countRows(t, 'notifications', 'organization_id = $1 AND event_id = $2', [
          tenant.id,
          eventId,
        ]),
      ).toBe(1);

      await t.db.query('UPDATE outbox_messages SET relayed_at = NULL WHERE id = $1', [row.id]);
      await eventually(
        async () => (await outboxRowFor(eventId)).relayed_at !== null,
        15_000,
        'outbox row relayed again',
      );
      // The add with the same job id was a no-op: the job is the one that completed before.
      const after = await completedJob(row.id);
      expect(after.finishedOn).toBe(finishedOn);
      expect(
        await countRows(t, 'notifications', 'organization_id = $1 AND event_id = $2', [
          tenant.id,
          eventId,
        ]),
      ).toBe(1);
    });

    it('a job that runs again for the same event (its BullMQ record gone) delivers nothing new', async () => {
      const tenant = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform });
      const eventId = await auditEventId('organization.created', tenant.id);
      const row = await outboxRowFor(eventId);
      const first = await completedJob(row.id);
      expect(first.returnvalue).toEqual({ delivered: true });
      const [notification] = (await t.db.query(
        'SELECT id FROM notifications WHERE organization_id = $1 AND event_id = $2',
        [tenant.id, eventId],
      )) as Array<{ id: string }>;
      expect(notification).toBeDefined();

      // Forget the completed job (as after its retention), then relay the row again.
      await first.remove();
      expect(await notificationsQueue().getJob(row.id)).toBeUndefined();
      await t.db.query('UPDATE outbox_messages SET relayed_at = NULL WHERE id = $1', [row.id]);

      const second = await eventually(
        async () => {
          const job = await notificationsQueue().getJob(row.id);
          return job && (await job.getState()) === 'completed' ? job : undefined;
        },
        15_000,
        'the job to run a second time',
      );
      expect(second.returnvalue).toEqual({ delivered: false });
      const rows = (await t.db.query(
        'SELECT id FROM notifications WHERE organization_id = $1 AND event_id = $2',
        [tenant.id, eventId],
      )) as Array<{ id: string }>;
      expect(rows).toEqual([{ id: notification.id }]);
    });
  });
});
