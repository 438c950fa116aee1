import { OrganizationKind, Role } from '../../src/common/auth/roles';
import { Decimal } from '../../src/common/money/decimal';
import { OverdueFinancings } from '../../src/financing/financings/overdue.service';
import {
  addMember,
  bearer,
  countRows,
  createTenant,
  expectProblem,
  expectStatus,
  platformTenant,
  type Member,
  type Tenant,
} from '../support/fixtures';
import {
  disbursedFinancing,
  financingWorld,
  type FinancingWorld,
} from '../support/financing-fixtures';
import { expectBalancedLedger, ledgerPostings, posting } from '../support/financing-probes';
import { startTestApp, type TestApp } from '../support/test-app';
import { idleSnapshot } from '../support/trade-records';

interface PoolBody {
  programId: string;
  coverageRatio: string;
  capPerLoss: string;
  contributed: string;
  paidOut: string;
  balance: string;
  contributions: Array<{ contributorId: string; amount: string }>;
  claims: ClaimBody[];
}

interface ClaimBody {
  id: string;
  status: string;
  basis: string;
  loss: string;
  payout: string | null;
  boundBy: string | null;
}

const TABLES = [
  'risk_pools',
  'pool_contributions',
  'pool_claims',
  'journal_entries',
  'audit_events',
];

