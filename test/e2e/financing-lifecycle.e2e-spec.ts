import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { Role } from '../../src/common/auth/roles';
import { Decimal } from '../../src/common/money/decimal';
import { ensureXmllint, validateIso20022 } from '../../src/financing/iso20022/iso20022-schema';
import type { Pain001Version } from '../../src/financing/iso20022/pain001';
import { silentLog } from '../../src/infra/local-services/log';
import {
  addMember,
  countRows,
  expectProblem,
  expectStatus,
  snapshotCounts,
  type Member,
} from '../support/fixtures';
import {
  acceptedFinancing,
  approvedFinancing,
  payoutDocumentsReady,
  disbursedFinancing,
  financingWorld,
  PAYMENT_DATE,
  pricedRequest,
  requestFinancing,
  type FinancingWorld,
} from '../support/financing-fixtures';
import {
  auditCount,
  expectBalancedLedger,
  expectReceivablesMatchOutstanding,
  financingRow,
  invoiceStatuses,
  ledgerPostings,
  limitDelta,
  limitUsage,
  notification,
  posting,
  financingCalls,
} from '../support/financing-probes';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * What a refused maker-checker, decline or payout call must leave untouched. (idempotency_records
 * is left out on purpose: a refusal under an Idempotency-Key is stored, to be replayed.)
 */
const TABLES = [
  'financings',
  'financing_invoices',
  'journal_entries',
  'ledger_postings',
  'documents',
  'audit_events',
  'outbox_messages',
];

type FinancingBody = Record<string, unknown> & { id: string; reference: string };

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  removeNSPrefix: true,
  isArray: (name) => name === 'PmtInf' || name === 'CdtTrfTxInf',
});

