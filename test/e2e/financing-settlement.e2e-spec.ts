import { randomUUID } from 'node:crypto';
import { Role } from '../../src/common/auth/roles';
import { Decimal } from '../../src/common/money/decimal';
import {
  buildCamt054,
  type Camt054DocumentEntry,
} from '../../src/financing/iso20022/camt054-document';
import { ensureXmllint, validateIso20022 } from '../../src/financing/iso20022/iso20022-schema';
import { silentLog } from '../../src/infra/local-services/log';
import {
  bearer,
  countRows,
  expectProblem,
  expectStatus,
  snapshotCounts,
  type Member,
} from '../support/fixtures';
import {
  approvedFinancing,
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
 * What a refused payment or camt.054 import must leave untouched. (idempotency_records is left out on purpose: a
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

interface LedgerEntryView {
  kind: string;
  financingId: string;
  postings: Array<{ organizationId: string; account: string; currency: string; amount: string }>;
}

describe('settlement at maturity: POST /financings/:id/settlements, POST /settlements/camt054, and the ledger', () => {
  let t: TestApp;
  const idleCounts = () => idleSnapshot(t, TABLES);
  let world: FinancingWorld;
  let other: FinancingWorld;
  let anchorOperator: Member;
  /** The financing the first test settles in full, for the ledger views at the end. */
  let settledId: string;

  beforeAll(async () => {
    await ensureXmllint({ install: false, log: silentLog });
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await financingWorld(t);
    other = await financingWorld(t);
    anchorOperator = world.anchor.members[Role.OPERATOR]!;
  });
  afterAll(() => t.close());

  const { get, settle, payment, view, released } = financingCalls(() => t);
  const upload = (
    token: string | null,
    body: string,
    options: { contentType?: string; key?: string } = {},
  ) => {
    const request = t.http().post('/api/v1/settlements/camt054');
    if (token) request.set(...bearer(token));
    if (options.key) request.set('Idempotency-Key', options.key);
    return request.set('Content-Type', options.contentType ?? 'application/xml').send(body);
  };
  let fileNumber = 0;
  const camt054 = (entries: Camt054DocumentEntry[]) =>
    buildCamt054({
      messageId: `CAMT-${Date.now().toString(36)}-${fileNumber++}`,
      createdAt: new Date('2026-11-28T18:00:00+08:00'),
      account: { iban: 'DE89370400440532013000' },
      entries,
    });
  const credit = (
    entryReference: string,
    amount: string,
    extra: Partial<Camt054DocumentEntry> = {},
  ): Camt054DocumentEntry => ({
    entryReference,
    amount,
    currency: 'CNY',
    creditDebit: 'CRDT',
    bookingDate: '2026-11-28',
    valueDate: '2026-11-28',
    ...extra,
  });
  const references = (lines: Array<{ entryReference: string }>) =>
    lines.map((line) => line.entryReference);

  describe('POST /financings/:id/settlements', () => {
    it('the anchor pays part (outstanding down, still DISBURSED), the financier records the rest → SETTLED: limit released, invoices SETTLED, surplus = confirmed − advance, SETTLEMENT entries with SURPLUS_PAYABLE', async () => {
      const financing = await disbursedFinancing(t, world, ['30000.00', '20000.00']);
      settledId = financing.id;
      const invoiceIds = financing.invoiceIds as string[];
      const advance = financing.advanceAmount as string;
      expect(advance).toBe('45000.00');
      const before = await limitUsage(t, world);

      const partial = await settle(anchorOperator.token, financing.id, payment('20000.00'));
      expectStatus(partial, 201);
      // The anchor's view carries no pricing: what it paid, not what the financier is owed.
      expect(partial.body).toMatchObject({
        status: 'DISBURSED',
        paidAmount: '20000.00',
        outstandingAmount: null,
        surplusAmount: null,
      });
      expect(await view(world, financing.id)).toMatchObject({
        status: 'DISBURSED',
        outstandingAmount: '25000.00',
        paidAmount: '20000.00',
        surplusAmount: '0.00',
        settledAt: null,
      });
      expect(await limitUsage(t, world)).toEqual(before);
      expect(await invoiceStatuses(t, world, invoiceIds)).toEqual(['FINANCED', 'FINANCED']);
      expect(await auditCount(t, 'financing.payment_received', financing.id)).toBe(1);

      const rest = await settle(world.maker.token, financing.id, payment('30000.00'));
      expectStatus(rest, 201);
      const surplus = new Decimal('50000.00').minus(advance).toFixed(2);
      expect(surplus).toBe('5000.00');
      expect(rest.body).toMatchObject({
        status: 'SETTLED',
        outstandingAmount: '0.00',
        paidAmount: '50000.00',
        surplusAmount: surplus,
        settledAt: '2026-11-28T01:30:00.000Z',
      });
      expect(released(before, await limitUsage(t, world))).toEqual({
        programUsed: advance,
        supplierUsed: advance,
      });
      expect(await invoiceStatuses(t, world, invoiceIds)).toEqual(['SETTLED', 'SETTLED']);
      expect(await auditCount(t, 'financing.settled', financing.id)).toBe(1);
      expect(
        await countRows(t, 'settlements', `financing_id = $1 AND kind = 'SETTLEMENT'`, [
          financing.id,
        ]),
      ).toBe(2);
      // Closed: the supplier's settlement statement is queued (and rendered before the next test
      // counts audit events); it states the surplus, so the anchor is not one of its parties.
      await settlementStatementReady(t, financing.id);
      expect(
        await t.db.query(
          `SELECT number, party_ids::text[] AS party_ids FROM documents
            WHERE subject_id = $1 AND kind = 'SETTLEMENT_STATEMENT'`,
          [financing.id],
        ),
      ).toEqual([
        {
          number: `SS-${financing.reference}`,
          party_ids: [world.supplier.id, world.financier.id],
        },
      ]);

      const day = '2026-11-28';
      const { anchor, financier, supplier } = world;
      expect(await ledgerPostings(t, financing.id, 'SETTLEMENT')).toEqual([
        posting('SETTLEMENT', day, anchor.id, 'INVOICES_PAID', '20000.00'),
        posting('SETTLEMENT', day, anchor.id, 'CASH', '-20000.00'),
        posting('SETTLEMENT', day, financier.id, 'CASH', '20000.00'),
        posting('SETTLEMENT', day, financier.id, 'FINANCING_RECEIVABLE', '-20000.00'),
        posting('SETTLEMENT', day, anchor.id, 'INVOICES_PAID', '30000.00'),
        posting('SETTLEMENT', day, anchor.id, 'CASH', '-30000.00'),
        posting('SETTLEMENT', day, financier.id, 'CASH', '30000.00'),
        posting('SETTLEMENT', day, financier.id, 'FINANCING_RECEIVABLE', '-25000.00'),
        posting('SETTLEMENT', day, financier.id, 'SURPLUS_PAYABLE', '-5000.00'),
        posting('SETTLEMENT', day, supplier.id, 'SURPLUS_RECEIVABLE', '5000.00'),
        posting('SETTLEMENT', day, supplier.id, 'RECEIVABLES_ASSIGNED', '-5000.00'),
      ]);
      const receivable = (await ledgerPostings(t, financing.id))
        .filter((p) => p.organizationId === financier.id && p.account === 'FINANCING_RECEIVABLE')
        .reduce((total, p) => total.plus(p.amount), new Decimal('0'));
      expect(receivable.toFixed(2)).toBe('0.00');

      expect(
        (await notification(t, supplier.id, 'FINANCING_SETTLED', financing.id)).title,
      ).toContain(financing.reference);
      await notification(t, anchor.id, 'PAYMENT_RECEIVED', financing.id);

      // The bank's instruction stays downloadable (APPROVED or later), the same file as before.
      const instruction = await get(
        `/financings/${financing.id}/payment-instruction`,
        world.financier.admin.token,
      );
      expectStatus(instruction, 200);
      expect(instruction.text).toContain(`<EndToEndId>${financing.reference}</EndToEndId>`);

      // Settled: no further payment is taken.
      expectProblem(
        await settle(anchorOperator.token, financing.id, payment('0.01')),
        409,
        'INVALID_STATE_TRANSITION',
      );
    });

    it('more than is still due is 422 OVERPAYMENT and writes nothing; exactly what is due settles', async () => {
      const financing = await disbursedFinancing(t, world, ['50000.00']);
      const before = await idleCounts();
      const state = await financingRow(t, financing.id);
      const problem = expectProblem(
        await settle(world.anchor.admin.token, financing.id, payment('50000.01')),
        422,
        'OVERPAYMENT',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'amount' })]);
      expect(await idleCounts()).toEqual(before);
      expect(await financingRow(t, financing.id)).toEqual(state);

      expectStatus(await settle(world.anchor.admin.token, financing.id, payment('49000.00')), 201);
      const paid = await idleCounts();
      expectProblem(
        await settle(world.maker.token, financing.id, payment('1000.01')),
        422,
        'OVERPAYMENT',
      );
      expect(await idleCounts()).toEqual(paid);
      const last = await settle(world.maker.token, financing.id, payment('1000.00'));
      expectStatus(last, 201);
      expect(last.body).toMatchObject({ status: 'SETTLED', paidAmount: '50000.00' });
      await settlementStatementReady(t, financing.id);
    });

    it('bad input is 422 problem+json and writes nothing', async () => {
      const financing = await disbursedFinancing(t, world);
      const before = await idleCounts();
      const state = await financingRow(t, financing.id);
      const cases: Array<[object, string]> = [
        [{ ...payment('100.00'), amount: 100 }, 'amount'],
        [payment('0'), 'amount'],
        [payment('-5.00'), 'amount'],
        [payment('100.001'), 'amount'],
        [payment('1e3'), 'amount'],
        [payment('100.00', { paidAt: '2026-11-28T09:30:00' }), 'paidAt'],
        [payment('100.00', { paidAt: '2026-11-28' }), 'paidAt'],
        // Money is recorded once it has moved: a payment dated in the future is refused.
        [payment('100.00', { paidAt: '2099-01-06T09:30:00+08:00' }), 'paidAt'],
        [payment('100.00', { bankReference: '' }), 'bankReference'],
        [payment('100.00', { currency: 'CNY' }), 'currency'],
      ];
      for (const [body, field] of cases) {
        const problem = expectProblem(
          await settle(anchorOperator.token, financing.id, body, randomUUID()),
          422,
          'VALIDATION_FAILED',
        );
        expect(problem.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      }
      expect(await idleCounts()).toEqual(before);
      expect(await financingRow(t, financing.id)).toEqual(state);
    });

    it('before payout 409; the supplier, a viewer or the financier’s APPROVER 403; another financier or tenant 404; no credentials 401; nothing written', async () => {
      const approved = await approvedFinancing(t, world);
      const financing = await disbursedFinancing(t, world);
      const before = await idleCounts();
      const state = await financingRow(t, financing.id);
      const body = payment('100.00');
      const refused = expectProblem(
        await settle(anchorOperator.token, approved.id, body),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(JSON.stringify(refused)).toContain('APPROVED');
      expectProblem(await settle(world.supplier.admin.token, financing.id, body), 403, 'FORBIDDEN');
      expectProblem(
        await settle(world.supplier.members[Role.OPERATOR]!.token, financing.id, body),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await settle(world.anchor.members[Role.VIEWER]!.token, financing.id, body),
        403,
        'FORBIDDEN',
      );
      expectProblem(await settle(world.checker.token, financing.id, body), 403, 'FORBIDDEN');
      expectProblem(
        await settle(world.otherFinancier.admin.token, financing.id, body),
        404,
        'NOT_FOUND',
      );
      expectProblem(await settle(other.anchor.admin.token, financing.id, body), 404, 'NOT_FOUND');
      expectProblem(await settle(other.maker.token, financing.id, body), 404, 'NOT_FOUND');
      expectProblem(await settle(null, financing.id, body), 401, 'UNAUTHENTICATED');
      expectProblem(await settle(anchorOperator.token, randomUUID(), body), 404, 'NOT_FOUND');
      expect(await idleCounts()).toEqual(before);
      expect(await financingRow(t, financing.id)).toEqual(state);
    });

    it('a repeated Idempotency-Key records the payment once and gives the same answer', async () => {
      const financing = await disbursedFinancing(t, world);
      const key = randomUUID();
      const body = payment('12345.67');
      const first = await settle(anchorOperator.token, financing.id, body, key);
      expectStatus(first, 201);
      const replay = await settle(anchorOperator.token, financing.id, body, key);
      expectStatus(replay, 201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await countRows(t, 'settlements', 'financing_id = $1', [financing.id])).toBe(1);
      expect(
        await countRows(t, 'journal_entries', `financing_id = $1 AND kind = 'SETTLEMENT'`, [
          financing.id,
        ]),
      ).toBe(1);
      expect((await view(world, financing.id)).paidAmount).toBe('12345.67');
    });

    it('concurrent payments never take more than is due: exactly enough succeed, the limit is released once', async () => {
      const financing = await disbursedFinancing(t, world, ['50000.00']);
      const before = await limitUsage(t, world);
      // 8 × 7,000.00 against 50,000.00 due: 7 fit, the 8th would overpay.
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          settle(
            i % 2 ? anchorOperator.token : world.maker.token,
            financing.id,
            payment('7000.00'),
          ),
        ),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([
        201, 201, 201, 201, 201, 201, 201, 422,
      ]);
      expect(responses.find((response) => response.status === 422)!.body.code).toBe('OVERPAYMENT');
      expect(await view(world, financing.id)).toMatchObject({
        status: 'DISBURSED',
        paidAmount: '49000.00',
        outstandingAmount: '0.00',
        surplusAmount: '4000.00',
      });
      expect(await limitUsage(t, world)).toEqual(before);

      // The last 1,000.00, twice at once: one settles it, the other finds it SETTLED.
      const last = await Promise.all([
        settle(anchorOperator.token, financing.id, payment('1000.00')),
        settle(world.maker.token, financing.id, payment('1000.00')),
      ]);
      expect(last.map((response) => response.status).sort()).toEqual([201, 409]);
      expect(await view(world, financing.id)).toMatchObject({
        status: 'SETTLED',
        paidAmount: '50000.00',
        surplusAmount: '5000.00',
      });
      expect(await countRows(t, 'settlements', 'financing_id = $1', [financing.id])).toBe(8);
      expect(await auditCount(t, 'financing.settled', financing.id)).toBe(1);
      // Settled once, so one statement.
      await settlementStatementReady(t, financing.id);
      expect(
        await countRows(t, 'documents', `subject_id = $1 AND kind = 'SETTLEMENT_STATEMENT'`, [
          financing.id,
        ]),
      ).toBe(1);
      expect(released(before, await limitUsage(t, world))).toEqual({
        programUsed: '45000.00',
        supplierUsed: '45000.00',
      });
    });
  });

  describe('POST /settlements/camt054', () => {
    it('applies a credit matched by end-to-end id or by the reference in the remittance text, once; unknown references and debits are unmatched; the same entry again is alreadyApplied', async () => {
      const first = await disbursedFinancing(t, world, ['50000.00']);
      const second = await disbursedFinancing(t, world, ['30000.00']);
      const tag = Date.now().toString(36).toUpperCase();
      const byEndToEnd = credit(`${tag}-1`, '10000.00', { endToEndId: first.reference });
      const unknown = credit(`${tag}-2`, '500.00', { endToEndId: 'SCF-2026-999999' });
      const byRemittance = credit(`${tag}-3`, '5000.00', {
        endToEndId: 'NOTPROVIDED',
        remittance: [`货款 / payment of invoices, financing ${second.reference}, thank you`],
      });
      const debit = credit(`${tag}-4`, '100.00', {
        creditDebit: 'DBIT',
        endToEndId: first.reference,
      });
      const file = camt054([byEndToEnd, unknown, byRemittance, debit]);
      expect(await validateIso20022(file, 'camt.054.001.08')).toEqual({ valid: true });

      const response = await upload(world.maker.token, file);
      expectStatus(response, 201);
      expect(references(response.body.matched)).toEqual([`${tag}-1`, `${tag}-3`]);
      expect(response.body.matched).toEqual([
        expect.objectContaining({
          entryReference: `${tag}-1`,
          amount: '10000.00',
          currency: 'CNY',
          endToEndId: first.reference,
          financingId: first.id,
          reference: first.reference,
        }),
        expect.objectContaining({
          entryReference: `${tag}-3`,
          financingId: second.id,
          reference: second.reference,
        }),
      ]);
      expect(references(response.body.unmatched)).toEqual([`${tag}-2`, `${tag}-4`]);
      for (const line of response.body.unmatched as Array<Record<string, unknown>>) {
        expect(typeof line.reason).toBe('string');
        expect(line.financingId).toBeUndefined();
      }
      expect(response.body.unmatched[1].reason).toMatch(/DBIT/);
      expect(response.body.alreadyApplied).toEqual([]);

      expect(await view(world, first.id)).toMatchObject({
        status: 'DISBURSED',
        paidAmount: '10000.00',
        outstandingAmount: '35000.00',
      });
      expect(await view(world, second.id)).toMatchObject({ paidAmount: '5000.00' });
      expect(
        await t.db.query(
          `SELECT financing_id, amount::text AS amount, source, entry_reference, bank_reference
             FROM settlements WHERE financing_id = ANY($1::uuid[]) ORDER BY entry_reference`,
          [[first.id, second.id]],
        ),
      ).toEqual([
        {
          financing_id: first.id,
          amount: '10000.0000',
          source: 'CAMT054',
          entry_reference: `${tag}-1`,
          bank_reference: `${tag}-1`,
        },
        {
          financing_id: second.id,
          amount: '5000.0000',
          source: 'CAMT054',
          entry_reference: `${tag}-3`,
          bank_reference: `${tag}-3`,
        },
      ]);
      expect(await ledgerPostings(t, first.id, 'SETTLEMENT')).toEqual([
        posting('SETTLEMENT', '2026-11-28', world.anchor.id, 'INVOICES_PAID', '10000.00'),
        posting('SETTLEMENT', '2026-11-28', world.anchor.id, 'CASH', '-10000.00'),
        posting('SETTLEMENT', '2026-11-28', world.financier.id, 'CASH', '10000.00'),
        posting(
          'SETTLEMENT',
          '2026-11-28',
          world.financier.id,
          'FINANCING_RECEIVABLE',
          '-10000.00',
        ),
      ]);

      // A second file repeating the first entry: reported, not applied twice.
      const next = credit(`${tag}-5`, '1000.00', { endToEndId: first.reference });
      const again = await upload(world.maker.token, camt054([byEndToEnd, next]));
      expectStatus(again, 201);
      expect(again.body.alreadyApplied).toEqual([
        expect.objectContaining({
          entryReference: `${tag}-1`,
          financingId: first.id,
          reference: first.reference,
        }),
      ]);
      expect(references(again.body.matched)).toEqual([`${tag}-5`]);
      expect(again.body.unmatched).toEqual([]);
      expect((await view(world, first.id)).paidAmount).toBe('11000.00');

      // The first file once more: nothing applied, every applied entry reported.
      const counts = await snapshotCounts(t, ['settlements', 'journal_entries', 'ledger_postings']);
      const replay = await upload(world.financier.admin.token, file);
      expectStatus(replay, 201);
      expect(references(replay.body.alreadyApplied)).toEqual([`${tag}-1`, `${tag}-3`]);
      expect(replay.body.matched).toEqual([]);
      expect(references(replay.body.unmatched)).toEqual([`${tag}-2`, `${tag}-4`]);
      expect(
        await snapshotCounts(t, ['settlements', 'journal_entries', 'ledger_postings']),
      ).toEqual(counts);
      expect((await view(world, first.id)).paidAmount).toBe('11000.00');
      expect((await view(world, second.id)).paidAmount).toBe('5000.00');
      expect(
        await countRows(
          t,
          'audit_events',
          `action = 'settlements.camt054_imported' AND entity_id = $1`,
          [world.financier.id],
        ),
      ).toBe(3);
    });

    it("never applies a credit to another financier's financing: its reference is unmatched (that financier may apply the same entry reference to it)", async () => {
      const theirs = await disbursedFinancing(t, other, ['20000.00']);
      const tag = `X${Date.now().toString(36).toUpperCase()}`;
      const file = camt054([
        credit(`${tag}-1`, '1000.00', { endToEndId: theirs.reference }),
        credit(`${tag}-2`, '1000.00', { remittance: `financing ${theirs.reference}` }),
      ]);
      const counts = await snapshotCounts(t, ['settlements', 'journal_entries']);
      const response = await upload(world.maker.token, file);
      expectStatus(response, 201);
      expect(response.body.matched).toEqual([]);
      expect(response.body.alreadyApplied).toEqual([]);
      expect(references(response.body.unmatched)).toEqual([`${tag}-1`, `${tag}-2`]);
      expect(JSON.stringify(response.body)).not.toContain(theirs.id);
      expect(await snapshotCounts(t, ['settlements', 'journal_entries'])).toEqual(counts);
      expect((await view(other, theirs.id)).paidAmount).toBe('0.00');

      // Entry references are unique per financier: its own financier applies the same file.
      const own = await upload(other.maker.token, file);
      expectStatus(own, 201);
      expect(references(own.body.matched)).toEqual([`${tag}-1`, `${tag}-2`]);
      expect((await view(other, theirs.id)).paidAmount).toBe('2000.00');
    });

    it('an entry that cannot apply (overpayment, not yet paid out, another currency, pending, booked after today) is unmatched without undoing the others', async () => {
      const financing = await disbursedFinancing(t, world, ['50000.00']);
      const approved = await approvedFinancing(t, world);
      const tag = `Y${Date.now().toString(36).toUpperCase()}`;
      const response = await upload(
        world.maker.token,
        camt054([
          credit(`${tag}-1`, '60000.00', { endToEndId: financing.reference }),
          credit(`${tag}-2`, '1000.00', { endToEndId: approved.reference }),
          credit(`${tag}-3`, '1000.00', { endToEndId: financing.reference, currency: 'USD' }),
          credit(`${tag}-4`, '1000.00', { endToEndId: financing.reference, status: 'PDNG' }),
          credit(`${tag}-5`, '2500.00', { endToEndId: financing.reference }),
          credit(`${tag}-6`, '1000.00', {
            endToEndId: financing.reference,
            bookingDate: '2099-01-06',
            valueDate: '2099-01-06',
          }),
        ]),
      );
      expectStatus(response, 201);
      expect(references(response.body.matched)).toEqual([`${tag}-5`]);
      const unmatched = response.body.unmatched as Array<{
        entryReference: string;
        reason: string;
      }>;
      expect(references(unmatched)).toEqual([
        `${tag}-1`,
        `${tag}-2`,
        `${tag}-3`,
        `${tag}-4`,
        `${tag}-6`,
      ]);
      expect(unmatched[0].reason).toMatch(/more than/);
      expect(unmatched[1].reason).toMatch(/APPROVED/);
      expect(unmatched[2].reason).toMatch(/CNY/);
      expect(unmatched[3].reason).toMatch(/PDNG/);
      expect(unmatched[4].reason).toMatch(/after today/);
      expect((await view(world, financing.id)).paidAmount).toBe('2500.00');
      expect((await view(world, approved.id)).status).toBe('APPROVED');
      expect(await countRows(t, 'settlements', 'financing_id = $1', [approved.id])).toBe(0);
    });

    it('refuses malformed XML (400 INVALID_XML), another document (422), JSON (415), the supplier, the anchor and an APPROVER (403), no credentials (401), writing nothing', async () => {
      const financing = await disbursedFinancing(t, world);
      const file = camt054([
        credit(`Z${Date.now().toString(36)}`, '10.00', { endToEndId: financing.reference }),
      ]);
      const before = await idleCounts();
      expectProblem(
        await upload(world.maker.token, '<Document><BkToCstmrDbtCdtNtfctn>'),
        400,
        'INVALID_XML',
      );
      expectProblem(await upload(world.maker.token, file.slice(0, -20)), 400, 'INVALID_XML');
      expectProblem(
        await upload(
          world.maker.token,
          '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.12"><CstmrCdtTrfInitn/></Document>',
        ),
        422,
        'XML_SCHEMA_INVALID',
      );
      expectProblem(
        await upload(world.maker.token, JSON.stringify({ xml: file }), {
          contentType: 'application/json',
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectProblem(await upload(world.maker.token, ''), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await upload(world.supplier.admin.token, file), 403, 'FORBIDDEN');
      expectProblem(await upload(world.anchor.admin.token, file), 403, 'FORBIDDEN');
      expectProblem(await upload(world.checker.token, file), 403, 'FORBIDDEN');
      expectProblem(await upload(null, file), 401, 'UNAUTHENTICATED');
      expect(await idleCounts()).toEqual(before);
      expect((await view(world, financing.id)).paidAmount).toBe('0.00');
    });

    it('a repeated Idempotency-Key replays the first answer (matched), where a new upload would say alreadyApplied', async () => {
      const financing = await disbursedFinancing(t, world);
      const tag = `K${Date.now().toString(36).toUpperCase()}`;
      const file = camt054([credit(tag, '700.00', { endToEndId: financing.reference })]);
      const key = randomUUID();
      const first = await upload(world.maker.token, file, { key });
      expectStatus(first, 201);
      expect(references(first.body.matched)).toEqual([tag]);
      const replay = await upload(world.maker.token, file, { key });
      expectStatus(replay, 201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await countRows(t, 'settlements', 'financing_id = $1', [financing.id])).toBe(1);
      expect((await view(world, financing.id)).paidAmount).toBe('700.00');
    });

    it('the same file uploaded several times at once applies each entry once, and reports the rest as alreadyApplied', async () => {
      const financing = await disbursedFinancing(t, world);
      const tag = `C${Date.now().toString(36).toUpperCase()}`;
      const file = camt054([credit(tag, '3000.00', { endToEndId: financing.reference })]);
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => upload(world.maker.token, file)),
      );
      for (const response of responses) expectStatus(response, 201);
      const all = (list: 'matched' | 'alreadyApplied' | 'unmatched') =>
        responses.flatMap((response) => response.body[list] as Array<{ entryReference: string }>);
      expect(references(all('matched'))).toEqual([tag]);
      expect(references(all('alreadyApplied'))).toEqual([tag, tag, tag, tag]);
      expect(all('unmatched')).toEqual([]);
      expect(await countRows(t, 'settlements', 'financing_id = $1', [financing.id])).toBe(1);
      expect((await view(world, financing.id)).paidAmount).toBe('3000.00');
    });

    it("books a credit on the bank's booking day in the program's time zone, also far east of UTC (Pacific/Auckland)", async () => {
      const zoned = await financingWorld(t);
      const patched = await t
        .http()
        .patch(`/api/v1/programs/${zoned.programId}`)
        .set(...bearer(zoned.anchor.admin.token))
        .send({ timezone: 'Pacific/Auckland' });
      expectStatus(patched, 200);
      const financing = await disbursedFinancing(t, zoned, ['50000.00']);
      const tag = `NZ${Date.now().toString(36).toUpperCase()}`;
      const response = await upload(
        zoned.maker.token,
        camt054([credit(tag, '50000.00', { endToEndId: financing.reference })]),
      );
      expectStatus(response, 201);
      expect(references(response.body.matched)).toEqual([tag]);
      const settled = await view(zoned, financing.id);
      expect(settled.status).toBe('SETTLED');
      await settlementStatementReady(t, financing.id);
      const [{ day }] = (await t.db.query(
        `SELECT (settled_at AT TIME ZONE 'Pacific/Auckland')::date::text AS day FROM financings WHERE id = $1`,
        [financing.id],
      )) as Array<{ day: string }>;
      expect(day).toBe('2026-11-28');
      expect([
        ...new Set(
          (await ledgerPostings(t, financing.id, 'SETTLEMENT')).map((p) => p.effectiveDate),
        ),
      ]).toEqual(['2026-11-28']);
    });
  });

  describe('POST /financings/:id/surplus-payments', () => {
    it('the financier pays over the surplus it holds, in parts, never more than is owed; SURPLUS_PAYMENT on the ledger; 403, 404, 401, 422 write nothing; a repeated key pays once', async () => {
      const financing = await disbursedFinancing(t, world);
      expectStatus(await settle(anchorOperator.token, financing.id, payment('50000.00')), 201);
      expect(await view(world, financing.id)).toMatchObject({
        status: 'SETTLED',
        surplusAmount: '5000.00',
        surplusPaidAmount: '0.00',
      });
      const path = `/financings/${financing.id}/surplus-payments`;
      const body = (amount: string, extra: Record<string, unknown> = {}) => ({
        amount,
        paidAt: '2026-11-28T16:00:00+08:00',
        bankReference: `JNCB-OUT-${amount}`,
        ...extra,
      });
      const pay = (token: string | null, b: object, key?: string) => {
        const request = t.http().post(`/api/v1${path}`);
        if (token) request.set(...bearer(token));
        if (key) request.set('Idempotency-Key', key);
        return request.send(b);
      };
      const before = await idleCounts();
      const surplusRows = () =>
        countRows(t, 'surplus_payments', 'financing_id = $1', [financing.id]);
      expectProblem(await pay(world.supplier.admin.token, body('1.00')), 403, 'FORBIDDEN');
      expectProblem(await pay(anchorOperator.token, body('1.00')), 403, 'FORBIDDEN');
      expectProblem(await pay(world.checker.token, body('1.00')), 403, 'FORBIDDEN');
      expectProblem(await pay(world.otherFinancier.admin.token, body('1.00')), 404, 'NOT_FOUND');
      expectProblem(await pay(other.maker.token, body('1.00')), 404, 'NOT_FOUND');
      expectProblem(await pay(null, body('1.00')), 401, 'UNAUTHENTICATED');
      for (const bad of [
        body('0'),
        body('1.001'),
        body('1.00', { paidAt: '2026-11-28T16:00:00' }),
        body('1.00', { paidAt: '2099-01-01T00:00:00Z' }),
        body('1.00', { bankReference: '' }),
      ])
        expectProblem(await pay(world.maker.token, bad), 422, 'VALIDATION_FAILED');
      expectProblem(await pay(world.maker.token, body('5000.01')), 422, 'OVERPAYMENT');
      expect(await idleCounts()).toEqual(before);
      expect(await surplusRows()).toBe(0);

      const first = await pay(world.maker.token, body('2000.00'), `surplus-${financing.id}`);
      expectStatus(first, 201);
      expect(first.body).toMatchObject({ surplusAmount: '5000.00', surplusPaidAmount: '2000.00' });
      const replay = await pay(world.maker.token, body('2000.00'), `surplus-${financing.id}`);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(await surplusRows()).toBe(1);
      expectProblem(await pay(world.maker.token, body('3000.01')), 422, 'OVERPAYMENT');
      const rest = await pay(world.financier.admin.token, body('3000.00'));
      expectStatus(rest, 201);
      expect(rest.body).toMatchObject({ surplusPaidAmount: '5000.00' });
      expectProblem(await pay(world.maker.token, body('0.01')), 422, 'OVERPAYMENT');
      // The anchor sees that it paid, not what the financier owes the supplier.
      const anchorView = await get(`/financings/${financing.id}`, anchorOperator.token);
      expect(anchorView.body).toMatchObject({ surplusAmount: null, surplusPaidAmount: null });

      const entries = (await t.db.query(
        `SELECT p.organization_id, p.account, sum(p.amount)::text AS amount
           FROM journal_entries e JOIN ledger_postings p ON p.entry_id = e.id
          WHERE e.financing_id = $1 AND e.kind IN ('SETTLEMENT', 'SURPLUS_PAYMENT')
            AND p.account IN ('SURPLUS_PAYABLE', 'SURPLUS_RECEIVABLE')
          GROUP BY p.organization_id, p.account`,
        [financing.id],
      )) as Array<{ organization_id: string; account: string; amount: string }>;
      // Everything the financier held for the supplier is paid over: both sides are at zero.
      expect(
        entries.map((row) => [row.account, new Decimal(row.amount).toFixed(2)]).sort(),
      ).toEqual([
        ['SURPLUS_PAYABLE', '0.00'],
        ['SURPLUS_RECEIVABLE', '0.00'],
      ]);
      expect(
        await countRows(t, 'journal_entries', `financing_id = $1 AND kind = 'SURPLUS_PAYMENT'`, [
          financing.id,
        ]),
      ).toBe(2);
    });
  });

  describe('the ledger afterwards', () => {
    it('balances per entry, currency and organisation; each financier’s FINANCING_RECEIVABLE (GET /ledger/accounts, financierExposure) is what its paid-out financings have outstanding', async () => {
      await expectBalancedLedger(t);
      const financiers = [world, other].flatMap((w) => [w.financier, w.otherFinancier]);
      expect(await expectReceivablesMatchOutstanding(t, financiers)).toBeGreaterThan(0);
      const own = await get('/ledger/accounts', world.financier.admin.token);
      expect((own.body as Array<{ code: string }>).map((account) => account.code)).toEqual(
        expect.arrayContaining([
          'CASH',
          'DISCOUNT_INCOME',
          'FINANCING_RECEIVABLE',
          'SURPLUS_PAYABLE',
        ]),
      );
    });

    it('GET /ledger/entries?financingId= shows each party only its own postings: the anchor its settlements, never the discount income', async () => {
      const path = `/ledger/entries?financingId=${settledId}`;
      const entries = async (token: string) => {
        const response = await get(path, token);
        expectStatus(response, 200);
        return (response.body as { items: LedgerEntryView[] }).items;
      };

      const anchorView = await entries(world.anchor.admin.token);
      expect(anchorView.map((entry) => entry.kind)).toEqual(['SETTLEMENT', 'SETTLEMENT']);
      const anchorPostings = anchorView.flatMap((entry) => entry.postings);
      expect(anchorPostings).toHaveLength(4);
      for (const p of anchorPostings) {
        expect(p.organizationId).toBe(world.anchor.id);
        expect(['INVOICES_PAID', 'CASH']).toContain(p.account);
      }
      expect(JSON.stringify(anchorView)).not.toMatch(/DISCOUNT_INCOME|FEE_INCOME|SURPLUS/);

      const supplierView = await entries(world.supplier.admin.token);
      expect(supplierView.map((entry) => entry.kind)).toEqual(['SETTLEMENT', 'DISBURSEMENT']);
      for (const p of supplierView.flatMap((entry) => entry.postings))
        expect(p.organizationId).toBe(world.supplier.id);
      expect(JSON.stringify(supplierView)).not.toMatch(/DISCOUNT_INCOME|FEE_INCOME/);

      const financierView = await entries(world.financier.admin.token);
      expect(financierView.map((entry) => entry.kind)).toEqual([
        'SETTLEMENT',
        'SETTLEMENT',
        'DISBURSEMENT',
      ]);
      const financierPostings = financierView.flatMap((entry) => entry.postings);
      for (const p of financierPostings) expect(p.organizationId).toBe(world.financier.id);
      expect(financierPostings.map((p) => p.account)).toContain('DISCOUNT_INCOME');
      expect(financierPostings.map((p) => p.account)).not.toContain('FEE_INCOME');

      expect(await entries(other.anchor.admin.token)).toEqual([]);
      expect(await entries(world.otherFinancier.admin.token)).toEqual([]);
      expectProblem(
        await get('/ledger/entries?financingId=not-a-uuid', world.anchor.admin.token),
        422,
        'VALIDATION_FAILED',
      );
      expectProblem(await get(path, null), 401, 'UNAUTHENTICATED');
    });
  });
});
