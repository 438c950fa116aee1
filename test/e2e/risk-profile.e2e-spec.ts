import { randomUUID } from 'node:crypto';
import { Role } from '../../src/common/auth/roles';
import { Decimal } from '../../src/common/money/decimal';
import { OverdueFinancings } from '../../src/financing/financings/overdue.service';
import { ProfileRefreshJobs } from '../../src/risk/profile/profile-refresh.jobs';
import { gradeOf } from '../../src/risk/score/grade';
import { DEFAULT_WEIGHTS } from '../../src/risk/score/industry-weights';
import { scoreSupplier, type ScoringProfile } from '../../src/risk/score/scorecard';
import {
  bearer,
  countRows,
  expectProblem,
  expectStatus,
  programBody,
  snapshotCounts,
  type Member,
} from '../support/fixtures';
import {
  confirmedInvoice,
  disbursedFinancing,
  financingWorld,
  pricedRequest,
  requestFinancing,
  type FinancingWorld,
  type OfferBody,
} from '../support/financing-fixtures';
import { activePledge, disbursedDrawdown, revaluedAfter } from '../support/pledge-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { exceptionInvoice, verifiedInvoice } from '../support/ubl-fixtures';

interface Relationship {
  anchorId: string | null;
  currency: string;
  since: string | null;
  ageDays: number;
  invoices12m: number;
  volume12m: string;
  confirmedAmount12m: string;
  creditNotes12m: string;
  verificationExceptionRate: string | null;
  confirmationRate: string | null;
  dilutionRate: string | null;
  onTimeSettlementRate: string | null;
  counts: Record<string, number>;
  overdue: { count: number; current: number; maxDaysPastDue: number; outstanding: string };
  exposure: Array<{
    financierId: string | null;
    financierName: string | null;
    outstanding: string;
    committed: string;
    financings: number;
  }>;
  pledges: Array<{
    pledgeId: string;
    ltv: string | null;
    history: Array<{ at: string; ltv: string | null }>;
  }>;
}
interface Profile {
  organizationId: string;
  asOf: string | null;
  refreshedAt: string | null;
  relationships: Relationship[];
}
interface Score {
  score: number;
  grade: string;
  reasons: Array<{ code: string; points: number; maxPoints: number }>;
  factors: Array<{
    code: string;
    value: number | string | null;
    band: number;
    points: number;
    maxPoints: number;
  }>;
  basis: string;
  weightsKey: string;
  suggestedSubLimits: Array<{
    programId: string;
    financierId: string;
    suggestedSubLimit: string;
    supplierSubLimit: string | null;
  }>;
}

const SPREADS = { A: 0, B: 25, C: 60, D: 120, E: 250 };

/** Tables an on-demand refresh writes; a refused one must leave them as they were. */
const REFRESH_TABLES = [
  'supplier_profiles',
  'supplier_relationship_profiles',
  'supplier_scores',
  'audit_events',
];

