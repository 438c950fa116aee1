import { OrganizationKind, Role } from '../../src/common/auth/roles';
import { Decimal } from '../../src/common/money/decimal';
import { OverdueFinancings } from '../../src/financing/financings/overdue.service';
import {
  addMember,
  bearer,
  countRows,
  createTenant,
  eventually,
  expectProblem,
  expectStatus,
  platformTenant,
  type Member,
  type Tenant,
} from '../support/fixtures';
import {
  confirmedInvoice,
  financingWorld,
  payoutDocumentsReady,
  pricedRequest,
  requestFinancing,
  type FinancingWorld,
  type OfferBody,
} from '../support/financing-fixtures';
import { expectBalancedLedger, ledgerPostings, posting } from '../support/financing-probes';
import { startTestApp, type TestApp } from '../support/test-app';
import { idleSnapshot, settle } from '../support/trade-records';

interface GuaranteeBody {
  id: string;
  programId: string;
  guarantorId: string;
  financierId: string | null;
  status: string;
  coverageRatio: string;
  capAmount: string;
  usedAmount: string;
  availableAmount: string;
  coveredFinancings: number;
  claims: ClaimBody[];
}

interface ClaimBody {
  id: string;
  financingId: string;
  status: string;
  loss: string;
  amount: string;
  paidAt: string | null;
}

interface GuaranteedOffer extends OfferBody {
  riskSpreadBps: number;
  guarantee: {
    guaranteeId: string;
    guarantorId: string;
    coverageRatio: string;
    coveredAmount: string;
    spreadReliefBps: number;
  } | null;
}

const TABLES = [
  'program_guarantees',
  'financing_guarantees',
  'guarantee_claims',
  'financings',
  'journal_entries',
  'audit_events',
];

// Every grade carries 100 bps, so the supplier's grade does not matter to the figures below.
const SPREADS = { A: 100, B: 100, C: 100, D: 100, E: 100 };