describe('financing lifecycle: maker-checker, decline, payment instructions (pain.001) and payout', () => {
  let t: TestApp;
  let world: FinancingWorld;
  let other: FinancingWorld;
  let viewer: Member;
  /** An APPROVER of the program's other financier. */
  let otherChecker: Member;
  let platformId: string;

  beforeAll(async () => {
    await ensureXmllint({ install: false, log: silentLog });
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await financingWorld(t);
    other = await financingWorld(t);
    viewer = await addMember(t, world.financier, [Role.VIEWER]);
    otherChecker = await addMember(t, world.otherFinancier, [Role.APPROVER]);
    const [platform] = (await t.db.query(
      `SELECT id FROM organizations WHERE kind = 'PLATFORM' ORDER BY created_at LIMIT 1`,
    )) as Array<{ id: string }>;
    platformId = platform.id;
  });
  afterAll(() => t.close());

  const { post, get } = financingCalls(() => t);
  const submit = (token: string | null, id: string, key?: string) =>
    post(`/financings/${id}/submit-approval`, token, undefined, key);
  const approve = (token: string | null, id: string, key?: string) =>
    post(`/financings/${id}/approve`, token, undefined, key);
  const decline = (token: string | null, id: string, body: object, key?: string) =>
    post(`/financings/${id}/decline`, token, body, key);
  const disburse = (token: string | null, id: string, body: object, key?: string) =>
    post(`/financings/${id}/disburse`, token, body, key);
  const instruction = (token: string | null, id: string, version?: string) =>
    get(`/financings/${id}/payment-instruction${version ? `?version=${version}` : ''}`, token);
  const payout = (reference: string) => ({
    bankReference: `ICBC-${reference}`,
    disbursedAt: '2026-11-27T10:15:00+08:00',
  });

  const submitted = async (w: FinancingWorld, amounts?: string[]): Promise<FinancingBody> => {
    const financing = await acceptedFinancing(t, w, amounts);
    expectStatus(await submit(w.maker.token, financing.id), 200);
    return financing;
  };
  const parsePain = (text: string) =>
    (xml.parse(text) as { Document: { CstmrCdtTrfInitn: Record<string, unknown> } }).Document
      .CstmrCdtTrfInitn as {
      GrpHdr: { MsgId: string; NbOfTxs: string; CtrlSum: string; CreDtTm: string };
      PmtInf: Array<Record<string, unknown> & { CdtTrfTxInf: Array<Record<string, unknown>> }>;
    };

  describe('maker-checker: POST /financings/:id/submit-approval and /approve', () => {
    it('the maker submits (PENDING_APPROVAL), a different APPROVER approves (APPROVED); both audited, the limit stays reserved', async () => {
      const financing = await acceptedFinancing(t, world);
      const before = await limitUsage(t, world);

      const submittedResponse = await submit(world.maker.token, financing.id);
      expectStatus(submittedResponse, 200);
      expect(submittedResponse.body).toMatchObject({
        id: financing.id,
        status: 'PENDING_APPROVAL',
        makerId: world.maker.id,
        checkerId: null,
        approvedAt: null,
      });
      const approved = await approve(world.checker.token, financing.id);
      expectStatus(approved, 200);
      expect(approved.body).toMatchObject({
        id: financing.id,
        status: 'APPROVED',
        makerId: world.maker.id,
        checkerId: world.checker.id,
        advanceAmount: financing.advanceAmount,
        netProceeds: financing.netProceeds,
      });
      expect(Date.parse(approved.body.approvedAt as string)).not.toBeNaN();
      expect(await financingRow(t, financing.id)).toMatchObject({
        status: 'APPROVED',
        maker_id: world.maker.id,
        checker_id: world.checker.id,
      });
      expect(await auditCount(t, 'financing.submitted_for_approval', financing.id)).toBe(1);
      expect(await auditCount(t, 'financing.approved', financing.id)).toBe(1);
      // Approval changes no limit: the advance stays reserved until payout.
      expect(await limitUsage(t, world)).toEqual(before);
      expect(await invoiceStatuses(t, world, financing.invoiceIds as string[])).toEqual([
        'IN_FINANCING',
      ]);
      await notification(t, world.financier.id, 'FINANCING_APPROVAL_REQUESTED', financing.id);
      await notification(t, world.supplier.id, 'FINANCING_APPROVED', financing.id);
    });

    it('a user who is both OPERATOR and APPROVER may submit but never approve what it submitted (403 MAKER_CHECKER_VIOLATION, nothing written); the database refuses it too', async () => {
      const both = await addMember(t, world.financier, [Role.OPERATOR, Role.APPROVER]);
      const financing = await acceptedFinancing(t, world);
      const made = await submit(both.token, financing.id);
      expectStatus(made, 200);
      expect(made.body).toMatchObject({ status: 'PENDING_APPROVAL', makerId: both.id });

      const before = await snapshotCounts(t, TABLES);
      const state = await financingRow(t, financing.id);
      const refused = expectProblem(
        await approve(both.token, financing.id, randomUUID()),
        403,
        'MAKER_CHECKER_VIOLATION',
      );
      expect(refused.detail).toMatch(/maker/i);
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
      expect(await financingRow(t, financing.id)).toEqual(state);
      expect(await auditCount(t, 'financing.approved', financing.id)).toBe(0);

      // Whatever the code does, the CHECK constraint keeps checker and maker apart.
      await expect(
        t.db.query(
          `UPDATE financings SET status = 'APPROVED', checker_id = maker_id WHERE id = $1`,
          [financing.id],
        ),
      ).rejects.toThrow(/financings_maker_checker_check/);

      // Another APPROVER checks it; the dual-role user may check someone else's.
      const approved = await approve(world.checker.token, financing.id);
      expectStatus(approved, 200);
      expect(approved.body).toMatchObject({
        status: 'APPROVED',
        makerId: both.id,
        checkerId: world.checker.id,
      });
      const second = await submitted(world);
      const checked = await approve(both.token, second.id);
      expectStatus(checked, 200);
      expect(checked.body).toMatchObject({ makerId: world.maker.id, checkerId: both.id });
    });

    it('the financier ADMIN may submit; only an APPROVER approves (ADMIN and OPERATOR 403) and an APPROVER does not submit (403)', async () => {
      const financing = await acceptedFinancing(t, world);
      const before = await snapshotCounts(t, TABLES);
      expectProblem(await submit(world.checker.token, financing.id), 403, 'FORBIDDEN');
      expectProblem(await submit(viewer.token, financing.id), 403, 'FORBIDDEN');
      expect(await snapshotCounts(t, TABLES)).toEqual(before);

      const byAdmin = await submit(world.financier.admin.token, financing.id);
      expectStatus(byAdmin, 200);
      expect(byAdmin.body.status).toBe('PENDING_APPROVAL');
      const pending = await snapshotCounts(t, TABLES);
      expectProblem(await approve(world.financier.admin.token, financing.id), 403, 'FORBIDDEN');
      expectProblem(await approve(world.maker.token, financing.id), 403, 'FORBIDDEN');
      expectProblem(await approve(viewer.token, financing.id), 403, 'FORBIDDEN');
      expect(await snapshotCounts(t, TABLES)).toEqual(pending);
      expect((await financingRow(t, financing.id)).status).toBe('PENDING_APPROVAL');
    });

    it.each([
      ['submit-approval', 'ACCEPTED'],
      ['approve', 'PENDING_APPROVAL'],
      ['decline', 'PENDING_APPROVAL'],
    ])(
      '%s: another financier or tenant 404, supplier/anchor/viewer 403, no credentials 401, nothing written',
      async (action, status) => {
        const financing =
          status === 'ACCEPTED' ? await acceptedFinancing(t, world) : await submitted(world);
        // Each refused caller has a role the action allows, so tenancy, not the role, refuses it.
        const permitted = (w: FinancingWorld) =>
          action === 'approve'
            ? w.checker.token
            : action === 'decline'
              ? w.financier.admin.token
              : w.maker.token;
        const call = (token: string | null, id = financing.id) =>
          post(
            `/financings/${id}/${action}`,
            token,
            action === 'decline' ? { reason: 'KYC refresh outstanding' } : undefined,
            randomUUID(),
          );
        const before = await snapshotCounts(t, TABLES);
        const state = await financingRow(t, financing.id);
        const limits = await limitUsage(t, world);

        expectProblem(
          await call(action === 'approve' ? otherChecker.token : world.otherFinancier.admin.token),
          404,
          'NOT_FOUND',
        );
        expectProblem(await call(permitted(other)), 404, 'NOT_FOUND');
        expectProblem(await call(world.supplier.admin.token), 403, 'FORBIDDEN');
        expectProblem(await call(world.anchor.admin.token), 403, 'FORBIDDEN');
        expectProblem(await call(viewer.token), 403, 'FORBIDDEN');
        expectProblem(await call(null), 401, 'UNAUTHENTICATED');
        expectProblem(await call(permitted(world), randomUUID()), 404, 'NOT_FOUND');
        expectProblem(await call(permitted(world), 'not-a-uuid'), 404, 'NOT_FOUND');

        expect(await snapshotCounts(t, TABLES)).toEqual(before);
        expect(await financingRow(t, financing.id)).toEqual(state);
        expect(await limitUsage(t, world)).toEqual(limits);
      },
    );

    it('refuses a transition not drawn with 409 INVALID_STATE_TRANSITION and the current status', async () => {
      const financing = await acceptedFinancing(t, world);
      const before = await snapshotCounts(t, TABLES);
      const early = expectProblem(
        await approve(world.checker.token, financing.id),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(early.status).toBe(409);
      expect(early).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      expect(JSON.stringify(early)).toContain('ACCEPTED');
      expect(await snapshotCounts(t, TABLES)).toEqual(before);

      expectStatus(await submit(world.maker.token, financing.id), 200);
      const twice = expectProblem(
        await submit(world.maker.token, financing.id),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(JSON.stringify(twice)).toContain('PENDING_APPROVAL');
      expectStatus(await approve(world.checker.token, financing.id), 200);
      expectProblem(
        await approve(world.checker.token, financing.id),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expectProblem(await submit(world.maker.token, financing.id), 409, 'INVALID_STATE_TRANSITION');
      expect(await auditCount(t, 'financing.approved', financing.id)).toBe(1);
      expect((await financingRow(t, financing.id)).status).toBe('APPROVED');
    });

    it('a repeated Idempotency-Key gives the same answer and one transition (submit, approve, decline)', async () => {
      const financing = await acceptedFinancing(t, world);
      const submitKey = randomUUID();
      const first = await submit(world.maker.token, financing.id, submitKey);
      expectStatus(first, 200);
      const replay = await submit(world.maker.token, financing.id, submitKey);
      expectStatus(replay, 200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await auditCount(t, 'financing.submitted_for_approval', financing.id)).toBe(1);

      const approveKey = randomUUID();
      const approved = await approve(world.checker.token, financing.id, approveKey);
      expectStatus(approved, 200);
      const again = await approve(world.checker.token, financing.id, approveKey);
      expectStatus(again, 200);
      expect(again.body).toEqual(approved.body);
      expect(await auditCount(t, 'financing.approved', financing.id)).toBe(1);

      const declined = await submitted(world);
      const limits = await limitUsage(t, world);
      const declineKey = randomUUID();
      const body = { reason: 'Supplier KYC refresh outstanding' };
      const once = await decline(world.checker.token, declined.id, body, declineKey);
      expectStatus(once, 200);
      const twice = await decline(world.checker.token, declined.id, body, declineKey);
      expectStatus(twice, 200);
      expect(twice.headers['idempotent-replayed']).toBe('true');
      expect(twice.body).toEqual(once.body);
      expect(await auditCount(t, 'financing.declined', declined.id)).toBe(1);
      // Released once, not twice.
      expect(limitDelta(limits, await limitUsage(t, world))).toEqual({
        programReserved: `-${declined.advanceAmount as string}`,
        programUsed: '0.00',
        supplierReserved: `-${declined.advanceAmount as string}`,
        supplierUsed: '0.00',
      });
    });
  });

  describe('POST /financings/:id/decline', () => {
    it('declines an APPROVED financing: the reservation is released (program and supplier), the invoices are CONFIRMED and can be requested again', async () => {
      const before = await limitUsage(t, world);
      const financing = await approvedFinancing(t, world, ['50000.00', '30000.00']);
      const invoiceIds = financing.invoiceIds as string[];
      expect(limitDelta(before, await limitUsage(t, world))).toMatchObject({
        programReserved: financing.advanceAmount,
        supplierReserved: financing.advanceAmount,
      });

      const response = await decline(world.checker.token, financing.id, {
        reason: '  Supplier KYC refresh outstanding  ',
      });
      expectStatus(response, 200);
      expect(response.body).toMatchObject({
        status: 'DECLINED',
        declineReason: 'Supplier KYC refresh outstanding',
        invoiceIds: [...invoiceIds].sort(),
      });
      expect(await limitUsage(t, world)).toEqual(before);
      expect(await invoiceStatuses(t, world, invoiceIds)).toEqual(['CONFIRMED', 'CONFIRMED']);
      expect(
        await countRows(t, 'financing_invoices', 'financing_id = $1 AND live', [financing.id]),
      ).toBe(0);
      expect(await auditCount(t, 'financing.declined', financing.id)).toBe(1);
      await notification(t, world.supplier.id, 'FINANCING_DECLINED', financing.id);
      // A declined financing is never paid out.
      expectProblem(
        await instruction(world.financier.admin.token, financing.id),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expectProblem(
        await disburse(world.maker.token, financing.id, payout(financing.reference)),
        409,
        'INVALID_STATE_TRANSITION',
      );

      // The same invoices are free for a new request, and a new financing.
      const again = await requestFinancing(t, world, invoiceIds);
      const priced = await pricedRequest(t, world, again.id);
      expect(priced.status).toBe('OFFERED');
      const offer = priced.offers.find((o) => o.financierId === world.financier.id)!;
      const accepted = await post(`/offers/${offer.id}/accept`, world.supplier.admin.token);
      expectStatus(accepted, 201);
      expect(accepted.body).toMatchObject({ status: 'ACCEPTED' });
      expect(accepted.body.reference).not.toBe(financing.reference);
      expect(await invoiceStatuses(t, world, invoiceIds)).toEqual(['IN_FINANCING', 'IN_FINANCING']);
    });

    it('declines an ACCEPTED financing too (any financier role but VIEWER); a DISBURSED one cannot be declined (409)', async () => {
      const before = await limitUsage(t, world);
      const financing = await acceptedFinancing(t, world);
      const response = await decline(world.maker.token, financing.id, {
        reason: 'Out of appetite',
      });
      expectStatus(response, 200);
      expect(response.body.status).toBe('DECLINED');
      expect(await limitUsage(t, world)).toEqual(before);
      expect(await invoiceStatuses(t, world, financing.invoiceIds as string[])).toEqual([
        'CONFIRMED',
      ]);
      expectProblem(
        await decline(world.maker.token, financing.id, { reason: 'again' }),
        409,
        'INVALID_STATE_TRANSITION',
      );

      const disbursed = await disbursedFinancing(t, world);
      const counts = await snapshotCounts(t, TABLES);
      const limits = await limitUsage(t, world);
      const refused = expectProblem(
        await decline(world.financier.admin.token, disbursed.id, { reason: 'too late' }),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(JSON.stringify(refused)).toContain('DISBURSED');
      expect(await snapshotCounts(t, TABLES)).toEqual(counts);
      expect(await limitUsage(t, world)).toEqual(limits);
      expect((await financingRow(t, disbursed.id)).status).toBe('DISBURSED');
    });

    it('bad input is 422 problem+json and writes nothing: no reason, a blank one, a number, an unknown field', async () => {
      const financing = await submitted(world);
      const before = await snapshotCounts(t, TABLES);
      const state = await financingRow(t, financing.id);
      const limits = await limitUsage(t, world);
      const cases: Array<[object, string]> = [
        [{}, 'reason'],
        [{ reason: '   ' }, 'reason'],
        [{ reason: 42 }, 'reason'],
        [{ reason: 'x'.repeat(1001) }, 'reason'],
        [{ reason: 'fine', approve: true }, 'approve'],
      ];
      for (const [body, field] of cases) {
        const problem = expectProblem(
          await decline(world.checker.token, financing.id, body, randomUUID()),
          422,
          'VALIDATION_FAILED',
        );
        expect(problem.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      }
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
      expect(await financingRow(t, financing.id)).toEqual(state);
      expect(await limitUsage(t, world)).toEqual(limits);
    });
  });

  describe('payment instructions: GET /financings/:id/payment-instruction and GET /payment-instructions', () => {
    it.each(['001.001.12', '001.001.03'] as Pain001Version[])(
      'pain.%s: valid against the official XSD; debtor the financier, creditor the supplier, net proceeds, reference, value date',
      async (version) => {
        const financing = await approvedFinancing(t, world);
        const response = await instruction(world.checker.token, financing.id, version);
        expectStatus(response, 200);
        expect(response.headers['content-type']).toMatch(/^application\/xml/);
        const text = response.text;
        expect(await validateIso20022(text, `pain.${version}`)).toEqual({ valid: true });
        expect(text).toContain(`urn:iso:std:iso:20022:tech:xsd:pain.${version}`);

        const document = parsePain(text);
        expect(document.GrpHdr).toMatchObject({
          NbOfTxs: '1',
          CtrlSum: financing.netProceeds,
        });
        // Its creation time is the approval (to the second), so every download is the same file.
        expect(Date.parse(document.GrpHdr.CreDtTm)).toBe(
          Math.floor(Date.parse(financing.approvedAt as string) / 1000) * 1000,
        );
        expect(document.PmtInf).toHaveLength(1);
        const payment = document.PmtInf[0];
        const bic = version === '001.001.12' ? 'BICFI' : 'BIC';
        expect(payment).toMatchObject({
          PmtMtd: 'TRF',
          NbOfTxs: '1',
          CtrlSum: financing.netProceeds,
          Dbtr: { Nm: world.financier.name },
          DbtrAcct: { Id: { IBAN: 'DE89370400440532013000' }, Ccy: 'CNY' },
          DbtrAgt: { FinInstnId: { [bic]: 'COBADEFFXXX' } },
        });
        expect(payment.ReqdExctnDt).toEqual(
          version === '001.001.12' ? { Dt: financing.valueDate } : financing.valueDate,
        );
        expect(payment.CdtTrfTxInf).toHaveLength(1);
        expect(payment.CdtTrfTxInf[0]).toMatchObject({
          PmtId: { EndToEndId: financing.reference },
          Amt: { InstdAmt: { '#text': financing.netProceeds, '@_Ccy': 'CNY' } },
          CdtrAgt: {
            FinInstnId: { ClrSysMmbId: { ClrSysId: { Cd: 'CNAPS' }, MmbId: '102100099996' } },
          },
          Cdtr: { Nm: world.supplier.name },
          CdtrAcct: { Id: { Othr: { Id: '6222020200112233445' } }, Ccy: 'CNY' },
        });
        expect(JSON.stringify(payment.CdtTrfTxInf[0])).toContain(financing.reference);

        const again = await instruction(world.financier.admin.token, financing.id, version);
        expectStatus(again, 200);
        expect(again.text).toBe(text);
      },
    );

    it('only the financier downloads: supplier and anchor 403, another financier or tenant 404, 401; before APPROVED 409; an unknown version 422', async () => {
      const financing = await approvedFinancing(t, world);
      const id = financing.id;
      expectStatus(await instruction(world.maker.token, id), 200);
      expectStatus(await instruction(viewer.token, id), 200);
      expectProblem(await instruction(world.supplier.admin.token, id), 403, 'FORBIDDEN');
      expectProblem(await instruction(world.anchor.admin.token, id), 403, 'FORBIDDEN');
      expectProblem(await instruction(world.otherFinancier.admin.token, id), 404, 'NOT_FOUND');
      expectProblem(await instruction(other.financier.admin.token, id), 404, 'NOT_FOUND');
      expectProblem(await instruction(null, id), 401, 'UNAUTHENTICATED');
      expectProblem(await instruction(world.maker.token, randomUUID()), 404, 'NOT_FOUND');
      const problem = expectProblem(
        await instruction(world.maker.token, id, '001.001.09'),
        422,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'version' })]);

      const accepted = await acceptedFinancing(t, world);
      expectProblem(
        await instruction(world.maker.token, accepted.id),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expectStatus(await submit(world.maker.token, accepted.id), 200);
      expectProblem(
        await instruction(world.maker.token, accepted.id, '001.001.03'),
        409,
        'INVALID_STATE_TRANSITION',
      );
    });

    it('409 BANK_ACCOUNT_MISSING, naming whose, when the supplier or the financier has no account in the currency', async () => {
      const bare = await financingWorld(t);
      const financing = await approvedFinancing(t, bare);
      await t.db.query(`DELETE FROM bank_accounts WHERE organization_id = $1`, [bare.supplier.id]);
      for (const version of ['001.001.12', '001.001.03']) {
        const problem = expectProblem(
          await instruction(bare.financier.admin.token, financing.id, version),
          409,
          'BANK_ACCOUNT_MISSING',
        );
        expect(problem).toMatchObject({ organizationId: bare.supplier.id, currency: 'CNY' });
        expect(problem.detail).toMatch(/supplier/);
      }
      const day = await approvalDay(financing.id);
      expectProblem(
        await get(`/payment-instructions?date=${day}`, bare.financier.admin.token),
        409,
        'BANK_ACCOUNT_MISSING',
      );

      // The financier without its account: named as the financier.
      await t.db.query(`DELETE FROM bank_accounts WHERE organization_id = $1`, [bare.financier.id]);
      const problem = expectProblem(
        await instruction(bare.financier.admin.token, financing.id),
        409,
        'BANK_ACCOUNT_MISSING',
      );
      expect(problem).toMatchObject({ organizationId: bare.financier.id });
      expect(problem.detail).toMatch(/financier/);
    });

    async function approvalDay(financingId: string): Promise<string> {
      const [found] = (await t.db.query(
        `SELECT (f.approved_at AT TIME ZONE p.timezone)::date::text AS day
           FROM financings f JOIN programs p ON p.id = f.program_id WHERE f.id = $1`,
        [financingId],
      )) as Array<{ day: string }>;
      return found.day;
    }

    it('GET /payment-instructions?date=: one pain.001 for every financing the financier approved that day and has not paid out (NbOfTxs, CtrlSum), valid; none 404; a bad date 422', async () => {
      const day = await financingWorld(t);
      const first = await approvedFinancing(t, day, ['50000.00']);
      const second = await approvedFinancing(t, day, ['30000.00', '20000.00']);
      const paidOut = await disbursedFinancing(t, day, ['40000.00']);
      const pending = await acceptedFinancing(t, day, ['10000.00']);
      expectStatus(await submit(day.maker.token, pending.id), 200);
      const date = await approvalDay(second.id);
      expect(await approvalDay(first.id)).toBe(date);

      for (const version of ['001.001.12', '001.001.03'] as Pain001Version[]) {
        const response = await get(
          `/payment-instructions?date=${date}&version=${version}`,
          day.checker.token,
        );
        expectStatus(response, 200);
        expect(response.headers['content-type']).toMatch(/^application\/xml/);
        const text = response.text;
        expect(await validateIso20022(text, `pain.${version}`)).toEqual({ valid: true });
        const document = parsePain(text);
        const sum = new Decimal(first.netProceeds as string)
          .plus(second.netProceeds as string)
          .toFixed(2);
        expect(document.GrpHdr).toMatchObject({ NbOfTxs: '2', CtrlSum: sum });
        expect(document.GrpHdr.MsgId).toBe(`SCF-${date.replaceAll('-', '')}-CNY-2`);
        expect(document.PmtInf).toHaveLength(1);
        expect(document.PmtInf[0]).toMatchObject({
          NbOfTxs: '2',
          CtrlSum: sum,
          DbtrAcct: { Id: { IBAN: 'DE89370400440532013000' } },
        });
        const transfers = document.PmtInf[0].CdtTrfTxInf as Array<{
          PmtId: { EndToEndId: string };
          Amt: { InstdAmt: { '#text': string } };
        }>;
        expect(
          transfers
            .map((transfer) => [transfer.PmtId.EndToEndId, transfer.Amt.InstdAmt['#text']])
            .sort(),
        ).toEqual(
          [
            [first.reference, first.netProceeds],
            [second.reference, second.netProceeds],
          ].sort(),
        );
        expect(text).not.toContain(paidOut.reference);
        expect(text).not.toContain(pending.reference);
      }

      // The other financier of the program approved nothing that day; nor did anyone in 2020.
      expectProblem(
        await get(`/payment-instructions?date=${date}`, day.otherFinancier.admin.token),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await get('/payment-instructions?date=2020-01-02', day.financier.admin.token),
        404,
        'NOT_FOUND',
      );
      for (const bad of ['2026-13-01', '2026-02-30', 'today', ''])
        expectProblem(
          await get(`/payment-instructions?date=${bad}`, day.financier.admin.token),
          422,
          'VALIDATION_FAILED',
        );
      expectProblem(
        await get('/payment-instructions', day.financier.admin.token),
        422,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await get(`/payment-instructions?date=${date}&version=9`, day.financier.admin.token),
        422,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await get(`/payment-instructions?date=${date}`, day.supplier.admin.token),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await get(`/payment-instructions?date=${date}`, day.anchor.admin.token),
        403,
        'FORBIDDEN',
      );
      expectProblem(await get(`/payment-instructions?date=${date}`, null), 401, 'UNAUTHENTICATED');
    });
  });

  describe('payout: POST /financings/:id/disburse', () => {
    it('→ DISBURSED: invoices FINANCED, reserved becomes used, ASSIGNMENT_NOTICE queued for the anchor and FINANCING_CONFIRMATION for the supplier, the DISBURSEMENT entry of docs/ledger.md, the anchor told', async () => {
      const before = await limitUsage(t, world);
      const financing = await approvedFinancing(t, world, ['50000.00', '30000.00']);
      const invoiceIds = financing.invoiceIds as string[];
      const advance = financing.advanceAmount as string;
      expect(advance).toBe('72000.00');

      const response = await disburse(world.maker.token, financing.id, {
        bankReference: 'ICBC-20261201-000417',
        disbursedAt: '2026-11-27T10:15:00+08:00',
      });
      expectStatus(response, 200);
      expect(response.body).toMatchObject({
        status: 'DISBURSED',
        bankReference: 'ICBC-20261201-000417',
        disbursedAt: '2026-11-27T02:15:00.000Z',
        outstandingAmount: advance,
        paidAmount: '0.00',
      });
      expect(await invoiceStatuses(t, world, invoiceIds)).toEqual(['FINANCED', 'FINANCED']);
      expect(limitDelta(before, await limitUsage(t, world))).toEqual({
        programReserved: '0.00',
        programUsed: advance,
        supplierReserved: '0.00',
        supplierUsed: advance,
      });

      const documents = (await t.db.query(
        `SELECT kind, status, subject_type, party_ids::text[] AS party_ids, number
           FROM documents WHERE subject_id = $1 ORDER BY kind`,
        [financing.id],
      )) as Array<Record<string, unknown>>;
      // Recorded QUEUED with the payout; the documents worker may already have rendered them.
      const queuedOrReady = expect.stringMatching(/^(QUEUED|READY)$/) as unknown;
      expect(documents).toEqual([
        {
          kind: 'ASSIGNMENT_NOTICE',
          status: queuedOrReady,
          subject_type: 'financing',
          party_ids: expect.arrayContaining([world.anchor.id]) as unknown,
          number: `AN-${financing.reference}`,
        },
        {
          kind: 'FINANCING_CONFIRMATION',
          status: queuedOrReady,
          subject_type: 'financing',
          // It states the pricing, which the anchor never sees: not one of its parties.
          party_ids: [world.supplier.id, world.financier.id],
          number: `FC-${financing.reference}`,
        },
      ]);

      const net = financing.netProceeds as string;
      const discount = financing.discountAmount as string;
      const fee = financing.feeAmount as string;
      expect(new Decimal(net).plus(discount).plus(fee).toFixed(2)).toBe(advance);
      const entry = (account: string, organizationId: string, amount: string | Decimal) =>
        posting('DISBURSEMENT', '2026-11-27', organizationId, account, amount);
      const expected = [
        entry('FINANCING_RECEIVABLE', world.financier.id, advance),
        entry('CASH', world.financier.id, new Decimal(net).plus(fee).neg()),
        entry('DISCOUNT_INCOME', world.financier.id, new Decimal(discount).neg()),
        entry('CASH', world.supplier.id, net),
        entry('FINANCING_COST', world.supplier.id, new Decimal(discount).plus(fee)),
        entry('RECEIVABLES_ASSIGNED', world.supplier.id, new Decimal(advance).neg()),
        entry('CASH', platformId, fee),
        entry('FEE_INCOME', platformId, new Decimal(fee).neg()),
      ];
      expect(await ledgerPostings(t, financing.id)).toEqual(expected);
      expect(await countRows(t, 'journal_entries', 'financing_id = $1', [financing.id])).toBe(1);
      expect(await auditCount(t, 'financing.disbursed', financing.id)).toBe(1);

      // The anchor learns to whom its invoices went and what it pays when; the supplier is paid.
      const told = await notification(t, world.anchor.id, 'INVOICES_ASSIGNED', financing.id);
      expect(told.title).toContain(financing.reference);
      expect(told.title).toContain('80000.00');
      expect(told.title).toContain(PAYMENT_DATE);
      expect(told.title).toContain(world.financier.name);
      expect([...(told.data.invoiceIds as string[])].sort()).toEqual([...invoiceIds].sort());
      await notification(t, world.supplier.id, 'FINANCING_DISBURSED', financing.id);

      // Still downloadable for the bank's records once paid out.
      expectStatus(await instruction(world.maker.token, financing.id), 200);
      // Rendering writes audit events: let it finish before the next test counts rows.
      await payoutDocumentsReady(t, financing.id);
    });

    it('refuses another financier or tenant (404), supplier/anchor/APPROVER/VIEWER (403), no credentials (401), writing nothing', async () => {
      const financing = await approvedFinancing(t, world);
      const body = payout(financing.reference);
      const before = await snapshotCounts(t, TABLES);
      const state = await financingRow(t, financing.id);
      const limits = await limitUsage(t, world);
      const call = (token: string | null, id = financing.id) =>
        disburse(token, id, body, randomUUID());
      expectProblem(await call(world.otherFinancier.admin.token), 404, 'NOT_FOUND');
      expectProblem(await call(other.financier.admin.token), 404, 'NOT_FOUND');
      expectProblem(await call(other.maker.token), 404, 'NOT_FOUND');
      expectProblem(await call(world.supplier.admin.token), 403, 'FORBIDDEN');
      expectProblem(await call(world.anchor.admin.token), 403, 'FORBIDDEN');
      expectProblem(await call(world.checker.token), 403, 'FORBIDDEN');
      expectProblem(await call(viewer.token), 403, 'FORBIDDEN');
      expectProblem(await call(null), 401, 'UNAUTHENTICATED');
      expectProblem(await call(world.maker.token, randomUUID()), 404, 'NOT_FOUND');
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
      expect(await financingRow(t, financing.id)).toEqual(state);
      expect(await limitUsage(t, world)).toEqual(limits);
    });

    it('bad input is 422 problem+json and writes nothing: disbursedAt without offset or not a moment, no bank reference, an unknown field', async () => {
      const financing = await approvedFinancing(t, world);
      const good = payout(financing.reference);
      const before = await snapshotCounts(t, TABLES);
      const state = await financingRow(t, financing.id);
      const cases: Array<[object, string]> = [
        [{ ...good, disbursedAt: '2026-11-27T10:15:00' }, 'disbursedAt'],
        [{ ...good, disbursedAt: '2099-12-01T10:15:00+08:00' }, 'disbursedAt'],
        [{ ...good, disbursedAt: '2026-12-01' }, 'disbursedAt'],
        [{ ...good, disbursedAt: 'yesterday' }, 'disbursedAt'],
        [{ disbursedAt: good.disbursedAt }, 'bankReference'],
        [{ ...good, bankReference: '  ' }, 'bankReference'],
        [{ ...good, bankReference: 'R'.repeat(65) }, 'bankReference'],
        [{ ...good, amount: '100.00' }, 'amount'],
      ];
      for (const [body, field] of cases) {
        const problem = expectProblem(
          await disburse(world.maker.token, financing.id, body, randomUUID()),
          422,
          'VALIDATION_FAILED',
        );
        expect(problem.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      }
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
      expect(await financingRow(t, financing.id)).toEqual(state);
    });

    it('only an APPROVED financing is paid out, once: ACCEPTED, PENDING_APPROVAL and DISBURSED answer 409', async () => {
      const financing = await acceptedFinancing(t, world);
      const body = payout(financing.reference);
      const before = await snapshotCounts(t, TABLES);
      const refused = expectProblem(
        await disburse(world.maker.token, financing.id, body),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(JSON.stringify(refused)).toContain('ACCEPTED');
      expectStatus(await submit(world.maker.token, financing.id), 200);
      expectProblem(
        await disburse(world.maker.token, financing.id, body),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(await countRows(t, 'journal_entries', 'financing_id = $1', [financing.id])).toBe(0);
      expectStatus(await approve(world.checker.token, financing.id), 200);
      expectStatus(await disburse(world.financier.admin.token, financing.id, body), 200);
      await payoutDocumentsReady(t, financing.id);
      const limits = await limitUsage(t, world);
      const counts = await snapshotCounts(t, TABLES);
      expectProblem(
        await disburse(world.maker.token, financing.id, body),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(await snapshotCounts(t, TABLES)).toEqual(counts);
      expect(await limitUsage(t, world)).toEqual(limits);
      expect(before.journal_entries + 1).toBe(counts.journal_entries);
    });

    it('a repeated Idempotency-Key gives the same answer: one payout, one journal entry, the limit moved once', async () => {
      const financing = await approvedFinancing(t, world);
      const before = await limitUsage(t, world);
      const key = randomUUID();
      const body = payout(financing.reference);
      const first = await disburse(world.maker.token, financing.id, body, key);
      expectStatus(first, 200);
      const replay = await disburse(world.maker.token, financing.id, body, key);
      expectStatus(replay, 200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await countRows(t, 'journal_entries', 'financing_id = $1', [financing.id])).toBe(1);
      // The notice and the confirmation, once each.
      expect(await countRows(t, 'documents', 'subject_id = $1', [financing.id])).toBe(2);
      expect(await auditCount(t, 'financing.disbursed', financing.id)).toBe(1);
      expect(limitDelta(before, await limitUsage(t, world))).toEqual({
        programReserved: `-${financing.advanceAmount as string}`,
        programUsed: financing.advanceAmount,
        supplierReserved: `-${financing.advanceAmount as string}`,
        supplierUsed: financing.advanceAmount,
      });
      // The same key with another body is a different request: refused, not replayed.
      const conflict = await disburse(
        world.maker.token,
        financing.id,
        { ...body, bankReference: 'ANOTHER-REF' },
        key,
      );
      expectProblem(conflict, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await countRows(t, 'journal_entries', 'financing_id = $1', [financing.id])).toBe(1);
      await payoutDocumentsReady(t, financing.id);
    });
  });

  describe('the ledger afterwards', () => {
    it('balances per entry, currency and organisation; each financier’s FINANCING_RECEIVABLE is what its paid-out financings have outstanding', async () => {
      await expectBalancedLedger(t);
      const financiers = [world, other].flatMap((w) => [w.financier, w.otherFinancier]);
      expect(await expectReceivablesMatchOutstanding(t, financiers)).toBeGreaterThan(0);
    });
  });
});
