import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { AuditTrail } from '../../src/common/audit/audit-trail';
import type { Actor } from '../../src/common/auth/actor';
import { OrganizationKind } from '../../src/common/auth/roles';
import { preparedStatement } from '../../src/database/prepared-statement';
import { TransactionHost } from '../../src/database/transaction-host';
import { countRows, createTenant, platformAdminToken } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const INSERT_ORDER_ROW = preparedStatement(
  'spec.write-order',
  'INSERT INTO spec_write_order (step) VALUES ($1)',
);
const CAST_UUID = preparedStatement('spec.cast-uuid', 'SELECT $1::uuid AS id');

describe('the unit of work: beforeCommit writes and prepared statements', () => {
  let t: TestApp;
  let tx: TransactionHost;
  let audit: AuditTrail;
  let actor: Actor;

  beforeAll(async () => {
    t = await startTestApp({ env: { WORKER_EMBEDDED: 'false' } });
    tx = t.app.get(TransactionHost);
    audit = t.app.get(AuditTrail);
    const tenant = await createTenant(t, OrganizationKind.SUPPLIER, {
      platformToken: await platformAdminToken(t),
    });
    const [admin] = (await t.db.query('SELECT id FROM users WHERE email = $1', [
      tenant.admin.email,
    ])) as Array<{ id: string }>;
    actor = {
      type: 'USER',
      userId: admin.id,
      apiKeyId: null,
      organizationId: tenant.id,
      organizationKind: OrganizationKind.SUPPLIER,
      roles: tenant.admin.roles,
    };
    await t.db.query(
      'CREATE TABLE spec_write_order (n serial PRIMARY KEY, step text NOT NULL UNIQUE)',
    );
  });
  afterAll(() => t.close());

  const steps = async (): Promise<string[]> =>
    (
      (await t.db.query('SELECT step FROM spec_write_order ORDER BY n')) as Array<{ step: string }>
    ).map((row) => row.step);

  beforeEach(() => t.db.query('TRUNCATE spec_write_order'));

  it('runs deferred writes after the work, in the order asked, inside its transaction', async () => {
    await tx.run(async () => {
      tx.beforeCommit(() => tx.query(INSERT_ORDER_ROW, ['deferred 1']).then(() => undefined));
      await tx.query(INSERT_ORDER_ROW, ['work 1']);
      tx.beforeCommit(() => tx.query(INSERT_ORDER_ROW, ['deferred 2']).then(() => undefined));
      await tx.query(INSERT_ORDER_ROW, ['work 2']);
    });
    expect(await steps()).toEqual(['work 1', 'work 2', 'deferred 1', 'deferred 2']);
  });

  it('rolls the work back when a deferred write fails, and the failure reaches the caller', async () => {
    const run = tx.run(async () => {
      await tx.query(INSERT_ORDER_ROW, ['work']);
      tx.beforeCommit(() => tx.query(INSERT_ORDER_ROW, ['work']).then(() => undefined));
    });
    await expect(run).rejects.toBeInstanceOf(QueryFailedError);
    expect(await steps()).toEqual([]);
  });

  it('drops deferred writes when the work itself fails', async () => {
    const run = tx.run(async () => {
      tx.beforeCommit(() => tx.query(INSERT_ORDER_ROW, ['deferred']).then(() => undefined));
      await tx.query(INSERT_ORDER_ROW, ['work']);
      throw new Error('the work failed');
    });
    await expect(run).rejects.toThrow('the work failed');
    expect(await steps()).toEqual([]);
  });

  it('wraps database errors of a prepared statement as TypeORM does, with the SQLSTATE', async () => {
    const failure = await tx.query(CAST_UUID, ['not-a-uuid']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe(
      '22P02',
    );
    const id = randomUUID();
    expect(await tx.query(CAST_UUID, [id])).toEqual([{ id }]);
  });

  it('names the audit event at once and writes it with the change, or not at all', async () => {
    const before = await countRows(t, 'audit_events', 'organization_id = $1', [
      actor.organizationId,
    ]);
    let recorded = '';
    await tx.run(async () => {
      recorded = await audit.record({
        actor,
        action: 'spec.recorded',
        entityType: 'spec',
        entityId: 'one',
      });
      // Not written yet: the append waits for the end of the work.
      expect(
        await tx.manager.query('SELECT 1 FROM audit_events WHERE id = $1', [recorded]),
      ).toEqual([]);
    });
    expect(
      await countRows(t, 'audit_events', 'id = $1 AND action = $2', [recorded, 'spec.recorded']),
    ).toBe(1);

    const abandoned = tx.run(async () => {
      await audit.record({ actor, action: 'spec.abandoned', entityType: 'spec', entityId: 'two' });
      throw new Error('changed my mind');
    });
    await expect(abandoned).rejects.toThrow('changed my mind');
    expect(await countRows(t, 'audit_events', 'organization_id = $1', [actor.organizationId])).toBe(
      before + 1,
    );
  });
});