describe('risk: GET /organizations/:id/profile, POST …/profile/refresh, GET …/score, per-supplier sub-limits, and the grade in offer pricing', () => {
  let t: TestApp;
  /** A supplier with a bit of everything: settled, overdue, outstanding, committed, diluted, rejected, an exception, a pledge. */
  let busy: FinancingWorld;
  /** A supplier with clean, young trade: its grade moves its offers' rate. */
  let clean: FinancingWorld;
  /** Another tenant altogether. */
  let other: FinancingWorld;
  let supplierViewer: Member;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    busy = await financingWorld(t);
    clean = await financingWorld(t);
    other = await financingWorld(t);
    supplierViewer = busy.supplier.members[Role.VIEWER]!;
  });
  afterAll(() => t.close());

  const get = (path: string, token: string | null) => {
    const request = t.http().get(`/api/v1${path}`);
    if (token) request.set(...bearer(token));
    return request;
  };
  const send = (
    method: 'post' | 'put' | 'patch',
    path: string,
    token: string | null,
    body?: object,
    key?: string,
  ) => {
    const request = t.http()[method](`/api/v1${path}`);
    if (token) request.set(...bearer(token));
    if (key) request.set('Idempotency-Key', key);
    return body === undefined ? request : request.send(body);
  };
  const profileOf = async (w: FinancingWorld, token: string): Promise<Profile> => {
    const response = await get(`/organizations/${w.supplier.id}/profile`, token);
    expectStatus(response, 200);
    return response.body as Profile;
  };
  const scoreOf = async (w: FinancingWorld, token: string): Promise<Score> => {
    const response = await get(`/organizations/${w.supplier.id}/score`, token);
    expectStatus(response, 200);
    return response.body as Score;
  };
  const refresh = async (w: FinancingWorld, token: string, key?: string) => {
    const response = await send(
      'post',
      `/organizations/${w.supplier.id}/profile/refresh`,
      token,
      undefined,
      key,
    );
    expectStatus(response, 200);
    return response;
  };
  const withAnchor = (profile: Profile, anchorId: string | null) =>
    profile.relationships.find((relationship) => relationship.anchorId === anchorId);

  describe('the profile reflects real activity, computed by the refresh, never by a GET', () => {
    let pledgeId: string;
    let pledgeLtv: string | null;

    beforeAll(async () => {
      // On time: paid in full by the anchor before maturity.
      const settled = await disbursedFinancing(t, busy, ['50000.00']);
      expectStatus(
        await send('post', `/financings/${settled.id}/settlements`, busy.anchor.admin.token, {
          amount: '50000.00',
          paidAt: '2026-11-28T09:30:00+08:00',
          bankReference: `CMB-PAY-${randomUUID().slice(0, 8)}`,
        }),
        201,
      );
      // Overdue: maturity moved 30 days into the past (in the program's zone) and swept.
      const late = await disbursedFinancing(t, busy, ['50000.00']);
      await t.db.query(
        `UPDATE financings SET maturity_date = (now() AT TIME ZONE 'Asia/Shanghai')::date - 30 WHERE id = $1`,
        [late.id],
      );
      await t.app.get(OverdueFinancings).markOverdue();
      // Outstanding with the financier, and committed with the other one.
      await disbursedFinancing(t, busy, ['50000.00']);
      const invoice = await confirmedInvoice(t, busy, '50000.00');
      const request = await requestFinancing(t, busy, [invoice.id]);
      const priced = await pricedRequest(t, busy, request.id);
      const dearer = priced.offers.find((offer) => offer.financierId === busy.otherFinancier.id)!;
      expectStatus(
        await send('post', `/offers/${dearer.id}/accept`, busy.supplier.admin.token),
        201,
      );
      // Diluted: a confirmed invoice with the supplier's credit note of 2,000.00.
      const diluted = await confirmedInvoice(t, busy, '50000.00');
      expectStatus(
        await send('post', `/invoices/${diluted.id}/credit-notes`, busy.supplier.admin.token, {
          number: `CN-${randomUUID().slice(0, 8)}`,
          amount: '2000.00',
          reason: '质量折让 quality allowance',
        }),
        201,
      );
      // An exception (over-billed), and an invoice the anchor rejects.
      await exceptionInvoice(t, busy);
      const rejected = await verifiedInvoice(t, busy);
      expectStatus(
        await send('post', `/invoices/${rejected.id}/reject`, busy.anchor.admin.token, {
          reason: '价格不符 price mismatch',
        }),
        200,
      );
      // An inventory pledge with a drawdown: the revaluation records its LTV.
      const pledge = await activePledge(t, busy);
      pledgeId = pledge.id;
      const before = new Date();
      await disbursedDrawdown(t, busy, pledge.id, '100000.00', '2027-02-26');
      await revaluedAfter(t, pledge.id, before);
      const [row] = (await t.db.query(`SELECT ltv::text AS ltv FROM pledges WHERE id = $1`, [
        pledge.id,
      ])) as Array<{ ltv: string | null }>;
      pledgeLtv = row.ltv === null ? null : new Decimal(row.ltv).toFixed();
    }, 240_000);

    it('before any refresh: nothing computed yet, and the score is that of a supplier with no history (D), which offers use meanwhile', async () => {
      expect(await profileOf(busy, busy.supplier.admin.token)).toMatchObject({
        organizationId: busy.supplier.id,
        asOf: null,
        refreshedAt: null,
        relationships: [],
      });
      expect(await scoreOf(busy, busy.supplier.admin.token)).toMatchObject({
        score: 440,
        grade: 'D',
        basis: 'NO_HISTORY',
        weightsKey: 'DEFAULT',
      });
    });

    it('POST …/profile/refresh computes the anchor relationship: volume, exception, confirmation, dilution and on-time rates, overdue, exposure by financier', async () => {
      const response = await refresh(busy, busy.supplier.admin.token);
      const profile = response.body as Profile;
      expect(profile.refreshedAt).not.toBeNull();
      const [{ today }] = (await t.db.query(`SELECT current_date::text AS today`)) as Array<{
        today: string;
      }>;
      expect(profile.asOf).toBe(today);
      const trade = withAnchor(profile, busy.anchor.id)!;
      // Invoices: settled, overdue, outstanding, committed, diluted (50,000.00 each), the
      // exception (30,000.00); the rejected one is not trade.
      expect(trade).toMatchObject({
        currency: 'CNY',
        since: '2026-09-01', // the anchor's first purchase order
        invoices12m: 6,
        volume12m: '280000.00',
        confirmedAmount12m: '250000.00',
        creditNotes12m: '2000.00',
        verificationExceptionRate: '0.1429', // 1 of 7 checked
        confirmationRate: '0.8333', // 5 confirmed of 6 decided
        dilutionRate: '0.0071', // 2,000 / 280,000
        onTimeSettlementRate: '0.5000', // the settled one of the two due
        counts: {
          checked: 7,
          exceptions: 1,
          decided: 6,
          confirmed: 5,
          financingsDue: 2,
          settledOnTime: 1,
        },
        overdue: { count: 1, current: 1, maxDaysPastDue: 30, outstanding: '45000.00' },
        pledges: [],
      });
      expect(trade.ageDays).toBeGreaterThanOrEqual(90);
      // By financier name; both financiers' names are random here.
      expect(trade.exposure).toHaveLength(2);
      expect(trade.exposure).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            financierId: busy.financier.id,
            outstanding: '90000.00', // the overdue and the outstanding advance
            committed: '0.00',
            financings: 2,
          }),
          expect.objectContaining({
            financierId: busy.otherFinancier.id,
            outstanding: '0.00',
            committed: '45000.00',
            financings: 1,
          }),
        ]),
      );
    });

    it('keeps the pledge and its drawdown apart (no anchor), with the LTV path the revaluation recorded', async () => {
      const profile = await profileOf(busy, busy.supplier.admin.token);
      const secured = withAnchor(profile, null)!;
      expect(secured.exposure).toEqual([
        expect.objectContaining({
          financierId: busy.financier.id,
          outstanding: '100000.00',
          financings: 1,
        }),
      ]);
      expect(secured.pledges).toEqual([expect.objectContaining({ pledgeId, ltv: pledgeLtv })]);
      const history = secured.pledges[0].history;
      expect(history.length).toBeGreaterThanOrEqual(1);
      expect(history[history.length - 1].ltv).toBe(pledgeLtv);
      expect(await countRows(t, 'pledge_ltv_history', 'pledge_id = $1', [pledgeId])).toBe(
        history.length,
      );
    });

    it('GET …/score explains the stored score: every factor, the points it earned, the top reasons; the same scorecard gives the same total', async () => {
      const score = await scoreOf(busy, busy.supplier.admin.token);
      expect(score.basis).toBe('PROFILE');
      const value = (code: string) => score.factors.find((factor) => factor.code === code)!.value;
      expect({
        invoices: value('TRADE_ACTIVITY'),
        exceptions: value('VERIFICATION_EXCEPTIONS'),
        confirmation: value('CONFIRMATION'),
        dilution: value('DILUTION'),
        onTime: value('ON_TIME_SETTLEMENT'),
        daysPastDue: value('OVERDUE'),
      }).toEqual({
        invoices: 6,
        exceptions: '0.1429',
        confirmation: '0.8333',
        dilution: '0.0071',
        onTime: '0.5000',
        daysPastDue: 30,
      });
      const inputs: ScoringProfile = {
        relationshipAgeDays: value('RELATIONSHIP_AGE') as number,
        invoices12m: value('TRADE_ACTIVITY') as number,
        exceptionRate: value('VERIFICATION_EXCEPTIONS') as string,
        confirmationRate: value('CONFIRMATION') as string,
        dilutionRate: value('DILUTION') as string,
        onTimeSettlementRate: value('ON_TIME_SETTLEMENT') as string,
        maxDaysPastDue: value('OVERDUE') as number,
        pledgeLtvToMarginCall: value('PLEDGE_LTV') as string | null,
      };
      const expected = scoreSupplier(inputs, DEFAULT_WEIGHTS);
      expect(score).toMatchObject({
        score: expected.score,
        grade: gradeOf(expected.score),
        reasons: expected.reasons,
      });
      expect(score.score).toBe(score.factors.reduce((total, factor) => total + factor.points, 0));
      expect(score.reasons.length).toBeGreaterThan(0);
      expect(score.reasons[0].code).toBe('ON_TIME_SETTLEMENT'); // half of what was due was late
    });

    it('a GET never recomputes: new trade shows only after the maintenance job (or a refresh) has run', async () => {
      const before = await profileOf(busy, busy.supplier.admin.token);
      await confirmedInvoice(t, busy, '10000.00');
      const unchanged = await profileOf(busy, busy.supplier.admin.token);
      expect(unchanged).toEqual(before);

      const run = await t.app.get(ProfileRefreshJobs).refresh();
      expect(run.suppliers).toBeGreaterThanOrEqual(3);
      const after = await profileOf(busy, busy.supplier.admin.token);
      expect(after.refreshedAt! > before.refreshedAt!).toBe(true);
      expect(withAnchor(after, busy.anchor.id)).toMatchObject({
        invoices12m: 7,
        volume12m: '330000.00', // the invoice's total; 10,000.00 of it confirmed
      });
    });

    it('each reader sees its part: the anchor its own relationship without pledges; a financier its own exposure by name and the others as one line', async () => {
      const full = await profileOf(busy, busy.supplier.admin.token);
      const anchorView = await profileOf(busy, busy.anchor.members[Role.VIEWER]!.token);
      expect(anchorView.relationships.map((relationship) => relationship.anchorId)).toEqual([
        busy.anchor.id,
      ]);
      expect(anchorView.relationships[0]).toEqual(withAnchor(full, busy.anchor.id));

      const financierView = await profileOf(busy, busy.financier.admin.token);
      expect(financierView.relationships).toHaveLength(2);
      expect(withAnchor(financierView, busy.anchor.id)!.exposure).toEqual([
        expect.objectContaining({ financierId: busy.financier.id, outstanding: '90000.00' }),
        {
          financierId: null,
          financierName: null,
          outstanding: '0.00',
          committed: '45000.00',
          financings: 1,
        },
      ]);
      expect(withAnchor(financierView, null)!.pledges).toHaveLength(1);
      const otherView = await profileOf(busy, busy.otherFinancier.admin.token);
      expect(withAnchor(otherView, null)!.pledges).toEqual([]); // not its pledge
      expect(withAnchor(otherView, busy.anchor.id)!.exposure).toEqual([
        expect.objectContaining({ financierId: busy.otherFinancier.id, committed: '45000.00' }),
        expect.objectContaining({ financierId: null, outstanding: '90000.00' }),
      ]);
      // The platform sees it all.
      expect(await profileOf(busy, busy.platform)).toEqual(full);
    });
  });

  describe('who may read and refresh (DESIGN §8)', () => {
    const paths = (w: FinancingWorld) => [
      `/organizations/${w.supplier.id}/profile`,
      `/organizations/${w.supplier.id}/score`,
    ];

    it('another tenant, an organisation that is no supplier, and an id that is no UUID: 404, no data', async () => {
      for (const path of paths(busy)) {
        for (const token of [
          other.anchor.admin.token,
          other.financier.admin.token,
          other.supplier.admin.token,
        ]) {
          const problem = expectProblem(await get(path, token), 404, 'NOT_FOUND');
          expect(JSON.stringify(problem)).not.toContain(busy.supplier.name);
        }
      }
      expectProblem(
        await get(`/organizations/${busy.anchor.id}/profile`, busy.anchor.admin.token),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await get(`/organizations/not-a-uuid/score`, busy.supplier.admin.token),
        404,
        'NOT_FOUND',
      );
      const counts = await snapshotCounts(t, REFRESH_TABLES);
      expectProblem(
        await send(
          'post',
          `/organizations/${busy.supplier.id}/profile/refresh`,
          other.financier.admin.token,
        ),
        404,
        'NOT_FOUND',
      );
      expect(await snapshotCounts(t, REFRESH_TABLES)).toEqual(counts);
    });

    it('no credentials: 401; a VIEWER may read but not refresh: 403, nothing written', async () => {
      for (const path of paths(busy)) expectProblem(await get(path, null), 401, 'UNAUTHENTICATED');
      expectProblem(
        await send('post', `/organizations/${busy.supplier.id}/profile/refresh`, null),
        401,
        'UNAUTHENTICATED',
      );
      await profileOf(busy, supplierViewer.token);
      const counts = await snapshotCounts(t, REFRESH_TABLES);
      expectProblem(
        await send(
          'post',
          `/organizations/${busy.supplier.id}/profile/refresh`,
          supplierViewer.token,
        ),
        403,
        'FORBIDDEN',
      );
      expect(await snapshotCounts(t, REFRESH_TABLES)).toEqual(counts);
    });

    it('a refresh by a financier OPERATOR is audited in its own chain; a repeated Idempotency-Key replays it and refreshes once', async () => {
      const key = `refresh-${randomUUID()}`;
      const audited = () =>
        countRows(
          t,
          'audit_events',
          `action = 'supplier_profile.refreshed' AND organization_id = $1`,
          [busy.financier.id],
        );
      const before = await audited();
      const first = await refresh(busy, busy.maker.token, key);
      const replay = await refresh(busy, busy.maker.token, key);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await audited()).toBe(before + 1);
      // Another key is another refresh.
      await refresh(busy, busy.maker.token, `refresh-${randomUUID()}`);
      expect(await audited()).toBe(before + 2);
    });
  });

  describe("the grade prices offers: the program's riskSpreadBps", () => {
    let firstOffer: OfferBody;

    it('the anchor sets spreads per grade; refused unless whole, 0–5000 and never lower for a worse grade (422, nothing written)', async () => {
      const path = `/programs/${clean.programId}`;
      const [before] = (await t.db.query(
        `SELECT risk_spread_bps, updated_at::text FROM programs WHERE id = $1`,
        [clean.programId],
      )) as Array<Record<string, unknown>>;
      expect(before.risk_spread_bps).toEqual({ A: 0, B: 0, C: 0, D: 0, E: 0 });
      const refused = [
        { ...SPREADS, C: 20 }, // below B
        { A: 0, B: 25, C: 60, D: 120 }, // no E
        { ...SPREADS, E: '250' },
        { ...SPREADS, E: 5001 },
        { ...SPREADS, A: 1.5 },
      ];
      for (const riskSpreadBps of refused) {
        const problem = expectProblem(
          await send('patch', path, clean.anchor.admin.token, { riskSpreadBps }),
          422,
          'VALIDATION_FAILED',
        );
        expect((problem.errors as Array<{ field: string }>)[0].field).toMatch(/^riskSpreadBps\./);
      }
      const [unchanged] = (await t.db.query(
        `SELECT risk_spread_bps, updated_at::text FROM programs WHERE id = $1`,
        [clean.programId],
      )) as Array<Record<string, unknown>>;
      expect(unchanged).toEqual(before);

      const set = await send('patch', path, clean.anchor.admin.token, { riskSpreadBps: SPREADS });
      expectStatus(set, 200);
      expect(set.body.riskSpreadBps).toEqual(SPREADS);
      // A supplier of the program sees the spreads it will be priced at.
      const seen = await get(path, clean.supplier.admin.token);
      expect(seen.body.riskSpreadBps).toEqual(SPREADS);
      // A new program may set them from the start, in any key order.
      const created = await send('post', '/programs', clean.anchor.admin.token, {
        ...programBody(),
        riskSpreadBps: { E: 300, D: 150, C: 80, B: 30, A: 10 },
      });
      expectStatus(created, 201);
      expect(created.body.riskSpreadBps).toEqual({ A: 10, B: 30, C: 80, D: 150, E: 300 });
    });

    it('a supplier not profiled yet is priced at the no-history grade D: base 3.45 % + margin + 120 bp', async () => {
      const invoice = await confirmedInvoice(t, clean, '50000.00');
      const priced = await pricedRequest(
        t,
        clean,
        (await requestFinancing(t, clean, [invoice.id])).id,
      );
      firstOffer = priced.offers.find((offer) => offer.financierId === clean.financier.id)!;
      expect(firstOffer).toMatchObject({
        riskGrade: 'D',
        riskSpreadBps: 120,
        annualRate: '0.0615',
      });
      expect(
        priced.offers.find((offer) => offer.financierId === clean.otherFinancier.id),
      ).toMatchObject({ riskGrade: 'D', annualRate: '0.0715' });
    });

    it('after a refresh its clean record earns a better grade, and the next offer carries that grade’s smaller spread', async () => {
      const invoice = await confirmedInvoice(t, clean, '50000.00');
      await refresh(clean, clean.supplier.admin.token);
      const score = await scoreOf(clean, clean.supplier.admin.token);
      expect(score.basis).toBe('PROFILE');
      expect(score.grade < 'D').toBe(true);
      // The move from the no-history grade offers used is recorded in the supplier's chain.
      const [changed] = (await t.db.query(
        `SELECT data FROM audit_events WHERE organization_id = $1 AND action = 'supplier.grade_changed'`,
        [clean.supplier.id],
      )) as Array<{ data: Record<string, unknown> }>;
      expect(changed.data).toMatchObject({ from: 'D', to: score.grade });
      const spread = SPREADS[score.grade as keyof typeof SPREADS];
      const priced = await pricedRequest(
        t,
        clean,
        (await requestFinancing(t, clean, [invoice.id])).id,
      );
      const offer = priced.offers.find((o) => o.financierId === clean.financier.id)!;
      expect(offer).toMatchObject({ riskGrade: score.grade, riskSpreadBps: spread });
      // base 0.0345 + margin 150 bp + the grade's spread
      expect(offer.annualRate).toBe(
        new Decimal('0.0495').plus(new Decimal(String(spread)).div('10000')).toFixed(),
      );
      expect(new Decimal(offer.annualRate).lt(firstOffer.annualRate)).toBe(true);
      expect(new Decimal(offer.netProceeds).gt(firstOffer.netProceeds)).toBe(true);
    });
  });

  describe('the suggested sub-limit and PUT /programs/:id/financiers/:financierId/suppliers/:supplierId/sub-limit', () => {
    const path = (w: FinancingWorld, financierId = w.financier.id, supplierId = w.supplier.id) =>
      `/programs/${w.programId}/financiers/${financierId}/suppliers/${supplierId}/sub-limit`;

    it('a financier sees a suggestion for its own program only; the anchor and the supplier none', async () => {
      const score = await scoreOf(clean, clean.financier.admin.token);
      expect(score.suggestedSubLimits).toEqual([
        expect.objectContaining({
          programId: clean.programId,
          financierId: clean.financier.id,
          supplierSubLimit: null,
        }),
      ]);
      const suggested = new Decimal(score.suggestedSubLimits[0].suggestedSubLimit);
      expect(suggested.gt('0')).toBe(true);
      expect(suggested.lt('45000')).toBe(true); // below one invoice's advance: the test below relies on it
      expect((await scoreOf(clean, clean.anchor.admin.token)).suggestedSubLimits).toEqual([]);
      expect((await scoreOf(clean, clean.supplier.admin.token)).suggestedSubLimits).toEqual([]);
      const platform = await scoreOf(clean, clean.platform);
      expect(platform.suggestedSubLimits.map((s) => s.financierId).sort()).toEqual(
        [clean.financier.id, clean.otherFinancier.id].sort(),
      );
    });

    it('the financier adopts it: offers above it are refused by that financier only; null gives the program-wide sub-limit back', async () => {
      const { suggestedSubLimits } = await scoreOf(clean, clean.financier.admin.token);
      const amount = suggestedSubLimits[0].suggestedSubLimit;
      // An offer made before the sub-limit is adopted…
      const earlier = await pricedRequest(
        t,
        clean,
        (await requestFinancing(t, clean, [(await confirmedInvoice(t, clean, '50000.00')).id])).id,
      );
      const live = earlier.offers.find((offer) => offer.financierId === clean.financier.id)!;
      const key = `sub-limit-${randomUUID()}`;
      const adopted = await send(
        'put',
        path(clean),
        clean.financier.admin.token,
        { supplierSubLimit: amount },
        key,
      );
      expectStatus(adopted, 200);
      expect(adopted.body).toEqual({
        programId: clean.programId,
        financierId: clean.financier.id,
        supplierId: clean.supplier.id,
        supplierSubLimit: amount,
        effectiveSubLimit: amount,
      });
      const replay = await send(
        'put',
        path(clean),
        clean.financier.admin.token,
        { supplierSubLimit: amount },
        key,
      );
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(
        await countRows(
          t,
          'audit_events',
          `action = 'program.supplier_sub_limit_set' AND entity_id = $1`,
          [clean.programId],
        ),
      ).toBe(1);
      expect(
        (await scoreOf(clean, clean.financier.admin.token)).suggestedSubLimits[0],
      ).toMatchObject({
        supplierSubLimit: amount,
      });

      // …can no longer be accepted: the acceptance checks the supplier's own sub-limit atomically.
      const refused = expectProblem(
        await send('post', `/offers/${live.id}/accept`, clean.supplier.admin.token),
        409,
        'LIMIT_EXCEEDED',
      );
      expect(refused).toMatchObject({ limit: 'SUPPLIER' });

      const invoice = await confirmedInvoice(t, clean, '50000.00');
      const priced = await pricedRequest(
        t,
        clean,
        (await requestFinancing(t, clean, [invoice.id])).id,
      );
      // The 45,000.00 advance is above the adopted sub-limit: only the other financier offers.
      expect(priced.offers.map((offer) => offer.financierId)).toEqual([clean.otherFinancier.id]);
      // Reasons are kept for a request no financier offered on; here one did.
      expect(priced.status).toBe('OFFERED');

      const removed = await send('put', path(clean), clean.financier.admin.token, {
        supplierSubLimit: null,
      });
      expectStatus(removed, 200);
      expect(removed.body).toMatchObject({
        supplierSubLimit: null,
        effectiveSubLimit: '2000000.00',
      });
      expect(await countRows(t, 'supplier_sub_limits')).toBe(0);
    });

    it('refuses bad amounts (422), other roles and kinds (403), other financiers and tenants (404), no credentials (401); nothing written', async () => {
      const tables = ['supplier_sub_limits', 'audit_events'];
      const counts = await snapshotCounts(t, tables);
      const token = clean.financier.admin.token;
      for (const [body, code] of [
        [{ supplierSubLimit: '100.001' }, 'IS_DECIMAL_STRING'],
        [{ supplierSubLimit: '10000000.01' }, 'AT_MOST_FIELD'],
        [{ supplierSubLimit: 5000 }, 'IS_DECIMAL_STRING'],
        [{}, 'REQUIRED'],
        [{ supplierSubLimit: '0' }, 'IS_DECIMAL_STRING'],
      ] as const) {
        const problem = expectProblem(
          await send('put', path(clean), token, body),
          422,
          'VALIDATION_FAILED',
        );
        expect(problem.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: 'supplierSubLimit', code })]),
        );
      }
      const body = { supplierSubLimit: '1000.00' };
      expectProblem(await send('put', path(clean), clean.maker.token, body), 403, 'FORBIDDEN');
      expectProblem(
        await send('put', path(clean), clean.anchor.admin.token, body),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await send('put', path(clean, clean.otherFinancier.id), token, body),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await send('put', path(other, other.financier.id, other.supplier.id), token, body),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await send('put', path(clean, clean.financier.id, other.supplier.id), token, body),
        404,
        'NOT_FOUND',
      );
      expectProblem(await send('put', path(clean), null, body), 401, 'UNAUTHENTICATED');
      expect(await snapshotCounts(t, tables)).toEqual(counts);
    });
  });
});
