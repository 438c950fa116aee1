import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import { Decimal } from '../../src/common/money/decimal';
import { amountInWords } from '../../src/documents/amount-in-words';
import { DocumentRenderer } from '../../src/documents/document-renderer';
import { DocumentRecord } from '../../src/documents/document.entity';
import { OverdueFinancings } from '../../src/financing/financings/overdue.service';
import { loadCjkFont } from '../../src/documents/pdf/cjk-font';
import { ensureDebianPackages } from '../../src/infra/local-services/debian-packages';
import { findExecutable } from '../../src/infra/local-services/find-executable';
import { silentLog } from '../../src/infra/local-services/log';
import {
  bearer,
  createTenant,
  eventually,
  expectProblem,
  expectStatus,
  type Tenant,
} from '../support/fixtures';
import {
  disbursedFinancing,
  financingWorld,
  type FinancingWorld,
} from '../support/financing-fixtures';
import { financingCalls } from '../support/financing-probes';
import { startTestApp, type TestApp } from '../support/test-app';

const BINARY_DIRS = ['/usr/bin', '/bin', '/usr/local/bin'];

interface DocumentBody {
  id: string;
  kind: string;
  status: 'QUEUED' | 'READY' | 'FAILED';
  number: string;
  partyIds: string[];
  sha256: string | null;
  pages: number | null;
  failureReason: string | null;
}

/** "82700.44" → "82,700.44": the grouping a reader expects, written here independently. */
const grouped = (amount: string): string => {
  const [whole, fraction] = new Decimal(amount).toFixed(2).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
};

