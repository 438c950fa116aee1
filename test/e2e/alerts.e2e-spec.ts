import { Role } from '../../src/common/auth/roles';
import { addDays } from '../../src/common/calendar/business-calendar';
import { Decimal } from '../../src/common/money/decimal';
import { OverdueFinancings } from '../../src/financing/financings/overdue.service';
import { AlertSweepJobs } from '../../src/risk/alerts/alert-sweep.jobs';
import {
  addMember,
  bearer,
  countRows,
  eventually,
  expectProblem,
  expectStatus,
  snapshotCounts,
  type Member,
} from '../support/fixtures';
import {
  disbursedFinancing,
  financingWorld,
  type FinancingWorld,
} from '../support/financing-fixtures';
import {
  activePledge,
  COIL_PRICES,
  disbursedDrawdown,
  pledgeBody,
  requestedPledge,
} from '../support/pledge-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { uniqueNumber } from '../support/trade-fixtures';
import { settle } from '../support/trade-records';

interface AlertBody {
  id: string;
  type: string;
  severity: string;
  state: string;
  subjectType: string;
  subjectId: string;
  title: string;
  figures: Record<string, unknown>;
  partyIds: string[];
}

describe('early warnings: raised once per open condition, acknowledged, resolved', () => {
  let t: TestApp;
  let world: FinancingWorld;
  let rival: FinancingWorld;
  let viewer: Member;

  const get = (path: string, token: string) =>
    t
      .http()
      .get(`/api/v1${path}`)
      .set(...bearer(token));
  const post = (path: string, token: string) =>
    t
      .http()
      .post(`/api/v1${path}`)
      .set(...bearer(token));
  const alertsOf = async (token: string, query = ''): Promise<AlertBody[]> => {
    const response = await get(`/alerts?limit=100${query}`, token);
    expectStatus(response, 200);
    return (response.body as { items: AlertBody[] }).items;
  };
  const alertOn = (token: string, type: string, subjectId: string) =>
    eventually(
      async () =>
        (await alertsOf(token, `&type=${type}`)).find((alert) => alert.subjectId === subjectId),
      30_000,
      `a ${type} alert on ${subjectId}`,
    );
  const sweep = () => t.app.get(AlertSweepJobs).sweep({});

  beforeAll(async () => {
    t = await startTestApp();
    world = await financingWorld(t);
    rival = await financingWorld(t);
    viewer = await addMember(t, world.financier, [Role.VIEWER]);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('OVERDUE', () => {
    let financingId: string;
    let alert: AlertBody;

    beforeAll(async () => {
      const financing = await disbursedFinancing(t, world);
      financingId = financing.id;
      await t.db.query(`UPDATE financings SET maturity_date = current_date - 40 WHERE id = $1`, [
        financingId,
      ]);
      await t.app.get(OverdueFinancings).markOverdue();
      alert = await alertOn(world.financier.admin.token, 'OVERDUE', financingId);
    });

    it('is raised by the overdue sweep’s event for the financier, the supplier and the anchor, and never twice', async () => {
      expect(alert).toMatchObject({
        type: 'OVERDUE',
        severity: 'CRITICAL', // more than 30 days past maturity (and grace)
        state: 'OPEN',
        subjectType: 'financing',
        figures: { outstanding: expect.any(String) },
      });
      expect(new Set(alert.partyIds)).toEqual(
        new Set([world.financier.id, world.supplier.id, world.anchor.id]),
      );
      for (const token of [world.supplier.admin.token, world.anchor.admin.token])
        expect((await alertsOf(token, '&type=OVERDUE')).map((a) => a.id)).toContain(alert.id);
      expect((await alertsOf(rival.financier.admin.token)).map((a) => a.id)).not.toContain(
        alert.id,
      );
      await sweep();
      await sweep();
      expect(
        await countRows(t, 'risk_alerts', `type = 'OVERDUE' AND subject_id = $1`, [financingId]),
      ).toBe(1);
      expect(
        await countRows(t, 'audit_events', `action = 'alert.raised' AND entity_id = $1`, [
          alert.id,
        ]),
      ).toBe(3);
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'ALERT_RAISED' AND data->>'alertId' = $2`,
            [world.financier.id, alert.id],
          )) === 1,
        15_000,
        'the financier’s alert notification',
      );
    });

    it('GET /alerts: 401 without credentials, 422 for an unknown state or type', async () => {
      expectProblem(await t.http().get('/api/v1/alerts'), 401, 'UNAUTHENTICATED');
      expectProblem(
        await get('/alerts?state=NOPE', world.financier.admin.token),
        422,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await get('/alerts?type=NOPE', world.financier.admin.token),
        422,
        'VALIDATION_FAILED',
      );
      expect(await alertsOf(world.financier.admin.token, '&state=RESOLVED')).not.toContainEqual(
        expect.objectContaining({ id: alert.id }),
      );
    });

    it('acknowledge: 404 to another tenant, 403 to a VIEWER, 401, 404 for a bad id, nothing written; then ACKNOWLEDGED once (a repeated key replays, a second ask is 409)', async () => {
      await settle(t);
      const tables = ['risk_alerts', 'audit_events', 'outbox_messages', 'idempotency_records'];
      const before = await snapshotCounts(t, tables);
      expectProblem(
        await post(`/alerts/${alert.id}/acknowledge`, rival.financier.admin.token),
        404,
        'NOT_FOUND',
      );
      expectProblem(await post(`/alerts/${alert.id}/acknowledge`, viewer.token), 403, 'FORBIDDEN');
      expectProblem(
        await t.http().post(`/api/v1/alerts/${alert.id}/acknowledge`),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await post('/alerts/not-an-id/acknowledge', world.financier.admin.token),
        404,
        'NOT_FOUND',
      );
      expect(await snapshotCounts(t, tables)).toEqual(before);
      expect(await countRows(t, 'risk_alerts', `id = $1 AND state = 'OPEN'`, [alert.id])).toBe(1);
      const send = () =>
        post(`/alerts/${alert.id}/acknowledge`, world.maker.token).set(
          'Idempotency-Key',
          `ack-${alert.id}`,
        );
      const first = await send();
      expectStatus(first, 200);
      expect(first.body).toMatchObject({ state: 'ACKNOWLEDGED', acknowledgedBy: world.maker.id });
      const again = await send();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expectProblem(
        await post(`/alerts/${alert.id}/acknowledge`, world.supplier.admin.token),
        409,
        'INVALID_STATE_TRANSITION',
      );
      // Acknowledged is still open: the sweep raises nothing new for the same condition.
      await sweep();
      expect(
        await countRows(t, 'risk_alerts', `type = 'OVERDUE' AND subject_id = $1`, [financingId]),
      ).toBe(1);
    });

    it('is RESOLVED once the financing is paid', async () => {
      const [row] = (await t.db.query(
        `SELECT confirmed_amount::text AS due FROM financings WHERE id = $1`,
        [financingId],
      )) as Array<{ due: string }>;
      expectStatus(
        await t
          .http()
          .post(`/api/v1/financings/${financingId}/settlements`)
          .set(...bearer(world.anchor.admin.token))
          .send({
            amount: new Decimal(row.due).toFixed(2),
            paidAt: '2026-11-29T10:00:00+08:00',
            bankReference: 'LATE-PAYMENT-1',
          }),
        201,
      );
      await eventually(
        async () =>
          (await countRows(t, 'risk_alerts', `id = $1 AND state = 'RESOLVED'`, [alert.id])) === 1,
        30_000,
        'the overdue alert to be resolved',
      );
      const resolved = (await alertsOf(world.supplier.admin.token, '&state=RESOLVED')).find(
        (a) => a.id === alert.id,
      );
      expect(resolved).toMatchObject({ state: 'RESOLVED', resolvedAt: expect.any(String) });
    });
  });

  it('OVERDUE is resolved when the financier writes the financing off', async () => {
    const financing = await disbursedFinancing(t, world);
    await t.db.query(`UPDATE financings SET maturity_date = current_date - 20 WHERE id = $1`, [
      financing.id,
    ]);
    await t.app.get(OverdueFinancings).markOverdue();
    const alert = await alertOn(world.financier.admin.token, 'OVERDUE', financing.id);
    expect(alert.severity).toBe('HIGH');
    expectStatus(
      await post(`/financings/${financing.id}/write-off`, world.checker.token).send({
        reason: 'insolvent',
      }),
      200,
    );
    await eventually(
      async () =>
        (await countRows(t, 'risk_alerts', `id = $1 AND state = 'RESOLVED'`, [alert.id])) === 1,
      30_000,
      'the overdue alert of the written-off financing to be resolved',
    );
  });

  it('MARGIN_CALL and LIQUIDATION_LEVEL follow the pledge’s revaluation; the pledge’s parties see them', async () => {
    const pledge = await activePledge(t, world);
    await disbursedDrawdown(
      t,
      world,
      pledge.id,
      '600000.00',
      addDays(new Date().toISOString().slice(0, 10), 45),
    );
    expectStatus(
      await t
        .http()
        .post(`/api/v1/pledges/${pledge.id}/prices`)
        .set(...bearer(world.maker.token))
        .send({
          items: COIL_PRICES.map((price) => ({
            sku: price.sku,
            marketUnitPrice: new Decimal(price.marketUnitPrice).times('0.6').toFixed(6),
          })),
          asOf: '2026-11-29T15:00:00+08:00',
        }),
      200,
    );
    const call = await alertOn(world.supplier.admin.token, 'MARGIN_CALL', pledge.id);
    expect(call).toMatchObject({ severity: 'HIGH', subjectType: 'pledge' });
    const liquidation = await alertOn(world.financier.admin.token, 'LIQUIDATION_LEVEL', pledge.id);
    expect(liquidation).toMatchObject({ severity: 'CRITICAL' });
    expect(new Set(liquidation.partyIds)).toEqual(new Set([world.financier.id, world.supplier.id]));
    expect((await alertsOf(world.anchor.admin.token)).map((a) => a.id)).not.toContain(call.id);
  });

  it('DILUTION_SPIKE is raised by the agreed credit note itself, not only by the schedule: 8,000 of 50,000 invoiced (16 %) warns the lender', async () => {
    const diluted = await financingWorld(t);
    const financing = await disbursedFinancing(t, diluted);
    const invoiceId = (financing.invoiceIds as unknown as string[])[0];
    expectStatus(
      await t
        .http()
        .post(`/api/v1/invoices/${invoiceId}/credit-notes`)
        .set(...bearer(diluted.supplier.admin.token))
        .send({ number: uniqueNumber('CN'), amount: '8000.00', reason: 'Quality claim' }),
      201,
    );
    const alert = await alertOn(
      diluted.financier.admin.token,
      'DILUTION_SPIKE',
      diluted.supplier.id,
    );
    expect(alert).toMatchObject({
      severity: 'MEDIUM',
      subjectType: 'supplier',
      figures: { invoiced: '50000.00', diluted: '8000.00', dilutionRate: '0.1600' },
    });
  });

  it('DUPLICATE_ATTEMPT: a supplier refused twice is flagged to the financier holding the receipt', async () => {
    const held = await requestedPledge(t, world);
    for (let attempt = 0; attempt < 2; attempt++)
      expectProblem(
        await t
          .http()
          .post('/api/v1/pledges')
          .set(...bearer(rival.supplier.admin.token))
          .send(
            pledgeBody(rival, {
              receiptNumber: held.receiptNumber,
              financierId: rival.financier.id,
            }),
          ),
        409,
        'DOUBLE_PLEDGE',
      );
    const alert = await alertOn(
      world.financier.admin.token,
      'DUPLICATE_ATTEMPT',
      rival.supplier.id,
    );
    expect(alert).toMatchObject({ severity: 'HIGH', figures: { refusedPledges: 2 } });
    expect(alert.partyIds).toEqual(
      expect.arrayContaining([world.financier.id, rival.financier.id]),
    );
    // The supplier itself is not told it is under watch.
    expect((await alertsOf(rival.supplier.admin.token)).map((a) => a.id)).not.toContain(alert.id);
  });

  it('CONCENTRATION and LIMIT_NEAR_FULL after a payout that fills the book and the limit', async () => {
    const financing = await disbursedFinancing(t, rival, ['40000.00']);
    // The whole book of the rival's financier is on its one anchor.
    const concentrated = await alertOn(
      rival.financier.admin.token,
      'CONCENTRATION',
      rival.financier.id,
    );
    expect(concentrated).toMatchObject({ severity: 'HIGH', figures: { share: '1.0000' } });
    expect(concentrated.partyIds).toEqual([rival.financier.id]);
    const [{ advance }] = (await t.db.query(
      `SELECT advance_amount::text AS advance FROM financings WHERE id = $1`,
      [financing.id],
    )) as Array<{ advance: string }>;
    // The financier lowers its limit to just above what is used: 95 % taken.
    const limit = new Decimal(advance).div('0.95').round(2).toFixed(2);
    await t.db.query(
      `UPDATE program_financiers SET limit_amount = $3 WHERE program_id = $1 AND financier_id = $2`,
      [rival.programId, rival.financier.id, limit],
    );
    await sweep();
    const nearFull = await alertOn(rival.financier.admin.token, 'LIMIT_NEAR_FULL', rival.programId);
    expect(nearFull).toMatchObject({ severity: 'MEDIUM', figures: { share: '0.9500' } });
    expect(nearFull.partyIds).toEqual(
      expect.arrayContaining([rival.financier.id, rival.anchor.id]),
    );
  });
});
