import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrganizationKind } from '../../src/common/auth/roles';
import { DocumentRenderer } from '../../src/documents/document-renderer';
import { DocumentRecord } from '../../src/documents/document.entity';
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
import { startTestApp, type TestApp } from '../support/test-app';

const BINARY_DIRS = ['/usr/bin', '/bin', '/usr/local/bin'];

interface DocumentBody {
  id: string;
  kind: string;
  status: 'QUEUED' | 'READY' | 'FAILED';
  number: string;
  sha256: string | null;
  pages: number | null;
  failureReason: string | null;
  subjectId: string;
}

/** A binary response body as a Buffer (supertest buffers only text by default). */
const binary = (response: import('supertest').Response): Buffer => response.body as Buffer;

describe('documents: the assignment notice rendered on disbursement, stored and served', () => {
  let t: TestApp;
  let world: FinancingWorld;
  let outsider: Tenant;
  let financing: { id: string; reference: string };
  let notice: DocumentBody;
  let pdf: Buffer;
  let folder: string;

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

  beforeAll(async () => {
    await ensureDebianPackages(['poppler-utils'], {
      log: silentLog,
      binaryCheck: () => findExecutable('pdftotext', BINARY_DIRS) !== undefined,
    });
    // The worker installs the font at its first render too; done here so no wait below holds an apt-get.
    await loadCjkFont({ install: true, log: silentLog });
    folder = mkdtempSync(join(tmpdir(), 'scf-documents-e2e-'));
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await financingWorld(t);
    outsider = await createTenant(t, OrganizationKind.SUPPLIER);
    financing = await disbursedFinancing(t, world, ['48000.00', '35000.50', '8888.88']);
    notice = await eventually(
      async () => {
        const response = await get(
          `/documents?subjectId=${financing.id}`,
          world.anchor.admin.token,
        );
        expectStatus(response, 200);
        const found = (response.body as { items: DocumentBody[] }).items.find(
          (item) => item.kind === 'ASSIGNMENT_NOTICE',
        );
        return found?.status === 'READY' ? found : undefined;
      },
      60_000,
      'the assignment notice to be READY',
    );
    const content = await get(`/documents/${notice.id}/content`, world.anchor.admin.token);
    expectStatus(content, 200);
    expect(content.headers['content-type']).toBe('application/pdf');
    pdf = binary(content);
    writeFileSync(join(folder, 'notice.pdf'), pdf);
  }, 600_000);
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await t?.close();
  });

  it('records the notice READY with the SHA-256 of the served bytes and its page count', async () => {
    expect(notice).toMatchObject({
      kind: 'ASSIGNMENT_NOTICE',
      status: 'READY',
      number: `AN-${financing.reference}`,
      failureReason: null,
    });
    expect(notice.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    const info = poppler('pdfinfo', [join(folder, 'notice.pdf')]);
    expect(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])).toBe(notice.pages);
    const one = await get(`/documents/${notice.id}`, world.supplier.admin.token);
    expectStatus(one, 200);
    expect(one.body).toEqual(expect.objectContaining({ id: notice.id, sha256: notice.sha256 }));
  });

  it('says what an assignment notice must say, in text a PDF reader extracts (Chinese included)', async () => {
    const text = poppler('pdftotext', ['-layout', join(folder, 'notice.pdf'), '-']);
    for (const party of [world.anchor, world.supplier, world.financier]) {
      expect(text).toContain(party.name);
      expect(text).toContain(party.registrationId);
    }
    expect(/[\u4e00-\u9fff]/.test(world.anchor.name)).toBe(true);
    expect(text).toContain(financing.reference);
    expect(text).toContain(`AN-${financing.reference}`);
    for (const amount of ['48,000.00', '35,000.50', '8,888.88', 'CNY 91,889.38'])
      expect(text).toContain(amount);
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Ninety One Thousand Eight Hundred Eighty Nine Yuan Renminbi and Thirty Eight Fen Only',
    );
    const numbers = (await t.db.query(
      `SELECT i.number FROM financing_invoices fi JOIN invoices i ON i.id = fi.invoice_id
        WHERE fi.financing_id = $1`,
      [financing.id],
    )) as Array<{ number: string }>;
    expect(numbers).toHaveLength(3);
    for (const { number } of numbers) expect(text).toContain(number);
    expect(text).toContain(`Page 1 / ${notice.pages}`);
  });

  it('renders the same bytes again from the same document (reproducible SHA-256)', async () => {
    const record = await t.db.manager.findOneByOrFail(DocumentRecord, { id: notice.id });
    const again = await t.app.get(DocumentRenderer).render(record);
    expect(createHash('sha256').update(again.bytes).digest('hex')).toBe(notice.sha256);
    expect(again.bytes.equals(pdf)).toBe(true);
  });

  it('audits the hash in the chain of each party', async () => {
    const rows = (await t.db.query(
      `SELECT organization_id, data->>'sha256' AS sha256 FROM audit_events
        WHERE action = 'document.ready' AND entity_id = $1`,
      [notice.id],
    )) as Array<{ organization_id: string; sha256: string }>;
    expect(rows.map((row) => row.organization_id).sort()).toEqual(
      [world.anchor.id, world.supplier.id, world.financier.id].sort(),
    );
    expect(rows.every((row) => row.sha256 === notice.sha256)).toBe(true);
  });

  it('answers 404 to another organisation on every route, and lists nothing for it', async () => {
    const token = outsider.admin.token;
    expectProblem(await get(`/documents/${notice.id}`, token), 404, 'NOT_FOUND');
    expectProblem(await get(`/documents/${notice.id}/content`, token), 404, 'NOT_FOUND');
    const list = await get(`/documents?subjectId=${financing.id}`, token);
    expectStatus(list, 200);
    expect(list.body).toEqual({ items: [], nextCursor: null });
    expectProblem(
      await get(`/documents/${notice.id}`, world.otherFinancier.admin.token),
      404,
      'NOT_FOUND',
    );
  });

  it('answers 401 without credentials', async () => {
    for (const path of [
      '/documents',
      `/documents/${notice.id}`,
      `/documents/${notice.id}/content`,
    ]) {
      const response = await t.http().get(`/api/v1${path}`);
      expectProblem(response, 401, 'UNAUTHENTICATED');
    }
  });

  it('refuses a subjectId that is not a UUID with 422', async () => {
    const response = await get('/documents?subjectId=not-a-uuid', world.anchor.admin.token);
    expectProblem(response, 422, 'VALIDATION_FAILED');
  });

  it('answers 409 for the content of a QUEUED document', async () => {
    // No render job is queued for it: it stays QUEUED (the financing is not closed, so no
    // statement of its own exists yet).
    const [row] = (await t.db.query(
      `INSERT INTO documents (kind, status, subject_type, subject_id, party_ids, number)
       VALUES ('SETTLEMENT_STATEMENT', 'QUEUED', 'financing', $1, $2::uuid[], $3) RETURNING id`,
      [financing.id, [world.supplier.id, world.financier.id], `SS-${financing.reference}`],
    )) as Array<{ id: string }>;
    const one = await get(`/documents/${row.id}`, world.supplier.admin.token);
    expect(one.body).toMatchObject({ status: 'QUEUED', sha256: null, pages: null });
    expectProblem(
      await get(`/documents/${row.id}/content`, world.supplier.admin.token),
      409,
      'CONFLICT',
    );
    // One page at a time, newest first: the statement, then the payout's notice and
    // confirmation (recorded in one transaction, so at one moment; the cursor orders them by id).
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(
        `/documents?subjectId=${financing.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        world.supplier.admin.token,
      );
      expectStatus(page, 200);
      const body = page.body as { items: DocumentBody[]; nextCursor: string | null };
      expect(body.items).toHaveLength(1);
      seen.push(body.items[0].id);
      cursor = body.nextCursor;
    } while (cursor);
    const [confirmation] = (await t.db.query(
      `SELECT id FROM documents WHERE subject_id = $1 AND kind = 'FINANCING_CONFIRMATION'`,
      [financing.id],
    )) as Array<{ id: string }>;
    expect(seen[0]).toBe(row.id);
    expect([...seen].sort()).toEqual([row.id, notice.id, confirmation.id].sort());
  });

  it('ends FAILED with the reason when no retry can help (and serves no content)', async () => {
    // A pledge agreement whose pledge does not exist: a missing subject fails at once.
    const pledgeId = randomUUID();
    const [row] = (await t.db.query(
      `INSERT INTO documents (kind, status, subject_type, subject_id, party_ids, number)
       VALUES ('PLEDGE_AGREEMENT', 'QUEUED', 'pledge', $1, $2::uuid[], 'PA-TEST-1') RETURNING id`,
      [pledgeId, [world.supplier.id, world.financier.id]],
    )) as Array<{ id: string }>;
    await t.db.query(
      `INSERT INTO outbox_messages (queue, job_name, payload) VALUES ('documents', 'render-document', $1)`,
      [JSON.stringify({ documentId: row.id })],
    );
    const failed = await eventually(
      async () => {
        const response = await get(`/documents/${row.id}`, world.supplier.admin.token);
        return (response.body as DocumentBody).status === 'FAILED'
          ? (response.body as DocumentBody)
          : undefined;
      },
      30_000,
      'the pledge agreement to fail',
    );
    expect(failed.failureReason).toContain(`pledge ${pledgeId} does not exist`);
    expectProblem(
      await get(`/documents/${row.id}/content`, world.supplier.admin.token),
      409,
      'CONFLICT',
    );
  });
});