describe('financing documents: the supplier’s confirmation on payout, the statement on closing', () => {
  let t: TestApp;
  let world: FinancingWorld;
  let outsider: Tenant;
  let folder: string;
  /** Paid out with three invoices; its confirmation, read back from the API. */
  let financing: Record<string, unknown> & { id: string; reference: string };
  let confirmation: DocumentBody;
  let confirmationText: string;
  let confirmationPdf: Buffer;

  const { post, settle, payment, view } = financingCalls(() => t);

  /** GET under /api/v1, the body a Buffer unless it is JSON (supertest buffers only text). */
  const get = (path: string, token: string) =>
    t
      .http()
      .get(`/api/v1${path}`)
      .set(...bearer(token))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const json = /json/.test(String(response.headers['content-type']));
          done(null, json ? JSON.parse(bytes.toString('utf8')) : bytes);
        });
      });

  const poppler = (tool: 'pdftotext' | 'pdfinfo', args: string[]): string =>
    execFileSync(findExecutable(tool, BINARY_DIRS)!, args, { encoding: 'utf8' });

  /** The financing's document of `kind` once READY, as `token`'s organisation lists it. */
  const readyDocument = (financingId: string, kind: string, token: string) =>
    eventually(
      async () => {
        const response = await get(`/documents?subjectId=${financingId}`, token);
        expectStatus(response, 200);
        const found = (response.body as { items: DocumentBody[] }).items.find(
          (item) => item.kind === kind,
        );
        return found?.status === 'READY' ? found : undefined;
      },
      60_000,
      `the ${kind} of ${financingId} to be READY`,
    );

  /** Downloads a READY document; checks the served bytes against its SHA-256 and page count. */
  const download = async (document: DocumentBody, token: string) => {
    const response = await get(`/documents/${document.id}/content`, token);
    expectStatus(response, 200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const pdf = response.body as Buffer;
    const file = join(folder, `${document.number}.pdf`);
    writeFileSync(file, pdf);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(document.sha256);
    const info = poppler('pdfinfo', [file]);
    expect(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])).toBe(document.pages);
    return { pdf, text: poppler('pdftotext', ['-layout', file, '-']) };
  };

  /** Another organisation, or the anchor kept from the pricing: 404 on every route. */
  const expectHidden = async (document: DocumentBody, token: string) => {
    expectProblem(await get(`/documents/${document.id}`, token), 404, 'NOT_FOUND');
    expectProblem(await get(`/documents/${document.id}/content`, token), 404, 'NOT_FOUND');
  };

  const expectParties = (text: string, parties: Tenant[]) => {
    for (const party of parties) {
      expect(text).toContain(party.name);
      expect(text).toContain(party.registrationId);
    }
  };

  beforeAll(async () => {
    await ensureDebianPackages(['poppler-utils'], {
      log: silentLog,
      binaryCheck: () => findExecutable('pdftotext', BINARY_DIRS) !== undefined,
    });
    // The worker installs the font at its first render too; done here so no wait holds an apt-get.
    await loadCjkFont({ install: true, log: silentLog });
    folder = mkdtempSync(join(tmpdir(), 'scf-financing-documents-e2e-'));
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await financingWorld(t);
    outsider = await createTenant(t, OrganizationKind.SUPPLIER);
    financing = await disbursedFinancing(t, world, ['48000.00', '35000.50', '8888.88']);
    confirmation = await readyDocument(
      financing.id,
      'FINANCING_CONFIRMATION',
      world.supplier.admin.token,
    );
    ({ pdf: confirmationPdf, text: confirmationText } = await download(
      confirmation,
      world.supplier.admin.token,
    ));
  }, 600_000);
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await t?.close();
  });

  describe('the financing confirmation (on payout)', () => {
    it('is recorded READY as FC-<reference>, to the supplier and the financier, with the SHA-256 and page count of the served PDF', () => {
      expect(confirmation).toMatchObject({
        kind: 'FINANCING_CONFIRMATION',
        status: 'READY',
        number: `FC-${financing.reference}`,
        partyIds: [world.supplier.id, world.financier.id],
        failureReason: null,
      });
      expect(confirmation.pages).toBe(1);
    });

    it('names the parties (Chinese extracts), states the terms, the invoices and the net proceeds in figures and words', async () => {
      const text = confirmationText;
      expectParties(text, [world.supplier, world.financier, world.anchor]);
      expect(/[\u4e00-\u9fff]/.test(world.supplier.name)).toBe(true);
      expect(text).toContain('FINANCING CONFIRMATION');
      expect(text).toContain(`FC-${financing.reference}`);
      expect(text).toContain(financing.reference);

      const terms = await view(world, financing.id);
      expect(terms.confirmedAmount).toBe('91889.38');
      expect(terms.advanceAmount).toBe('82700.44');
      for (const figure of [
        terms.confirmedAmount,
        terms.advanceAmount,
        terms.discountAmount,
        terms.feeAmount,
        terms.netProceeds,
      ])
        expect(text).toContain(`CNY ${grouped(figure)}`);
      // The program's base 3.45% plus the financier's 150 bps margin.
      expect(text).toContain('4.95% p.a.');
      const days =
        (Date.parse(terms.maturityDate as string) - Date.parse(terms.valueDate as string)) /
        86_400_000;
      expect(text).toContain(`${days} days, ACT/360`);
      expect(text).toContain(terms.valueDate);
      expect(text).toContain(terms.maturityDate);
      expect(text).toContain(`BANK-${financing.reference}`);
      expect(text.replace(/\s+/g, ' ')).toContain(`CNY ${amountInWords(terms.netProceeds, 'CNY')}`);

      const invoices = (await t.db.query(
        `SELECT i.number FROM financing_invoices fi JOIN invoices i ON i.id = fi.invoice_id
          WHERE fi.financing_id = $1`,
        [financing.id],
      )) as Array<{ number: string }>;
      expect(invoices).toHaveLength(3);
      for (const { number } of invoices) expect(text).toContain(number);
      for (const amount of ['48,000.00', '35,000.50', '8,888.88']) expect(text).toContain(amount);
      expect(text).toContain(`Page 1 / ${confirmation.pages}`);
    });

    it('renders the same bytes again from the same record', async () => {
      const record = await t.db.manager.findOneByOrFail(DocumentRecord, { id: confirmation.id });
      const again = await t.app.get(DocumentRenderer).render(record);
      expect(again.bytes.equals(confirmationPdf)).toBe(true);
    });

    it('is served to the financier; the anchor (who never sees the pricing) and other organisations get 404 and list only what is theirs', async () => {
      const financierCopy = await get(
        `/documents/${confirmation.id}/content`,
        world.financier.admin.token,
      );
      expectStatus(financierCopy, 200);
      expect((financierCopy.body as Buffer).equals(confirmationPdf)).toBe(true);

      for (const token of [
        world.anchor.admin.token,
        world.otherFinancier.admin.token,
        outsider.admin.token,
      ])
        await expectHidden(confirmation, token);
      const anchorList = await get(
        `/documents?subjectId=${financing.id}`,
        world.anchor.admin.token,
      );
      expect((anchorList.body as { items: DocumentBody[] }).items.map((d) => d.kind)).toEqual([
        'ASSIGNMENT_NOTICE',
      ]);
      const outsiderList = await get(`/documents?subjectId=${financing.id}`, outsider.admin.token);
      expect(outsiderList.body).toEqual({ items: [], nextCursor: null });
    });

    it('audits its hash in the supplier’s and the financier’s chains only', async () => {
      const rows = (await t.db.query(
        `SELECT organization_id, data->>'sha256' AS sha256 FROM audit_events
          WHERE action = 'document.ready' AND entity_id = $1`,
        [confirmation.id],
      )) as Array<{ organization_id: string; sha256: string }>;
      expect(rows.map((row) => row.organization_id).sort()).toEqual(
        [world.supplier.id, world.financier.id].sort(),
      );
      expect(rows.every((row) => row.sha256 === confirmation.sha256)).toBe(true);
    });
  });

  describe('the settlement statement (on closing)', () => {
    it('settled in full: every payment, how it was applied, the totals in figures and words, the closing status', async () => {
      const anchorOperator = world.anchor.members[Role.OPERATOR]!;
      const first = payment('20000.00', { bankReference: `ANCHOR-1-${financing.reference}` });
      const rest = payment('71889.38', { bankReference: `ANCHOR-2-${financing.reference}` });
      expectStatus(await settle(anchorOperator.token, financing.id, first), 201);
      const settled = await settle(world.maker.token, financing.id, rest);
      expectStatus(settled, 201);
      expect(settled.body).toMatchObject({ status: 'SETTLED', paidAmount: '91889.38' });

      const statement = await readyDocument(
        financing.id,
        'SETTLEMENT_STATEMENT',
        world.supplier.admin.token,
      );
      expect(statement).toMatchObject({
        number: `SS-${financing.reference}`,
        partyIds: [world.supplier.id, world.financier.id],
      });
      const { text } = await download(statement, world.financier.admin.token);
      expectParties(text, [world.supplier, world.financier, world.anchor]);
      expect(text).toContain('SETTLEMENT STATEMENT');
      expect(text).toContain(`SS-${financing.reference}`);
      expect(text).toContain('Settled on 2026-11-28');

      // The advance (82,700.44) is repaid first: all of the 20,000.00, then 62,700.44 of the
      // 71,889.38; the remaining 9,188.94 is surplus owed to the supplier.
      const amounts = (bankReference: string, cells: string[]) =>
        expect(text).toMatch(
          new RegExp(`2026-11-28\\s+Settlement\\s+${bankReference}\\s+${cells.join('\\s+')}\\n`),
        );
      amounts(first.bankReference, ['20,000\\.00', '20,000\\.00', '0\\.00']);
      amounts(rest.bankReference, ['71,889\\.38', '62,700\\.44', '9,188\\.94']);
      expect(text).toContain('CNY 91,889.38');
      expect(text.replace(/\s+/g, ' ')).toContain(
        'CNY Ninety One Thousand Eight Hundred Eighty Nine Yuan Renminbi and Thirty Eight Fen Only',
      );
      expect(text).toContain('CNY 82,700.44 of CNY 82,700.44');
      expect((await view(world, financing.id)).surplusAmount).toBe('9188.94');
      expect(text).toMatch(/Surplus owed to the supplier\s+CNY 9,188\.94/);
      expect(text).toMatch(/Written off\s+CNY 0\.00/);
      expect(text).toContain(`Page 1 / ${statement.pages}`);

      for (const token of [
        world.anchor.admin.token,
        world.otherFinancier.admin.token,
        outsider.admin.token,
      ])
        await expectHidden(statement, token);
    });

    it('written off after a recovery under recourse: the RECOVERY row, nothing as surplus, the loss', async () => {
      const late = await disbursedFinancing(t, world, ['20000.00']); // advance 18,000.00
      await t.db.query(`UPDATE financings SET maturity_date = current_date - 30 WHERE id = $1`, [
        late.id,
      ]);
      await t.app.get(OverdueFinancings).markOverdue();
      expectStatus(
        await post(`/financings/${late.id}/recoveries`, world.maker.token, {
          amount: '5000.00',
          receivedAt: '2026-11-28T10:00:00+08:00',
          bankReference: `RECOURSE-${late.reference}`,
        }),
        201,
      );
      expectStatus(
        await post(`/financings/${late.id}/write-off`, world.checker.token, {
          reason: 'Supplier in liquidation',
        }),
        200,
      );
      const statement = await readyDocument(
        late.id,
        'SETTLEMENT_STATEMENT',
        world.supplier.admin.token,
      );
      const { text } = await download(statement, world.supplier.admin.token);
      expect(text).toMatch(/Closing status\s+Written off on \d{4}-\d{2}-\d{2}/);
      expect(text).toMatch(
        new RegExp(
          `2026-11-28\\s+Recovery\\s+RECOURSE-${late.reference}\\s+5,000\\.00\\s+5,000\\.00\\s+0\\.00\\n`,
        ),
      );
      expect(text).toMatch(/Total received\s+CNY 5,000\.00/);
      expect(text).toContain('CNY 5,000.00 of CNY 18,000.00');
      expect(text).toMatch(/Surplus owed to the supplier\s+CNY 0\.00/);
      expect(text).toMatch(/Written off\s+CNY 13,000\.00/);
      await expectHidden(statement, world.anchor.admin.token);
      await expectHidden(statement, outsider.admin.token);
    });
  });
});