describe('guarantees: a guarantor covers a share of a program’s financings, lowers the spread, and is claimed on write-off', () => {
  let t: TestApp;
  let world: FinancingWorld;
  let rival: FinancingWorld;
  let platform: Tenant;
  let platformApprover: Member;
  let guarantor: Tenant;
  let otherGuarantor: Tenant;
  let guarantee: GuaranteeBody;
  let covered: { id: string; reference: string };
  let claim: ClaimBody;

  const send = (
    method: 'get' | 'post' | 'patch' | 'put',
    path: string,
    token: string | null,
    body?: object,
  ) => {
    const request = t.http()[method](`/api/v1${path}`);
    if (token) request.set(...bearer(token));
    return body ? request.send(body) : request;
  };
  const snapshot = () => idleSnapshot(t, TABLES);
  const terms = (overrides: Record<string, unknown> = {}) => ({
    guarantorId: guarantor.id,
    financierId: world.financier.id,
    coverageRatio: '0.6',
    capAmount: '60000.00',
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
    ...overrides,
  });
  const view = async (id: string, token: string) => {
    const response = await send('get', `/guarantees/${id}`, token);
    expectStatus(response, 200);
    return response.body as GuaranteeBody;
  };
  /** A confirmed 50,000.00 invoice financed by request; the world financier's offer. */
  const offerOfFinancier = async (): Promise<{ requestId: string; offers: GuaranteedOffer[] }> => {
    const invoice = await confirmedInvoice(t, world);
    const request = await requestFinancing(t, world, [invoice.id]);
    const priced = await pricedRequest(t, world, request.id);
    expect(priced.status).toBe('OFFERED');
    return { requestId: request.id, offers: priced.offers as GuaranteedOffer[] };
  };
  const ofFinancier = (offers: GuaranteedOffer[], financierId = world.financier.id) =>
    offers.find((offer) => offer.financierId === financierId)!;
  const accept = (offerId: string) =>
    send('post', `/offers/${offerId}/accept`, world.supplier.admin.token);

  beforeAll(async () => {
    t = await startTestApp();
    world = await financingWorld(t);
    rival = await financingWorld(t);
    platform = await platformTenant(t, world.platform);
    platformApprover = await addMember(t, platform, [Role.APPROVER]);
    guarantor = await createTenant(t, OrganizationKind.GUARANTOR, {
      platformToken: world.platform,
      name: '江苏省中小企业融资担保基金',
      roles: [Role.APPROVER, Role.VIEWER],
    });
    otherGuarantor = await createTenant(t, OrganizationKind.GUARANTOR, {
      platformToken: world.platform,
    });
    expectStatus(
      await send('patch', `/programs/${world.programId}`, world.anchor.admin.token, {
        riskSpreadBps: SPREADS,
      }),
      200,
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  it('POST /programs/:id/guarantees: the platform registers it PROPOSED; 403, 401, 404, 422 write nothing; a repeated key registers once', async () => {
    const path = `/programs/${world.programId}/guarantees`;
    const before = await snapshot();
    expectProblem(await send('post', path, world.anchor.admin.token, terms()), 403, 'FORBIDDEN');
    expectProblem(await send('post', path, guarantor.admin.token, terms()), 403, 'FORBIDDEN');
    expectProblem(await send('post', path, null, terms()), 401, 'UNAUTHENTICATED');
    expectProblem(
      await send(
        'post',
        '/programs/00000000-0000-4000-8000-000000000000/guarantees',
        platform.admin.token,
        terms(),
      ),
      404,
      'NOT_FOUND',
    );
    for (const bad of [
      terms({ coverageRatio: '1.5' }),
      terms({ coverageRatio: 0.6 }),
      terms({ capAmount: '1.001' }),
      terms({ capAmount: '0' }),
      terms({ validFrom: '2027-06-01', validTo: '2027-05-31' }),
      terms({ validTo: '2025-12-31', validFrom: '2025-01-01' }),
      terms({ validTo: '31/12/2027' }),
      terms({ guarantorId: 'fund' }),
      terms({ color: 'red' }),
    ])
      expectProblem(await send('post', path, platform.admin.token, bad), 422, 'VALIDATION_FAILED');
    expectProblem(
      await send('post', path, platform.admin.token, terms({ guarantorId: world.supplier.id })),
      422,
      'UNKNOWN_PARTY',
    );
    expectProblem(
      await send('post', path, platform.admin.token, terms({ financierId: rival.financier.id })),
      422,
      'UNKNOWN_PARTY',
    );
    expect(await snapshot()).toEqual(before);

    const propose = () =>
      send('post', path, platform.admin.token, terms()).set(
        'Idempotency-Key',
        `guarantee-${world.programId}`,
      );
    const created = await propose();
    expectStatus(created, 201);
    guarantee = created.body as GuaranteeBody;
    expect(guarantee).toMatchObject({
      programId: world.programId,
      guarantorId: guarantor.id,
      financierId: world.financier.id,
      status: 'PROPOSED',
      coverageRatio: '0.6',
      capAmount: '60000.00',
      usedAmount: '0.00',
      availableAmount: '60000.00',
      coveredFinancings: 0,
      claims: [],
    });
    const replay = await propose();
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(created.body);
    expect(await countRows(t, 'program_guarantees', 'program_id = $1', [world.programId])).toBe(1);
    await eventually(
      async () =>
        (await countRows(
          t,
          'notifications',
          `organization_id = $1 AND type = 'GUARANTEE_PROPOSED'`,
          [guarantor.id],
        )) === 1 || undefined,
      15_000,
      'the GUARANTEE_PROPOSED notification',
    );
  });

  it('GET /guarantees(/:id): the guarantor, the anchor and the beneficiary see it; another financier, the supplier and other tenants get 404 or nothing', async () => {
    for (const token of [
      guarantor.admin.token,
      world.anchor.admin.token,
      world.financier.admin.token,
      platform.admin.token,
    ])
      expect((await view(guarantee.id, token)).id).toBe(guarantee.id);
    for (const token of [
      world.otherFinancier.admin.token,
      world.supplier.admin.token,
      rival.financier.admin.token,
      rival.anchor.admin.token,
      otherGuarantor.admin.token,
    ])
      expectProblem(await send('get', `/guarantees/${guarantee.id}`, token), 404, 'NOT_FOUND');
    expectProblem(await send('get', `/guarantees/${guarantee.id}`, null), 401, 'UNAUTHENTICATED');
    expectProblem(
      await send('get', '/guarantees/not-a-uuid', guarantor.admin.token),
      404,
      'NOT_FOUND',
    );
    const listed = await send(
      'get',
      `/guarantees?programId=${world.programId}`,
      world.financier.admin.token,
    );
    expectStatus(listed, 200);
    expect((listed.body as { items: GuaranteeBody[] }).items.map((g) => g.id)).toEqual([
      guarantee.id,
    ]);
    const outsider = await send('get', '/guarantees', otherGuarantor.admin.token);
    expect((outsider.body as { items: unknown[] }).items).toEqual([]);
    expectProblem(
      await send('get', '/guarantees?status=SIGNED', guarantor.admin.token),
      422,
      'VALIDATION_FAILED',
    );
  });

  it('while PROPOSED it covers nothing: offers carry no guarantee', async () => {
    const { offers } = await offerOfFinancier();
    expect(offers.map((offer) => offer.guarantee)).toEqual([null, null]);
  });

  it('POST /guarantees/:id/accept: only the guarantor’s ADMIN or APPROVER turns it ACTIVE; a repeated key accepts once, a second accept is 409', async () => {
    const path = `/guarantees/${guarantee.id}/accept`;
    const before = await snapshot();
    expectProblem(await send('post', path, world.financier.admin.token), 403, 'FORBIDDEN');
    expectProblem(
      await send('post', path, guarantor.members[Role.VIEWER]!.token),
      403,
      'FORBIDDEN',
    );
    expectProblem(await send('post', path, null), 401, 'UNAUTHENTICATED');
    expectProblem(await send('post', path, otherGuarantor.admin.token), 404, 'NOT_FOUND');
    expectProblem(
      await send('post', '/guarantees/not-a-uuid/accept', guarantor.admin.token),
      404,
      'NOT_FOUND',
    );
    expect(await snapshot()).toEqual(before);
    const acceptIt = () =>
      send('post', path, guarantor.members[Role.APPROVER]!.token).set(
        'Idempotency-Key',
        `accept-${guarantee.id}`,
      );
    const accepted = await acceptIt();
    expectStatus(accepted, 200);
    expect(accepted.body).toMatchObject({ status: 'ACTIVE' });
    expect((await acceptIt()).headers['idempotent-replayed']).toBe('true');
    expectProblem(await send('post', path, guarantor.admin.token), 409, 'INVALID_STATE_TRANSITION');
    await eventually(
      async () =>
        (await countRows(
          t,
          'notifications',
          `type = 'GUARANTEE_ACTIVE' AND organization_id = ANY($1::uuid[])`,
          [[world.anchor.id, world.financier.id]],
        )) === 2 || undefined,
      15_000,
      'GUARANTEE_ACTIVE to the anchor and the beneficiary',
    );
  });

  it('an ACTIVE guarantee shows in the beneficiary’s offer and takes 60 % of the 100 bps spread off; acceptance takes its cover of the cap', async () => {
    const { offers } = await offerOfFinancier();
    const mine = ofFinancier(offers);
    const theirs = ofFinancier(offers, world.otherFinancier.id);
    // 50,000.00 confirmed × 0.9 = 45,000.00 advance; 60 % covered = 27,000.00; 100 bps × 0.6 = 60.
    expect(mine.riskSpreadBps).toBe(100);
    expect(mine.guarantee).toEqual({
      guaranteeId: guarantee.id,
      guarantorId: guarantor.id,
      guarantorName: '江苏省中小企业融资担保基金',
      coverageRatio: '0.6',
      coveredAmount: '27000.00',
      spreadReliefBps: 60,
    });
    expect(theirs.guarantee).toBeNull();
    // Margins 150 and 250 bps; spreads 40 and 100 bps: 1.6 points apart.
    expect(new Decimal(theirs.annualRate).minus(mine.annualRate).toFixed()).toBe('0.016');

    const accepted = await accept(mine.id);
    expectStatus(accepted, 201);
    covered = accepted.body as { id: string; reference: string };
    expect(accepted.body).toMatchObject({
      guarantee: {
        guaranteeId: guarantee.id,
        guarantorId: guarantor.id,
        coveredAmount: '27000.00',
        claim: null,
      },
    });
    const anchorView = await send('get', `/financings/${covered.id}`, world.anchor.admin.token);
    expect(anchorView.body).toMatchObject({ guarantee: null });
    expect(await view(guarantee.id, guarantor.admin.token)).toMatchObject({
      usedAmount: '27000.00',
      availableAmount: '33000.00',
      coveredFinancings: 1,
    });
  });

  it('never more than the cap, also under concurrent acceptances: of three offers priced with 27,000.00 cover and 33,000.00 left, one is accepted', async () => {
    const priced = [];
    for (let i = 0; i < 3; i++) priced.push(ofFinancier((await offerOfFinancier()).offers));
    for (const offer of priced)
      expect(offer.guarantee).toMatchObject({ coveredAmount: '27000.00' });
    const results = await Promise.all(priced.map((offer) => accept(offer.id)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409))
      expectProblem(refused, 409, 'GUARANTEE_UNAVAILABLE');
    expect(await countRows(t, 'financing_guarantees', 'guarantee_id = $1', [guarantee.id])).toBe(2);
    expect(await view(guarantee.id, platform.admin.token)).toMatchObject({
      usedAmount: '54000.00',
      availableAmount: '6000.00',
      coveredFinancings: 2,
    });
    // With 6,000.00 left, the next offer is covered for that much: 100 × 6,000 / 45,000 → 13 bps.
    const partial = ofFinancier((await offerOfFinancier()).offers);
    expect(partial.guarantee).toMatchObject({ coveredAmount: '6000.00', spreadReliefBps: 13 });
  });

  it('a write-off of a covered financing records the claim min(loss × 0.6, covered) against the guarantor, on the ledger; the pool shares only the rest', async () => {
    expectStatus(
      await send('post', `/financings/${covered.id}/submit-approval`, world.maker.token),
      200,
    );
    expectStatus(await send('post', `/financings/${covered.id}/approve`, world.checker.token), 200);
    expectStatus(
      await send('post', `/financings/${covered.id}/disburse`, world.maker.token, {
        bankReference: `BANK-${covered.reference}`,
        disbursedAt: '2026-11-27T10:00:00+08:00',
      }),
      200,
    );
    await payoutDocumentsReady(t, covered.id);
    await t.db.query(`UPDATE financings SET maturity_date = current_date - 40 WHERE id = $1`, [
      covered.id,
    ]);
    await t.app.get(OverdueFinancings).markOverdue();
    const written = await send('post', `/financings/${covered.id}/write-off`, world.checker.token, {
      reason: 'Supplier insolvent',
    });
    expectStatus(written, 200);
    // 45,000.00 written off × 0.6 = 27,000.00, which is exactly what was covered.
    expect(written.body).toMatchObject({
      status: 'WRITTEN_OFF',
      guarantee: { coveredAmount: '27000.00', claim: { amount: '27000.00', status: 'CLAIMED' } },
    });
    const after = await view(guarantee.id, guarantor.admin.token);
    expect(after.claims).toEqual([
      expect.objectContaining({
        financingId: covered.id,
        status: 'CLAIMED',
        loss: '45000.00',
        amount: '27000.00',
      }),
    ]);
    claim = after.claims[0];
    // The claim replaces the cover in the cap's use: 27,000.00 claimed + 27,000.00 still at risk.
    expect(after).toMatchObject({ usedAmount: '54000.00', coveredFinancings: 1 });
    const claimPostings = await ledgerPostings(t, covered.id, 'GUARANTEE_CLAIM');
    expect(
      claimPostings.map(({ organizationId, account, amount }) => ({
        organizationId,
        account,
        amount,
      })),
    ).toEqual([
      { organizationId: world.financier.id, account: 'GUARANTEE_RECEIVABLE', amount: '27000.00' },
      { organizationId: world.financier.id, account: 'GUARANTEE_RECOVERY', amount: '-27000.00' },
      { organizationId: guarantor.id, account: 'GUARANTEE_EXPENSE', amount: '27000.00' },
      { organizationId: guarantor.id, account: 'GUARANTEE_PAYABLE', amount: '-27000.00' },
    ]);
    await eventually(
      async () =>
        (await countRows(
          t,
          'notifications',
          `organization_id = $1 AND type = 'GUARANTEE_CLAIMED'`,
          [guarantor.id],
        )) === 1 || undefined,
      15_000,
      'the GUARANTEE_CLAIMED notification',
    );

    // The program's pool pays 50 % of what the guarantee leaves: (45,000 − 27,000) × 0.5 = 9,000.
    const pool = `/programs/${world.programId}/pool`;
    expectStatus(
      await send('put', pool, platform.admin.token, {
        coverageRatio: '0.5',
        capPerLoss: '100000.00',
      }),
      200,
    );
    expectStatus(
      await send('post', `${pool}/contributions`, platform.admin.token, {
        amount: '50000.00',
        contributorId: platform.id,
      }),
      201,
    );
    const poolClaim = await send('post', `${pool}/claims`, world.maker.token, {
      financingId: covered.id,
    });
    expectStatus(poolClaim, 201);
    expect(poolClaim.body).toMatchObject({ loss: '18000.00' });
    const paid = await send(
      'post',
      `/pool-claims/${(poolClaim.body as { id: string }).id}/approve`,
      platformApprover.token,
    );
    expect(paid.body).toMatchObject({ payout: '9000.00', boundBy: 'RATIO' });
    await expectBalancedLedger(t);
  });

  it('POST /guarantee-claims/:id/settle: the financier records the guarantor’s payment; 403, 404, 401, 422 write nothing; a repeated key pays once', async () => {
    const path = `/guarantee-claims/${claim.id}/settle`;
    const body = { paidAt: '2026-11-28T09:30:00+08:00', bankReference: 'JSGF-PAY-0001' };
    await settle(t);
    const before = await snapshot();
    expectProblem(await send('post', path, guarantor.admin.token, body), 403, 'FORBIDDEN');
    expectProblem(await send('post', path, world.anchor.admin.token, body), 403, 'FORBIDDEN');
    expectProblem(
      await send('post', path, world.otherFinancier.admin.token, body),
      404,
      'NOT_FOUND',
    );
    expectProblem(await send('post', path, rival.maker.token, body), 404, 'NOT_FOUND');
    expectProblem(await send('post', path, null, body), 401, 'UNAUTHENTICATED');
    for (const bad of [
      { ...body, paidAt: '2026-11-28T09:30:00' },
      { ...body, paidAt: '2099-01-01T00:00:00Z' },
      { ...body, bankReference: '' },
      { paidAt: body.paidAt },
    ])
      expectProblem(await send('post', path, world.maker.token, bad), 422, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);

    const settleIt = () =>
      send('post', path, world.maker.token, body).set('Idempotency-Key', `settle-${claim.id}`);
    const settled = await settleIt();
    expectStatus(settled, 200);
    expect(settled.body).toMatchObject({
      status: 'PAID',
      amount: '27000.00',
      bankReference: 'JSGF-PAY-0001',
    });
    expect((await settleIt()).headers['idempotent-replayed']).toBe('true');
    expectProblem(
      await send('post', path, world.maker.token, body),
      409,
      'INVALID_STATE_TRANSITION',
    );
    expect(await ledgerPostings(t, covered.id, 'GUARANTEE_PAYMENT')).toEqual([
      posting('GUARANTEE_PAYMENT', '2026-11-28', guarantor.id, 'GUARANTEE_PAYABLE', '27000.00'),
      posting('GUARANTEE_PAYMENT', '2026-11-28', guarantor.id, 'CASH', '-27000.00'),
      posting('GUARANTEE_PAYMENT', '2026-11-28', world.financier.id, 'CASH', '27000.00'),
      posting(
        'GUARANTEE_PAYMENT',
        '2026-11-28',
        world.financier.id,
        'GUARANTEE_RECEIVABLE',
        '-27000.00',
      ),
    ]);
    const [receivable] = (await t.db.query(
      `SELECT COALESCE(sum(amount), 0)::text AS balance FROM ledger_postings WHERE organization_id = $1 AND account = 'GUARANTEE_RECEIVABLE'`,
      [world.financier.id],
    )) as Array<{ balance: string }>;
    expect(new Decimal(receivable.balance).eq('0')).toBe(true);
    await expectBalancedLedger(t);
  });

  it('POST /guarantees/:id/withdraw: the guarantor’s or the platform’s ADMIN stops new cover; covered financings stay covered, an offer priced on it can no longer be accepted', async () => {
    const second = await send(
      'post',
      `/programs/${world.programId}/guarantees`,
      platform.admin.token,
      terms({ financierId: undefined, capAmount: '1000000.00' }),
    );
    expectStatus(second, 201);
    const secondId = (second.body as GuaranteeBody).id;
    const path = `/guarantees/${secondId}/withdraw`;
    const reason = { reason: 'Agreement terminated' };
    const before = await snapshot();
    expectProblem(await send('post', path, world.anchor.admin.token, reason), 403, 'FORBIDDEN');
    expectProblem(
      await send('post', path, guarantor.members[Role.APPROVER]!.token, reason),
      403,
      'FORBIDDEN',
    );
    expectProblem(await send('post', path, otherGuarantor.admin.token, reason), 404, 'NOT_FOUND');
    expectProblem(await send('post', path, null, reason), 401, 'UNAUTHENTICATED');
    expectProblem(
      await send('post', path, guarantor.admin.token, { reason: '' }),
      422,
      'VALIDATION_FAILED',
    );
    expectProblem(await send('post', path, guarantor.admin.token, {}), 422, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
    const withdraw = () =>
      send('post', path, guarantor.admin.token, reason).set(
        'Idempotency-Key',
        `withdraw-${secondId}`,
      );
    const withdrawn = await withdraw();
    expectStatus(withdrawn, 200);
    expect(withdrawn.body).toMatchObject({
      status: 'WITHDRAWN',
      withdrawalReason: 'Agreement terminated',
    });
    expect((await withdraw()).headers['idempotent-replayed']).toBe('true');
    expectProblem(
      await send('post', path, guarantor.admin.token, reason),
      409,
      'INVALID_STATE_TRANSITION',
    );

    // The first guarantee, withdrawn by the platform: the offer priced on its last 6,000.00 is refused.
    const { requestId, offers } = await offerOfFinancier();
    const live = ofFinancier(offers);
    expect(live.guarantee).toMatchObject({ guaranteeId: guarantee.id, coveredAmount: '6000.00' });
    expectStatus(
      await send('post', `/guarantees/${guarantee.id}/withdraw`, platform.admin.token, {
        reason: 'Fund exhausted its annual quota',
      }),
      200,
    );
    expectProblem(await accept(live.id), 409, 'GUARANTEE_UNAVAILABLE');
    const request = await send(
      'get',
      `/financing-requests/${requestId}`,
      world.supplier.admin.token,
    );
    expect(request.body).toMatchObject({ status: 'OFFERED' });
    const fresh = (await offerOfFinancier()).offers;
    expect(fresh.map((offer) => offer.guarantee)).toEqual([null, null]);
    expect(await view(guarantee.id, guarantor.admin.token)).toMatchObject({
      status: 'WITHDRAWN',
      coveredFinancings: 1,
      usedAmount: '54000.00',
    });
  });
});
