import { auditLinkHash, GENESIS_HASH } from '../../src/common/audit/audit-chain';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  addMember,
  apiKeyHeader,
  bearer,
  countRows,
  createApiKey,
  createTenant,
  expectProblem,
  expectStatus,
  login,
  platformAdminToken,
  platformTenant,
  type Member,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

interface AuditEventView {
  id: string;
  organizationId: string;
  seq: string;
  prevHash: string;
  hash: string;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

interface Verification {
  valid: boolean;
  checked: number;
  chains: number;
  firstBrokenId: string | null;
  broken: { eventId: string | null; organizationId: string; seq: string; reason: string } | null;
}

const bySeq = (a: AuditEventView, b: AuditEventView): number =>
  BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0;

/** Asserts that `events` (one organisation's whole chain) link up from the genesis hash. */
function expectLinkedChain(events: AuditEventView[]): void {
  const chain = [...events].sort(bySeq);
  expect(chain.length).toBeGreaterThan(0);
  let previous = GENESIS_HASH;
  chain.forEach((event, index) => {
    expect(event.seq).toBe(String(index + 1));
    expect(event.prevHash).toBe(previous);
    expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
    // The hash covers the event as the API shows it, so anyone can recompute it.
    expect(auditLinkHash(event)).toBe(event.hash);
    previous = event.hash;
  });
}

async function verify(t: TestApp, token: string, query = ''): Promise<Verification> {
  const response = await t
    .http()
    .get(`/api/v1/audit/verify${query}`)
    .set(...bearer(token));
  expectStatus(response, 200);
  return response.body as Verification;
}

async function listEvents(t: TestApp, token: string, query = ''): Promise<AuditEventView[]> {
  const response = await t
    .http()
    .get(`/api/v1/audit/events?limit=200${query}`)
    .set(...bearer(token));
  expectStatus(response, 200);
  expect(response.body.nextCursor).toBeNull();
  return response.body.items as AuditEventView[];
}

describe('audit: GET /api/v1/audit/events and GET /api/v1/audit/verify', () => {
  let t: TestApp;
  let platform: string;
  let platformAdminId: string;
  let platformOperator: Member;
  let anchor: Tenant;
  let supplier: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdminToken(t);
    const platformOrg = await platformTenant(t, platform);
    platformAdminId = platformOrg.admin.id;
    platformOperator = await addMember(t, platformOrg, [Role.OPERATOR]);
    anchor = await createTenant(t, OrganizationKind.ANCHOR, {
      platformToken: platform,
      roles: [Role.OPERATOR, Role.VIEWER],
    });
    supplier = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform });
  });
  afterAll(() => t.close());

  describe('GET /audit/events', () => {
    it('lists a tenant its whole chain and nothing else, linked by seq, prevHash and hash, newest first', async () => {
      const events = await listEvents(t, anchor.admin.token);
      for (const event of events) expect(event.organizationId).toBe(anchor.id);
      const own = (await t.db.query('SELECT id FROM audit_events WHERE organization_id = $1', [
        anchor.id,
      ])) as Array<{ id: string }>;
      expect(new Set(events.map((event) => event.id))).toEqual(new Set(own.map((row) => row.id)));
      expectLinkedChain(events);
      const times = events.map((event) => Date.parse(event.occurredAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      // The chain starts with the onboarding, done by the platform ADMIN.
      expect([...events].sort(bySeq)[0]).toMatchObject({
        seq: '1',
        action: 'organization.created',
        entityType: 'organization',
        entityId: anchor.id,
        actorType: 'USER',
        actorId: platformAdminId,
      });
    });

    it('shows another tenant none of those events', async () => {
      const anchorIds = new Set((await listEvents(t, anchor.admin.token)).map((e) => e.id));
      const events = await listEvents(t, supplier.admin.token);
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        expect(event.organizationId).toBe(supplier.id);
        expect(anchorIds.has(event.id)).toBe(false);
      }
      expectLinkedChain(events);
      // Filtering by the anchor's own entity does not reach into its chain.
      expect(await listEvents(t, supplier.admin.token, `&entityId=${anchor.id}`)).toEqual([]);
    });

    it('filters by entityType and entityId', async () => {
      const operator = anchor.members.OPERATOR!;
      const events = await listEvents(
        t,
        anchor.admin.token,
        `&entityType=user&entityId=${operator.id}`,
      );
      expect(events.length).toBe(
        await countRows(
          t,
          'audit_events',
          `organization_id = $1 AND entity_type = 'user' AND entity_id = $2`,
          [anchor.id, operator.id],
        ),
      );
      for (const event of events)
        expect(event).toMatchObject({ entityType: 'user', entityId: operator.id });
      expect(events.map((event) => event.action)).toEqual(
        expect.arrayContaining(['user.created', 'auth.login_succeeded']),
      );

      const organizations = await listEvents(t, anchor.admin.token, '&entityType=organization');
      expect(organizations.map((event) => [event.action, event.entityId])).toEqual([
        ['organization.created', anchor.id],
      ]);
    });

    it('pages with a cursor without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await t
          .http()
          .get(`/api/v1/audit/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(...bearer(anchor.admin.token));
        expectStatus(page, 200);
        seen.push(...(page.body.items as AuditEventView[]).map((event) => event.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(
        await countRows(t, 'audit_events', 'organization_id = $1', [anchor.id]),
      );
    });

    it('is open to every member and API key of the organisation (there is no wrong role)', async () => {
      const viewer = await listEvents(t, anchor.members.VIEWER!.token);
      expect(viewer.length).toBeGreaterThan(0);
      for (const event of viewer) expect(event.organizationId).toBe(anchor.id);
      const key = await createApiKey(t, anchor, { roles: [Role.VIEWER] });
      const response = await t
        .http()
        .get(`/api/v1/audit/events?entityType=api_key&entityId=${key.id}`)
        .set(...apiKeyHeader(key.key));
      expectStatus(response, 200);
      expect(response.body.items).toEqual([
        expect.objectContaining({
          organizationId: anchor.id,
          action: 'api_key.created',
          entityId: key.id,
          data: { name: key.name, prefix: key.prefix, roles: ['VIEWER'] },
        }),
      ]);
    });

    it.each([
      ['an entityType over 64 characters', `entityType=${'x'.repeat(65)}`, 'entityType'],
      ['a limit of 0', 'limit=0', 'limit'],
      ['an unknown parameter', 'actor=me', 'actor'],
      ['a cursor it did not issue', 'cursor=garbage', 'cursor'],
    ])('refuses %s with 422 naming it', async (_what, query, field) => {
      const problem = expectProblem(
        await t
          .http()
          .get(`/api/v1/audit/events?${query}`)
          .set(...bearer(anchor.admin.token)),
        422,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ field })]);
    });

    it('needs credentials: 401 without any', async () => {
      expectProblem(await t.http().get('/api/v1/audit/events'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('GET /audit/verify', () => {
    it('recomputes every chain for the platform ADMIN: valid, with every event checked', async () => {
      const result = await verify(t, platform);
      expect(result).toEqual({
        valid: true,
        checked: await countRows(t, 'audit_events'),
        chains: await countRows(t, 'audit_chain_heads'),
        firstBrokenId: null,
        broken: null,
      });
      expect(result.checked).toBeGreaterThan(0);
      expect(result.chains).toBeGreaterThanOrEqual(3);
    });

    it('restricts verification to one chain with ?organizationId=', async () => {
      const result = await verify(t, platform, `?organizationId=${anchor.id}`);
      expect(result).toEqual({
        valid: true,
        checked: await countRows(t, 'audit_events', 'organization_id = $1', [anchor.id]),
        chains: 1,
        firstBrokenId: null,
        broken: null,
      });
      expect(result.checked).toBeGreaterThan(0);
      const none = await verify(
        t,
        platform,
        '?organizationId=00000000-0000-4000-8000-000000000000',
      );
      expect(none).toMatchObject({ valid: true, checked: 0, chains: 0 });
    });

    it('refuses an organizationId that is not a UUID with 422', async () => {
      const problem = expectProblem(
        await t
          .http()
          .get('/api/v1/audit/verify?organizationId=anchor')
          .set(...bearer(platform)),
        422,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'organizationId' })]);
    });

    it('is 403 for the ADMIN of another kind of organisation and for a platform user who is not ADMIN', async () => {
      for (const token of [anchor.admin.token, supplier.admin.token, platformOperator.token]) {
        const response = await t
          .http()
          .get('/api/v1/audit/verify')
          .set(...bearer(token));
        expectProblem(response, 403, 'FORBIDDEN');
        expect(response.body).not.toHaveProperty('valid');
      }
      const key = await createApiKey(t, anchor);
      expectProblem(
        await t
          .http()
          .get('/api/v1/audit/verify')
          .set(...apiKeyHeader(key.key)),
        403,
        'FORBIDDEN',
      );
    });

    it('needs credentials: 401 without any', async () => {
      expectProblem(await t.http().get('/api/v1/audit/verify'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('the audit_events table', () => {
    let target: { id: string; data: Record<string, unknown> };

    beforeAll(async () => {
      [target] = (await t.db.query(
        'SELECT id, data FROM audit_events WHERE organization_id = $1 ORDER BY seq LIMIT 1',
        [anchor.id],
      )) as Array<{ id: string; data: Record<string, unknown> }>;
    });

    it('refuses UPDATE, even to the superuser the tests connect as', async () => {
      const [{ rolsuper }] = (await t.db.query(
        'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
      )) as Array<{ rolsuper: boolean }>;
      expect(rolsuper).toBe(true);
      await expect(
        t.db.query(`UPDATE audit_events SET data = '{"forged":true}' WHERE id = $1`, [target.id]),
      ).rejects.toThrow(/append-only/);
      const [row] = (await t.db.query('SELECT data FROM audit_events WHERE id = $1', [
        target.id,
      ])) as Array<{ data: unknown }>;
      expect(row.data).toEqual(target.data);
    });

    it('refuses DELETE', async () => {
      await expect(
        t.db.query('DELETE FROM audit_events WHERE id = $1', [target.id]),
      ).rejects.toThrow(/append-only/);
      expect(await countRows(t, 'audit_events', 'id = $1', [target.id])).toBe(1);
    });

    it('refuses TRUNCATE', async () => {
      const before = await countRows(t, 'audit_events');
      await expect(t.db.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
      expect(await countRows(t, 'audit_events')).toBe(before);
      expect((await verify(t, platform)).valid).toBe(true);
    });
  });
});

describe('audit: verify detects tampering behind the trigger’s back', () => {
  let t: TestApp;
  let platform: string;
  const chains: Record<'edited' | 'rehashed' | 'middle' | 'tail' | 'wiped' | 'intact', Tenant> =
    {} as never;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdminToken(t);
    for (const name of ['edited', 'rehashed', 'middle', 'tail', 'wiped', 'intact'] as const) {
      chains[name] = await createTenant(t, OrganizationKind.SUPPLIER, {
        platformToken: platform,
        roles: [Role.OPERATOR],
      });
    }
  });
  afterAll(() => t.close());

  /** Runs `sql` with triggers off for this transaction only (the tests connect as superuser). */
  async function behindTheTriggersBack(sql: string, params: unknown[]): Promise<void> {
    await t.db.transaction(async (manager) => {
      await manager.query('SET LOCAL session_replication_role = replica');
      await manager.query(sql, params);
    });
  }

  async function chainOf(organizationId: string): Promise<Array<AuditEventView>> {
    const rows = (await t.db.query(
      `SELECT id, organization_id, seq::text AS seq, prev_hash, hash, actor_type, actor_id, action,
              entity_type, entity_id, data, occurred_at
         FROM audit_events WHERE organization_id = $1 ORDER BY audit_events.seq`,
      [organizationId],
    )) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      id: row.id as string,
      organizationId: row.organization_id as string,
      seq: row.seq as string,
      prevHash: row.prev_hash as string,
      hash: row.hash as string,
      actorType: row.actor_type as string,
      actorId: row.actor_id as string | null,
      action: row.action as string,
      entityType: row.entity_type as string,
      entityId: row.entity_id as string,
      data: row.data as Record<string, unknown>,
      occurredAt: (row.occurred_at as Date).toISOString(),
    }));
  }

  const verifyChain = (tenant: Tenant) => verify(t, platform, `?organizationId=${tenant.id}`);

  it('starts with every chain intact (at least five events each)', async () => {
    expect(await verify(t, platform)).toMatchObject({ valid: true, firstBrokenId: null });
    for (const tenant of Object.values(chains)) {
      const chain = await chainOf(tenant.id);
      expect(chain.length).toBeGreaterThanOrEqual(5);
      expectLinkedChain(chain);
    }
  });

  it('names an event whose data was edited, and the trigger is still in force afterwards', async () => {
    const [, victim] = await chainOf(chains.edited.id);
    expect(victim.action).toBe('user.created');
    await behindTheTriggersBack(
      `UPDATE audit_events SET data = jsonb_set(data, '{email}', '"attacker@evil.test"') WHERE id = $1`,
      [victim.id],
    );
    const [, edited] = await chainOf(chains.edited.id);
    expect(edited.data.email).toBe('attacker@evil.test');

    const result = await verifyChain(chains.edited);
    expect(result).toMatchObject({
      valid: false,
      firstBrokenId: victim.id,
      broken: {
        eventId: victim.id,
        organizationId: chains.edited.id,
        seq: victim.seq,
        reason: expect.stringMatching(/hash/),
      },
    });
    // Other chains are not affected when verified on their own.
    expect(await verifyChain(chains.intact)).toMatchObject({ valid: true, firstBrokenId: null });
    // The normal path still refuses changes.
    await expect(
      t.db.query(`UPDATE audit_events SET data = '{}' WHERE id = $1`, [victim.id]),
    ).rejects.toThrow(/append-only/);
  });

  it('names the successor of an event that was edited and re-hashed', async () => {
    const [, victim, successor] = await chainOf(chains.rehashed.id);
    const forged = { ...victim, data: { ...victim.data, roles: ['ADMIN', 'APPROVER'] } };
    await behindTheTriggersBack('UPDATE audit_events SET data = $2, hash = $3 WHERE id = $1', [
      victim.id,
      JSON.stringify(forged.data),
      auditLinkHash(forged),
    ]);
    const result = await verifyChain(chains.rehashed);
    expect(result).toMatchObject({
      valid: false,
      firstBrokenId: successor.id,
      broken: {
        eventId: successor.id,
        seq: successor.seq,
        reason: expect.stringMatching(/prevHash/),
      },
    });
  });

  it('names the next event when one in the middle of a chain was deleted', async () => {
    const chain = await chainOf(chains.middle.id);
    const middle = Math.floor(chain.length / 2);
    const [deleted, next] = [chain[middle], chain[middle + 1]];
    await behindTheTriggersBack('DELETE FROM audit_events WHERE id = $1', [deleted.id]);
    expect(await countRows(t, 'audit_events', 'id = $1', [deleted.id])).toBe(0);

    const result = await verifyChain(chains.middle);
    expect(result).toMatchObject({
      valid: false,
      firstBrokenId: next.id,
      broken: {
        eventId: next.id,
        organizationId: chains.middle.id,
        seq: next.seq,
        reason: expect.stringContaining(`from ${chain[middle - 1].seq} to ${next.seq}`),
      },
    });
  });

  it('detects a deleted tail event through the chain head', async () => {
    const chain = await chainOf(chains.tail.id);
    const tail = chain[chain.length - 1];
    await behindTheTriggersBack('DELETE FROM audit_events WHERE id = $1', [tail.id]);

    const result = await verifyChain(chains.tail);
    expect(result).toMatchObject({
      valid: false,
      // the deleted event cannot be named by id any more; the break names its seq and chain
      firstBrokenId: null,
      broken: {
        eventId: null,
        organizationId: chains.tail.id,
        seq: tail.seq,
        reason: expect.stringMatching(/chain head/),
      },
    });
  });

  it('detects a chain whose events were all deleted', async () => {
    await behindTheTriggersBack('DELETE FROM audit_events WHERE organization_id = $1', [
      chains.wiped.id,
    ]);
    const result = await verifyChain(chains.wiped);
    expect(result).toMatchObject({
      valid: false,
      firstBrokenId: null,
      broken: { organizationId: chains.wiped.id, reason: expect.stringMatching(/missing/) },
    });
  });

  it('reports the platform as broken when verifying every chain, and the intact chain as valid', async () => {
    const all = await verify(t, platform);
    expect(all.valid).toBe(false);
    expect(all.checked).toBeGreaterThan(0);
    const broken = [chains.edited, chains.rehashed, chains.middle, chains.tail].map((c) => c.id);
    // Chains are walked in organisation id order and the first break is named.
    expect(all.broken?.organizationId).toBe([...broken].sort()[0]);
    expect(await verifyChain(chains.intact)).toMatchObject({ valid: true, firstBrokenId: null });
  });

  it('is valid again once the edited data is put back (the check is on content, not on a flag)', async () => {
    const [, victim] = await chainOf(chains.edited.id);
    const original = { ...victim.data, email: chains.edited.admin.email };
    await behindTheTriggersBack('UPDATE audit_events SET data = $2 WHERE id = $1', [
      victim.id,
      JSON.stringify(original),
    ]);
    expect(await verifyChain(chains.edited)).toMatchObject({ valid: true, firstBrokenId: null });
  });
});

describe('audit: verify on a platform that keeps working', () => {
  let t: TestApp;
  let platform: string;
  let tenants: Tenant[];

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdminToken(t);
    tenants = [];
    for (let i = 0; i < 8; i++)
      tenants.push(await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform }));
  });
  afterAll(() => t.close());

  // Heads and events are read in one snapshot; appends during the walk must not look like tampering.
  it('raises no false alarm while tenants keep appending events', async () => {
    // Every chain stays under ten events here (3 from onboarding + 6 logins).
    let writing = true;
    const writes = Promise.all(
      tenants.flatMap((tenant) => Array.from({ length: 6 }, () => login(t, tenant.admin.email))),
    ).finally(() => {
      writing = false;
    });
    const results: Verification[] = [];
    const verifier = async (): Promise<void> => {
      while (writing) results.push(await verify(t, platform));
    };
    await Promise.all([verifier(), verifier(), writes]);
    expect(results.length).toBeGreaterThan(0);
    const falseAlarms = results.filter((result) => !result.valid).map((r) => r.broken?.reason);
    expect(falseAlarms).toEqual([]);
    expect(await verify(t, platform)).toMatchObject({ valid: true, firstBrokenId: null });
  });

  // Events are walked in numeric seq order (a text sort would walk 1, 10, 11, … 2).
  it('verifies a chain of more than nine events', async () => {
    const busy = tenants[0];
    for (let i = 0; i < 8; i++) await login(t, busy.admin.email);
    const length = await countRows(t, 'audit_events', 'organization_id = $1', [busy.id]);
    expect(length).toBeGreaterThanOrEqual(10);
    expectLinkedChain(await listEvents(t, busy.admin.token));
    expect(await verify(t, platform, `?organizationId=${busy.id}`)).toEqual({
      valid: true,
      checked: length,
      chains: 1,
      firstBrokenId: null,
      broken: null,
    });
  });
});