describe('risk compensation pool: contributions, claims bounded by ratio, cap and balance, on the ledger', () => {
  let t: TestApp;
  let world: FinancingWorld;
  let rival: FinancingWorld;
  let platform: Tenant;
  let platformOperator: Member;
  let platformApprover: Member;
  let guarantor: Tenant;

  const send = (
    method: 'get' | 'put' | 'post',
    path: string,
    token: string | null,
    body?: object,
  ) => {
    const request = t.http()[method](`/api/v1${path}`);
    if (token) request.set(...bearer(token));
    return body ? request.send(body) : request;
  };
  const snapshot = () => idleSnapshot(t, TABLES);

  /** A disbursed financing of `w`, overdue since `days` ago and written off by its checker. */
  const writtenOff = async (w: FinancingWorld, days = 40) => {
    const financing = await disbursedFinancing(t, w);
    await t.db.query(`UPDATE financings SET maturity_date = current_date - $2::int WHERE id = $1`, [
      financing.id,
      days,
    ]);
    await t.app.get(OverdueFinancings).markOverdue();
    expectStatus(
      await send('post', `/financings/${financing.id}/write-off`, w.checker.token, {
        reason: 'insolvent',
      }),
      200,
    );
    return financing;
  };

  beforeAll(async () => {
    t = await startTestApp();
    world = await financingWorld(t);
    rival = await financingWorld(t);
    platform = await platformTenant(t, world.platform);
    platformOperator = await addMember(t, platform, [Role.OPERATOR]);
    platformApprover = await addMember(t, platform, [Role.APPROVER]);
    guarantor = await createTenant(t, OrganizationKind.GUARANTOR, {
      platformToken: world.platform,
      name: '江苏省中小企业融资担保基金',
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('PUT /programs/:id/pool: the platform sets the terms; 403 to the anchor, 401, 404 for an unknown program, 422 for bad terms', async () => {
    const terms = { coverageRatio: '0.5', capPerLoss: '30000.00', claimAfterOverdueDays: 60 };
    const before = await snapshot();
    expectProblem(
      await send('put', `/programs/${world.programId}/pool`, world.anchor.admin.token, terms),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await send('put', `/programs/${world.programId}/pool`, null, terms),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await send(
        'put',
        '/programs/00000000-0000-4000-8000-000000000000/pool',
        platform.admin.token,
        terms,
      ),
      404,
      'NOT_FOUND',
    );
    for (const bad of [
      { ...terms, coverageRatio: '1.5' },
      { ...terms, coverageRatio: 0.5 },
      { ...terms, capPerLoss: '0' },
      { ...terms, capPerLoss: '1.001' },
      { ...terms, claimAfterOverdueDays: 0 },
    ])
      expectProblem(
        await send('put', `/programs/${world.programId}/pool`, platform.admin.token, bad),
        422,
        'VALIDATION_FAILED',
      );
    expectProblem(
      await send('get', `/programs/${world.programId}/pool`, world.anchor.admin.token),
      404,
      'NOT_FOUND',
    );
    expect(await snapshot()).toEqual(before);
    const response = await send(
      'put',
      `/programs/${world.programId}/pool`,
      platform.admin.token,
      terms,
    );
    expectStatus(response, 200);
    expect(response.body).toMatchObject({
      coverageRatio: '0.5',
      capPerLoss: '30000.00',
      claimAfterOverdueDays: 60,
      balance: '0.00',
    });
  });

  it('contributions from a guarantor fund and the platform are posted to the ledger; a repeated key records once', async () => {
    const contribute = (amount: string, contributorId: string, key: string) =>
      send('post', `/programs/${world.programId}/pool/contributions`, platformOperator.token, {
        amount,
        contributorId,
      }).set('Idempotency-Key', key);
    expectStatus(await contribute('20000.00', guarantor.id, 'pool-guarantor'), 201);
    const replay = await contribute('20000.00', guarantor.id, 'pool-guarantor');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const second = await contribute('15000.00', platform.id, 'pool-platform');
    expectStatus(second, 201);
    expect(second.body).toMatchObject({
      contributed: '35000.00',
      paidOut: '0.00',
      balance: '35000.00',
    });
    expect(await countRows(t, 'journal_entries', `kind = 'POOL_CONTRIBUTION'`)).toBe(2);
    const before = await snapshot();
    expectProblem(
      await send(
        'post',
        `/programs/${world.programId}/pool/contributions`,
        world.financier.admin.token,
        {
          amount: '1.00',
          contributorId: guarantor.id,
        },
      ),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await send(
        'post',
        `/programs/${world.programId}/pool/contributions`,
        platformOperator.token,
        {
          amount: '1.00',
          contributorId: world.supplier.id,
        },
      ),
      422,
      'UNKNOWN_PARTY',
    );
    expectProblem(
      await send(
        'post',
        `/programs/${world.programId}/pool/contributions`,
        platformOperator.token,
        {
          amount: 1,
          contributorId: guarantor.id,
        },
      ),
      422,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await send(
        'post',
        `/programs/${rival.programId}/pool/contributions`,
        platformOperator.token,
        {
          amount: '1.00',
          contributorId: guarantor.id,
        },
      ),
      404,
      'NOT_FOUND',
    );
    expect(await snapshot()).toEqual(before);
    // Members of the program read the statement; a supplier sees no claims, an outsider nothing.
    expectStatus(
      await send('get', `/programs/${world.programId}/pool`, world.supplier.admin.token),
      200,
    );
    expectProblem(
      await send('get', `/programs/${world.programId}/pool`, rival.financier.admin.token),
      404,
      'NOT_FOUND',
    );
    // The guarantor fund paid in: it reads the statement, though no member of the program; a
    // guarantor that did not pay in does not.
    const funded = await send('get', `/programs/${world.programId}/pool`, guarantor.admin.token);
    expectStatus(funded, 200);
    expect((funded.body as PoolBody).contributed).toBe('35000.00');
    const bystander = await createTenant(t, OrganizationKind.GUARANTOR, {
      platformToken: world.platform,
    });
    expectProblem(
      await send('get', `/programs/${world.programId}/pool`, bystander.admin.token),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await send('get', `/programs/${world.programId}/pool`, null),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('a write-off is claimed and paid loss × ratio (45 000 × 0.5 = 22 500); the next loss only what is left (12 500)', async () => {
    const first = await writtenOff(world);
    const claim = async (financingId: string, token = world.maker.token) =>
      send('post', `/programs/${world.programId}/pool/claims`, token, { financingId });
    const before = await snapshot();
    expectProblem(await claim(first.id, world.supplier.admin.token), 403, 'FORBIDDEN');
    expectProblem(await claim(first.id, rival.maker.token), 404, 'NOT_FOUND');
    expectProblem(await claim('not-a-uuid'), 422, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
    const requested = await claim(first.id);
    expectStatus(requested, 201);
    expect(requested.body).toMatchObject({
      status: 'REQUESTED',
      basis: 'WRITTEN_OFF',
      loss: '45000.00',
      payout: null,
    });
    expectProblem(await claim(first.id), 409, 'CONFLICT');
    const claimId = (requested.body as ClaimBody).id;
    expectProblem(
      await send('post', `/pool-claims/${claimId}/approve`, platformOperator.token),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await send('post', `/pool-claims/${claimId}/approve`, world.checker.token),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await send('post', `/pool-claims/${claimId}/approve`, null),
      401,
      'UNAUTHENTICATED',
    );
    const approve = () =>
      send('post', `/pool-claims/${claimId}/approve`, platformApprover.token).set(
        'Idempotency-Key',
        `approve-${claimId}`,
      );
    const approved = await approve();
    expectStatus(approved, 200);
    expect(approved.body).toMatchObject({
      status: 'APPROVED',
      payout: '22500.00',
      boundBy: 'RATIO',
    });
    expect((await approve()).headers['idempotent-replayed']).toBe('true');
    expectProblem(
      await send('post', `/pool-claims/${claimId}/approve`, platformApprover.token),
      409,
      'INVALID_STATE_TRANSITION',
    );
    expect(await ledgerPostings(t, first.id, 'POOL_PAYOUT')).toContainEqual(
      expect.objectContaining({
        organizationId: world.financier.id,
        account: 'POOL_RECOVERY',
        amount: '-22500.00',
      }),
    );

    const second = await writtenOff(world);
    const secondClaim = await claim(second.id);
    expectStatus(secondClaim, 201);
    const paid = await send(
      'post',
      `/pool-claims/${(secondClaim.body as ClaimBody).id}/approve`,
      platformApprover.token,
    );
    expect(paid.body).toMatchObject({ payout: '12500.00', boundBy: 'BALANCE' });
    const pool = (await send('get', `/programs/${world.programId}/pool`, world.anchor.admin.token))
      .body as PoolBody;
    expect(pool).toMatchObject({ contributed: '35000.00', paidOut: '35000.00', balance: '0.00' });
    expect(pool.claims).toHaveLength(2);
    // A financier sees its own claims only.
    const theirs = (
      await send('get', `/programs/${world.programId}/pool`, world.otherFinancier.admin.token)
    ).body as PoolBody;
    expect(theirs.claims).toEqual([]);
    await expectBalancedLedger(t);
  });

  it('an OVERDUE financing is claimable only after the pool’s days past maturity', async () => {
    const financing = await disbursedFinancing(t, world);
    await t.db.query(`UPDATE financings SET maturity_date = current_date - 40 WHERE id = $1`, [
      financing.id,
    ]);
    await t.app.get(OverdueFinancings).markOverdue();
    const claim = () =>
      send('post', `/programs/${world.programId}/pool/claims`, world.maker.token, {
        financingId: financing.id,
      });
    expectProblem(await claim(), 409, 'INVALID_STATE_TRANSITION');
    await t.db.query(`UPDATE financings SET maturity_date = current_date - 70 WHERE id = $1`, [
      financing.id,
    ]);
    const claimed = await claim();
    expectStatus(claimed, 201);
    expect(claimed.body).toMatchObject({ basis: 'OVERDUE', loss: '45000.00' });
  });

  it('POST /pool-claims/:id/reject: a platform APPROVER refuses a claim with a reason; nothing is paid and the financier may claim again', async () => {
    const financing = await writtenOff(world);
    const claimed = await send(
      'post',
      `/programs/${world.programId}/pool/claims`,
      world.maker.token,
      {
        financingId: financing.id,
      },
    );
    expectStatus(claimed, 201);
    const claimId = (claimed.body as ClaimBody).id;
    const path = `/pool-claims/${claimId}/reject`;
    const reason = { reason: 'Write-off not supported by the recovery file' };
    const before = await snapshot();
    expectProblem(await send('post', path, platformOperator.token, reason), 403, 'FORBIDDEN');
    expectProblem(await send('post', path, world.checker.token, reason), 403, 'FORBIDDEN');
    expectProblem(await send('post', path, null, reason), 401, 'UNAUTHENTICATED');
    expectProblem(
      await send(
        'post',
        '/pool-claims/00000000-0000-4000-8000-000000000000/reject',
        platformApprover.token,
        reason,
      ),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await send('post', path, platformApprover.token, { reason: ' ' }),
      422,
      'VALIDATION_FAILED',
    );
    expectProblem(await send('post', path, platformApprover.token, {}), 422, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);

    const reject = () =>
      send('post', path, platformApprover.token, reason).set(
        'Idempotency-Key',
        `reject-${claimId}`,
      );
    const rejected = await reject();
    expectStatus(rejected, 200);
    expect(rejected.body).toMatchObject({
      status: 'REJECTED',
      payout: null,
      rejectionReason: 'Write-off not supported by the recovery file',
    });
    expect((await reject()).headers['idempotent-replayed']).toBe('true');
    expectProblem(
      await send('post', path, platformApprover.token, reason),
      409,
      'INVALID_STATE_TRANSITION',
    );
    expectProblem(
      await send('post', `/pool-claims/${claimId}/approve`, platformApprover.token),
      409,
      'INVALID_STATE_TRANSITION',
    );
    expect(
      await countRows(t, 'journal_entries', `kind = 'POOL_PAYOUT' AND financing_id = $1`, [
        financing.id,
      ]),
    ).toBe(0);
    // A corrected claim on the same financing is accepted; a second open one is not.
    const again = await send(
      'post',
      `/programs/${world.programId}/pool/claims`,
      world.maker.token,
      {
        financingId: financing.id,
      },
    );
    expectStatus(again, 201);
    expect(again.body).toMatchObject({ status: 'REQUESTED' });
    expectProblem(
      await send('post', `/programs/${world.programId}/pool/claims`, world.maker.token, {
        financingId: financing.id,
      }),
      409,
      'CONFLICT',
    );
  });

  it('money recovered after an OVERDUE payout goes back to the pool in the share it bore: 9,000 → 4,500, the rest → all 22,500', async () => {
    expectStatus(
      await send(
        'post',
        `/programs/${world.programId}/pool/contributions`,
        platformOperator.token,
        {
          amount: '50000.00',
          contributorId: platform.id,
        },
      ),
      201,
    );
    const financing = await disbursedFinancing(t, world);
    await t.db.query(`UPDATE financings SET maturity_date = current_date - 70 WHERE id = $1`, [
      financing.id,
    ]);
    await t.app.get(OverdueFinancings).markOverdue();
    const claimed = await send(
      'post',
      `/programs/${world.programId}/pool/claims`,
      world.maker.token,
      {
        financingId: financing.id,
      },
    );
    expectStatus(claimed, 201);
    const paid = await send(
      'post',
      `/pool-claims/${(claimed.body as ClaimBody).id}/approve`,
      platformApprover.token,
    );
    expect(paid.body).toMatchObject({ basis: 'OVERDUE', loss: '45000.00', payout: '22500.00' });
    const balanceBefore = (
      (await send('get', `/programs/${world.programId}/pool`, platform.admin.token))
        .body as PoolBody
    ).balance;

    const recover = (amount: string, reference: string) =>
      send('post', `/financings/${financing.id}/recoveries`, world.maker.token, {
        amount,
        receivedAt: '2026-11-29T10:00:00+08:00',
        bankReference: reference,
      });
    expectStatus(await recover('9000.00', 'REC-1'), 201);
    const statement = async () =>
      (await send('get', `/programs/${world.programId}/pool`, platform.admin.token))
        .body as PoolBody & {
        returned: string;
        claims: Array<ClaimBody & { returned: string }>;
      };
    let pool = await statement();
    expect(pool.claims.find((c) => c.id === (claimed.body as ClaimBody).id)).toMatchObject({
      returned: '4500.00',
    });
    expect(new Decimal(pool.balance).minus(balanceBefore).toFixed(2)).toBe('4500.00');
    expect(await ledgerPostings(t, financing.id, 'POOL_REFUND')).toEqual([
      posting('POOL_REFUND', '2026-11-29', world.financier.id, 'POOL_RECOVERY', '4500.00'),
      posting('POOL_REFUND', '2026-11-29', world.financier.id, 'CASH', '-4500.00'),
      posting('POOL_REFUND', '2026-11-29', platform.id, 'CASH', '4500.00'),
      posting('POOL_REFUND', '2026-11-29', platform.id, 'RISK_POOL_FUND', '-4500.00'),
    ]);

    // The supplier pays the rest: the pool has its whole payout back, not a cent more.
    const last = await recover('36000.00', 'REC-2');
    expect(last.body).toMatchObject({ status: 'RECOVERED' });
    pool = await statement();
    expect(pool.claims.find((c) => c.id === (claimed.body as ClaimBody).id)).toMatchObject({
      returned: '22500.00',
    });
    expect(new Decimal(pool.balance).minus(balanceBefore).toFixed(2)).toBe('22500.00');
    await expectBalancedLedger(t);
  });

  it('the anchor paying late after a pool payout: the pool gets back its share of the receivable paid, not of the surplus', async () => {
    const financing = await disbursedFinancing(t, world);
    await t.db.query(`UPDATE financings SET maturity_date = current_date - 70 WHERE id = $1`, [
      financing.id,
    ]);
    await t.app.get(OverdueFinancings).markOverdue();
    const claimed = await send(
      'post',
      `/programs/${world.programId}/pool/claims`,
      world.maker.token,
      {
        financingId: financing.id,
      },
    );
    const claimId = (claimed.body as ClaimBody).id;
    const paid = await send('post', `/pool-claims/${claimId}/approve`, platformApprover.token);
    expect(paid.body).toMatchObject({ loss: '45000.00', payout: '22500.00' });
    // 50,000.00 confirmed: 45,000.00 repays the receivable, 5,000.00 is the supplier's surplus.
    const settled = await send(
      'post',
      `/financings/${financing.id}/settlements`,
      world.maker.token,
      {
        amount: '50000.00',
        paidAt: '2026-11-28T09:30:00+08:00',
        bankReference: 'CMB-LATE-0001',
      },
    );
    expectStatus(settled, 201);
    expect(settled.body).toMatchObject({ status: 'SETTLED' });
    const pool = (await send('get', `/programs/${world.programId}/pool`, platform.admin.token))
      .body as PoolBody & { claims: Array<ClaimBody & { returned: string }> };
    expect(pool.claims.find((c) => c.id === claimId)).toMatchObject({ returned: '22500.00' });
    expect(await ledgerPostings(t, financing.id, 'POOL_REFUND')).toContainEqual(
      posting('POOL_REFUND', '2026-11-28', platform.id, 'RISK_POOL_FUND', '-22500.00'),
    );
    await expectBalancedLedger(t);
  });
});
