import { randomUUID } from 'node:crypto';
import { Role } from '../../src/common/auth/roles';
import { OverdueFinancings } from '../../src/financing/financings/overdue.service';
import { bearer, countRows, expectProblem, expectStatus, type Member } from '../support/fixtures';
import {
  disbursedFinancing,
  financingWorld,
  settlementStatementReady,
  type FinancingWorld,
} from '../support/financing-fixtures';
import {
  auditCount,
  expectBalancedLedger,
  expectReceivablesMatchOutstanding,
  financingRow,
  invoiceStatuses,
  ledgerPostings,
  limitUsage,
  notification,
  posting,
  financingCalls,
} from '../support/financing-probes';
import { startTestApp, type TestApp } from '../support/test-app';
import { idleSnapshot } from '../support/trade-records';

/**
 * What a refused sweep, recovery or write-off must leave untouched. (idempotency_records is left out on purpose: a
 * refusal under an Idempotency-Key is stored, to be replayed.)
 */
const TABLES = [
  'financings',
  'settlements',
  'journal_entries',
  'ledger_postings',
  'audit_events',
  'outbox_messages',
];

describe('past maturity: the overdue sweep, POST /financings/:id/recoveries and /write-off, and the ledger', () => {
  let t: TestApp;
  const idleCounts = () => idleSnapshot(t, TABLES);
  let world: FinancingWorld;
  let other: FinancingWorld;
  /** A world whose program is WITHOUT recourse. */
  let noRecourse: FinancingWorld;
  let anchorOperator: Member;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await financingWorld(t);
    other = await financingWorld(t);
    noRecourse = await financingWorld(t);
    anchorOperator = world.anchor.members[Role.OPERATOR]!;
  });
  afterAll(() => t.close());

  const { post, get, settle, payment, view, released } = financingCalls(() => t);
  const recover = (token: string | null, id: string, body: object, key?: string) =>
    post(`/financings/${id}/recoveries`, token, body, key);
  const writeOff = (token: string | null, id: string, body: object, key?: string) =>
    post(`/financings/${id}/write-off`, token, body, key);
  const recovery = (amount: string, extra: Record<string, unknown> = {}) => ({
    amount,
    receivedAt: '2026-11-28T07:30:00+08:00',
    bankReference: `ICBC-REC-${randomUUID().slice(0, 8)}`,
    ...extra,
  });
  const sweep = () => t.app.get(OverdueFinancings).markOverdue();
  /** Disbursed, its payment date moved 30 days into the past, and swept OVERDUE. */
  const overdueFinancing = async (w: FinancingWorld, amounts?: string[]) => {
    const financing = await disbursedFinancing(t, w, amounts);
    await t.db.query(`UPDATE financings SET maturity_date = current_date - 30 WHERE id = $1`, [
      financing.id,
    ]);
    await sweep();
    expect((await financingRow(t, financing.id)).status).toBe('OVERDUE');
    return financing;
  };

  describe('overdue: the mark-overdue-financings sweep', () => {
    it('marks a DISBURSED financing past payment date + grace days OVERDUE once: invoices OVERDUE, audited, the parties told (the supplier that it is liable); a second run changes nothing', async () => {
      const late = await disbursedFinancing(t, world, ['40000.00']);
      const onTime = await disbursedFinancing(t, world, ['40000.00']);
      const lastGraceDay = await disbursedFinancing(t, world, ['40000.00']);
      await t.db.query(`UPDATE financings SET maturity_date = current_date - 30 WHERE id = $1`, [
        late.id,
      ]);
      // Payment date + 5 grace days is today in the program's zone: not overdue yet.
      await t.db.query(
        `UPDATE financings SET maturity_date = (now() AT TIME ZONE 'Asia/Shanghai')::date - 5 WHERE id = $1`,
        [lastGraceDay.id],
      );

      await sweep();
      const marked = await view(world, late.id);
      expect(marked).toMatchObject({ status: 'OVERDUE', outstandingAmount: '36000.00' });
      expect(Date.parse(marked.overdueAt)).not.toBeNaN();
      expect((await financingRow(t, onTime.id)).status).toBe('DISBURSED');
      expect((await financingRow(t, lastGraceDay.id)).status).toBe('DISBURSED');
      expect(await invoiceStatuses(t, world, late.invoiceIds as string[])).toEqual(['OVERDUE']);
      expect(await invoiceStatuses(t, world, onTime.invoiceIds as string[])).toEqual(['FINANCED']);
      expect(await auditCount(t, 'financing.overdue', late.id)).toBe(1);
      const told = await notification(t, world.supplier.id, 'FINANCING_OVERDUE', late.id);
      expect(told.title).toContain(late.reference);
      expect(told.title).toMatch(/supplier is now liable/);
      await notification(t, world.anchor.id, 'FINANCING_OVERDUE', late.id);
      await notification(t, world.financier.id, 'FINANCING_OVERDUE', late.id);

      const counts = await idleCounts();
      const state = await financingRow(t, late.id);
      expect(await sweep()).toEqual({ overdue: 0 });
      expect(await idleCounts()).toEqual(counts);
      expect(await financingRow(t, late.id)).toEqual(state);
      expect(await auditCount(t, 'financing.overdue', late.id)).toBe(1);

      // One day later the last grace day has passed.
      await t.db.query(`UPDATE financings SET maturity_date = maturity_date - 1 WHERE id = $1`, [
        lastGraceDay.id,
      ]);
      await sweep();
      expect((await financingRow(t, lastGraceDay.id)).status).toBe('OVERDUE');
    });
  });

  describe('recourse and write-off: POST /financings/:id/recoveries and /write-off', () => {
    it('with recourse the supplier repays in parts: OVERDUE until nothing is outstanding, then RECOVERED with the limit released; RECOVERY entries on the business date', async () => {
      const financing = await overdueFinancing(world, ['50000.00']);
      expect(financing.recourse).toBe('WITH');
      const before = await limitUsage(t, world);

      const partial = await recover(world.maker.token, financing.id, recovery('15000.00'));
      expectStatus(partial, 201);
      expect(partial.body).toMatchObject({
        status: 'OVERDUE',
        outstandingAmount: '30000.00',
        paidAmount: '15000.00',
      });
      expect(await limitUsage(t, world)).toEqual(before);
      expect(await auditCount(t, 'financing.recovery_received', financing.id)).toBe(1);

      const counts = await idleCounts();
      const state = await financingRow(t, financing.id);
      const problem = expectProblem(
        await recover(world.maker.token, financing.id, recovery('30000.01')),
        422,
        'OVERPAYMENT',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'amount' })]);
      expectProblem(
        await recover(world.maker.token, financing.id, recovery('100.001')),
        422,
        'VALIDATION_FAILED',
      );
      expect(await idleCounts()).toEqual(counts);
      expect(await financingRow(t, financing.id)).toEqual(state);

      const full = await recover(
        world.financier.admin.token,
        financing.id,
        recovery('30000.00', { receivedAt: '2026-11-29T16:30:00+00:00' }),
      );
      expectStatus(full, 201);
      expect(full.body).toMatchObject({
        status: 'RECOVERED',
        outstandingAmount: '0.00',
        paidAmount: '45000.00',
      });
      expect(released(before, await limitUsage(t, world))).toEqual({
        programUsed: '45000.00',
        supplierUsed: '45000.00',
      });
      expect(await auditCount(t, 'financing.recovered', financing.id)).toBe(1);
      // Recovered is closed: the statement is queued and rendered.
      await settlementStatementReady(t, financing.id);
      expect(
        await countRows(t, 'settlements', `financing_id = $1 AND kind = 'RECOVERY'`, [
          financing.id,
        ]),
      ).toBe(2);
      await notification(t, world.supplier.id, 'FINANCING_RECOVERED', financing.id);

      // The effective date is the business day in the program's zone (Asia/Shanghai):
      // 07:30+08:00 on 10 February is 9 February in UTC; 16:30Z on 20 February is the 21st there.
      const { financier, supplier } = world;
      expect(await ledgerPostings(t, financing.id, 'RECOVERY')).toEqual([
        posting('RECOVERY', '2026-11-28', financier.id, 'CASH', '15000.00'),
        posting('RECOVERY', '2026-11-28', financier.id, 'FINANCING_RECEIVABLE', '-15000.00'),
        posting('RECOVERY', '2026-11-28', supplier.id, 'RECOURSE_PAID', '15000.00'),
        posting('RECOVERY', '2026-11-28', supplier.id, 'CASH', '-15000.00'),
        posting('RECOVERY', '2026-11-30', financier.id, 'CASH', '30000.00'),
        posting('RECOVERY', '2026-11-30', financier.id, 'FINANCING_RECEIVABLE', '-30000.00'),
        posting('RECOVERY', '2026-11-30', supplier.id, 'RECOURSE_PAID', '30000.00'),
        posting('RECOVERY', '2026-11-30', supplier.id, 'CASH', '-30000.00'),
      ]);

      expectProblem(
        await recover(world.maker.token, financing.id, recovery('1.00')),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expectProblem(
        await writeOff(world.checker.token, financing.id, { reason: 'too late' }),
        409,
        'INVALID_STATE_TRANSITION',
      );
    });

    it('recoveries: DISBURSED 409; supplier, anchor, APPROVER 403; another financier or tenant 404; 401; bad input 422; nothing written; a repeated Idempotency-Key records once', async () => {
      const disbursed = await disbursedFinancing(t, world);
      const financing = await overdueFinancing(world);
      const before = await idleCounts();
      const state = await financingRow(t, financing.id);
      const body = recovery('100.00');
      expectProblem(
        await recover(world.maker.token, disbursed.id, body),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expectProblem(
        await recover(world.supplier.admin.token, financing.id, body),
        403,
        'FORBIDDEN',
      );
      expectProblem(await recover(world.anchor.admin.token, financing.id, body), 403, 'FORBIDDEN');
      expectProblem(await recover(world.checker.token, financing.id, body), 403, 'FORBIDDEN');
      expectProblem(
        await recover(world.otherFinancier.admin.token, financing.id, body),
        404,
        'NOT_FOUND',
      );
      expectProblem(await recover(other.maker.token, financing.id, body), 404, 'NOT_FOUND');
      expectProblem(await recover(null, financing.id, body), 401, 'UNAUTHENTICATED');
      for (const [bad, field] of [
        [recovery('100.00', { receivedAt: '2026-11-28T07:30:00' }), 'receivedAt'],
        [recovery('100.00', { receivedAt: '2099-02-10T07:30:00+08:00' }), 'receivedAt'],
        [recovery('100.00', { bankReference: undefined }), 'bankReference'],
        [recovery('abc'), 'amount'],
        [recovery('100.00', { note: 'x' }), 'note'],
      ] as Array<[object, string]>) {
        const problem = expectProblem(
          await recover(world.maker.token, financing.id, bad, randomUUID()),
          422,
          'VALIDATION_FAILED',
        );
        expect(problem.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      }
      expect(await idleCounts()).toEqual(before);
      expect(await financingRow(t, financing.id)).toEqual(state);

      const key = randomUUID();
      const first = await recover(world.maker.token, financing.id, body, key);
      expectStatus(first, 201);
      const replay = await recover(world.maker.token, financing.id, body, key);
      expectStatus(replay, 201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await countRows(t, 'settlements', 'financing_id = $1', [financing.id])).toBe(1);
      expect(replay.body.outstandingAmount).toBe('44900.00');
    });

    it('without recourse a recovery is 409 and the supplier is not told it is liable; the financier may write it off', async () => {
      const patched = await t
        .http()
        .patch(`/api/v1/programs/${noRecourse.programId}`)
        .set(...bearer(noRecourse.anchor.admin.token))
        .send({ recourse: 'WITHOUT' });
      expectStatus(patched, 200);
      expect(patched.body.recourse).toBe('WITHOUT');
      const financing = await overdueFinancing(noRecourse);
      expect(financing.recourse).toBe('WITHOUT');

      const before = await idleCounts();
      const state = await financingRow(t, financing.id);
      const problem = expectProblem(
        await recover(noRecourse.maker.token, financing.id, recovery('100.00')),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(problem.detail).toMatch(/without recourse/);
      expect(await idleCounts()).toEqual(before);
      expect(await financingRow(t, financing.id)).toEqual(state);
      const told = await notification(t, noRecourse.supplier.id, 'FINANCING_OVERDUE', financing.id);
      expect(told.title).not.toMatch(/liable/);

      const written = await writeOff(noRecourse.checker.token, financing.id, {
        reason: 'Anchor insolvent; claim lodged with the administrator',
      });
      expectStatus(written, 200);
      expect(written.body).toMatchObject({ status: 'WRITTEN_OFF', outstandingAmount: '0.00' });
      await settlementStatementReady(t, financing.id);
    });

    it('write-off (the APPROVER only) of an OVERDUE financing → WRITTEN_OFF: CREDIT_LOSS of what is outstanding, limit released, once per Idempotency-Key', async () => {
      const disbursed = await disbursedFinancing(t, world);
      const financing = await overdueFinancing(world, ['50000.00']);
      expectStatus(await recover(world.maker.token, financing.id, recovery('10000.00')), 201);
      const before = await limitUsage(t, world);
      const counts = await idleCounts();
      const state = await financingRow(t, financing.id);
      const reason = { reason: 'Supplier in liquidation; nothing more to recover' };

      expectProblem(await writeOff(world.maker.token, financing.id, reason), 403, 'FORBIDDEN');
      expectProblem(
        await writeOff(world.financier.admin.token, financing.id, reason),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await writeOff(world.supplier.admin.token, financing.id, reason),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await writeOff(world.anchor.members[Role.APPROVER]!.token, financing.id, reason),
        403,
        'FORBIDDEN',
      );
      expectProblem(await writeOff(other.checker.token, financing.id, reason), 404, 'NOT_FOUND');
      expectProblem(await writeOff(null, financing.id, reason), 401, 'UNAUTHENTICATED');
      expectProblem(
        await writeOff(world.checker.token, disbursed.id, reason),
        409,
        'INVALID_STATE_TRANSITION',
      );
      for (const bad of [{}, { reason: '  ' }, { ...reason, amount: '1.00' }])
        expectProblem(
          await writeOff(world.checker.token, financing.id, bad, randomUUID()),
          422,
          'VALIDATION_FAILED',
        );
      expect(await idleCounts()).toEqual(counts);
      expect(await financingRow(t, financing.id)).toEqual(state);

      const key = randomUUID();
      const written = await writeOff(world.checker.token, financing.id, reason, key);
      expectStatus(written, 200);
      expect(written.body).toMatchObject({
        status: 'WRITTEN_OFF',
        outstandingAmount: '0.00',
        paidAmount: '10000.00',
        writeOffReason: reason.reason,
      });
      const replay = await writeOff(world.checker.token, financing.id, reason, key);
      expectStatus(replay, 200);
      expect(replay.body).toEqual(written.body);
      const losses = await ledgerPostings(t, financing.id, 'WRITE_OFF');
      expect(losses).toEqual([
        expect.objectContaining({
          organizationId: world.financier.id,
          account: 'CREDIT_LOSS',
          amount: '35000.00',
        }),
        expect.objectContaining({
          organizationId: world.financier.id,
          account: 'FINANCING_RECEIVABLE',
          amount: '-35000.00',
        }),
      ]);
      expect(released(before, await limitUsage(t, world))).toEqual({
        programUsed: '45000.00',
        supplierUsed: '45000.00',
      });
      expect(await auditCount(t, 'financing.written_off', financing.id)).toBe(1);
      // One statement for the write-off, whatever the replay.
      await settlementStatementReady(t, financing.id);
      await notification(t, world.supplier.id, 'FINANCING_WRITTEN_OFF', financing.id);
      expectProblem(
        await writeOff(world.checker.token, financing.id, reason),
        409,
        'INVALID_STATE_TRANSITION',
      );
    });

    it('the anchor may still pay an OVERDUE financing, which settles it: invoices SETTLED, limit released', async () => {
      const financing = await overdueFinancing(world, ['20000.00']);
      const before = await limitUsage(t, world);
      const paid = await settle(anchorOperator.token, financing.id, payment('20000.00'));
      expectStatus(paid, 201);
      expect(paid.body).toMatchObject({ status: 'SETTLED', paidAmount: '20000.00' });
      expect(await view(world, financing.id)).toMatchObject({
        outstandingAmount: '0.00',
        surplusAmount: '2000.00',
      });
      expect(await invoiceStatuses(t, world, financing.invoiceIds as string[])).toEqual([
        'SETTLED',
      ]);
      expect(released(before, await limitUsage(t, world))).toEqual({
        programUsed: '18000.00',
        supplierUsed: '18000.00',
      });
      await settlementStatementReady(t, financing.id);
    });
  });

  describe('recourse, then the anchor pays after all', () => {
    it('takes the full confirmed amount from the anchor and owes the supplier its recourse payment back as surplus', async () => {
      const financing = await overdueFinancing(world, ['20000.00']); // advance 18,000.00
      expectStatus(
        await post(`/financings/${financing.id}/recoveries`, world.financier.admin.token, {
          amount: '5000.00',
          receivedAt: '2026-11-28T10:00:00+08:00',
          bankReference: 'REC-1',
        }),
        201,
      );
      const paid = await settle(anchorOperator.token, financing.id, payment('20000.00'));
      expectStatus(paid, 201);
      expect(paid.body).toMatchObject({ status: 'SETTLED', paidAmount: '25000.00' });
      // 13,000.00 repaid the rest of the advance; 2,000.00 surplus + the 5,000.00 recourse payment.
      expect(await view(world, financing.id)).toMatchObject({
        outstandingAmount: '0.00',
        surplusAmount: '7000.00',
      });
      await settlementStatementReady(t, financing.id);
      expectProblem(
        await settle(anchorOperator.token, financing.id, payment('0.01')),
        409,
        'INVALID_STATE_TRANSITION',
      );
    });
  });

  describe('the ledger afterwards', () => {
    it('balances per entry, currency and organisation; each financier’s FINANCING_RECEIVABLE (GET /ledger/accounts, financierExposure) is what its DISBURSED and OVERDUE financings have outstanding', async () => {
      await expectBalancedLedger(t);
      const financiers = [world, other, noRecourse].flatMap((w) => [w.financier, w.otherFinancier]);
      expect(await expectReceivablesMatchOutstanding(t, financiers)).toBeGreaterThan(0);
      const own = await get('/ledger/accounts', world.financier.admin.token);
      expect((own.body as Array<{ code: string }>).map((account) => account.code)).toEqual(
        expect.arrayContaining(['CASH', 'CREDIT_LOSS', 'FINANCING_RECEIVABLE', 'SURPLUS_PAYABLE']),
      );
      expect(
        await countRows(t, 'journal_entries', `kind IN ('RECOVERY', 'WRITE_OFF')`),
      ).toBeGreaterThan(0);
    });
  });
});
