import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
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
  platformAdminToken,
  type Tenant,
} from '../support/fixtures';
import { freshReceipt, WAREHOUSE } from '../support/pledge-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const BINARY_DIRS = ['/usr/bin', '/bin', '/usr/local/bin'];

interface DocumentBody {
  id: string;
  kind: string;
  status: 'QUEUED' | 'READY' | 'FAILED';
  number: string;
  subjectType: string;
  subjectId: string;
  sha256: string | null;
  pages: number | null;
  failureReason: string | null;
}

interface PledgeBody {
  id: string;
  reference: string;
  status: string;
  documentIds: string[];
}

interface Goods {
  sku: string;
  description: string;
  quantity: string;
  unit: string;
  declaredUnitValue: string;
  marketUnitPrice: string;
}

// 120.5 × 3,980.00 + 25.125 × 68,450.123456 + 1,200 × 18.75 = 2,221,899.351832 → 2,221,899.35;
// lending value × (1 − 0.3) = 1,555,329.545 → 1,555,329.55.
const GOODS: Goods[] = [
  {
    sku: 'HRC-Q235-2.0',
    description: '热轧钢卷 Q235 2.0mm',
    quantity: '120.5',
    unit: 't',
    declaredUnitValue: '4150.00',
    marketUnitPrice: '3980.00',
  },
  {
    sku: 'CU-CATH-A',
    description: '阴极铜 A级',
    quantity: '25.125',
    unit: 't',
    declaredUnitValue: '70000.00',
    marketUnitPrice: '68450.123456',
  },
  {
    sku: 'AL-A00',
    description: '铝锭 A00',
    quantity: '1200',
    unit: 'kg',
    declaredUnitValue: '19.00',
    marketUnitPrice: '18.75',
  },
];

/** A binary or JSON response body, as supertest would not buffer a PDF by itself. */
const bufferedBody = (response: Response): Buffer => response.body as Buffer;

describe('pledge documents: the pledge agreement and the release certificate, rendered and served', () => {
  let t: TestApp;
  let supplier: Tenant;
  let financier: Tenant;
  let outsider: Tenant;
  let otherFinancier: Tenant;
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

  const post = async (path: string, token: string, body: unknown, status: number) => {
    const response = await t
      .http()
      .post(`/api/v1${path}`)
      .set(...bearer(token))
      .send(body as object);
    expectStatus(response, status);
    return response.body as PledgeBody;
  };

  const poppler = (tool: 'pdftotext' | 'pdfinfo', args: string[]): string =>
    execFileSync(findExecutable(tool, BINARY_DIRS)!, args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });

  /** The document READY, its bytes downloaded and kept in the folder under `name`. */
  async function download(
    document: DocumentBody,
    name: string,
  ): Promise<{ path: string; bytes: Buffer }> {
    const content = await get(`/documents/${document.id}/content`, financier.admin.token);
    expectStatus(content, 200);
    expect(content.headers['content-type']).toBe('application/pdf');
    const bytes = bufferedBody(content);
    const path = join(folder, name);
    writeFileSync(path, bytes);
    return { path, bytes };
  }

  const pageCount = (path: string): number =>
    Number(/^Pages:\s+(\d+)/m.exec(poppler('pdfinfo', [path]))?.[1]);

  /** Requested by the supplier, valued by an OPERATOR, approved by another APPROVER: ACTIVE. */
  async function activePledge(
    goods: readonly Goods[],
  ): Promise<{ pledge: PledgeBody; agreement: DocumentBody; receiptNumber: string }> {
    const receiptNumber = freshReceipt();
    const created = await post(
      '/pledges',
      supplier.admin.token,
      {
        financierId: financier.id,
        currency: 'CNY',
        warehouse: WAREHOUSE,
        receiptNumber,
        items: goods.map(({ marketUnitPrice: _price, ...item }) => item),
      },
      201,
    );
    await post(
      `/pledges/${created.id}/valuation`,
      financier.members[Role.OPERATOR]!.token,
      {
        items: goods.map((item) => ({ sku: item.sku, marketUnitPrice: item.marketUnitPrice })),
        haircut: '0.3',
        marginCallLtv: '0.8',
        liquidationLtv: '0.9',
        warehouseVerifiedAt: new Date(Date.now() - 3_600_000).toISOString(),
        annualRate: '0.058',
      },
      200,
    );
    await post(`/pledges/${created.id}/approve`, financier.members[Role.APPROVER]!.token, {}, 200);
    const agreement = await eventually(
      async () => {
        const response = await get(`/documents?subjectId=${created.id}`, supplier.admin.token);
        expectStatus(response, 200);
        const found = (response.body as { items: DocumentBody[] }).items.find(
          (item) => item.kind === 'PLEDGE_AGREEMENT',
        );
        if (found?.status === 'FAILED') throw new Error(`agreement FAILED: ${found.failureReason}`);
        return found?.status === 'READY' ? found : undefined;
      },
      120_000,
      'the pledge agreement to be READY',
    );
    const pledge = await eventually(
      async () => {
        const response = await get(`/pledges/${created.id}`, supplier.admin.token);
        expectStatus(response, 200);
        const body = response.body as PledgeBody;
        return body.status === 'ACTIVE' ? body : undefined;
      },
      30_000,
      'the pledge to be ACTIVE',
    );
    return { pledge, agreement, receiptNumber };
  }

  beforeAll(async () => {
    await ensureDebianPackages(['poppler-utils'], {
      log: silentLog,
      binaryCheck: () => findExecutable('pdftotext', BINARY_DIRS) !== undefined,
    });
    // The worker installs the font at its first render too; done here so no wait below holds an apt-get.
    await loadCjkFont({ install: true, log: silentLog });
    folder = mkdtempSync(join(tmpdir(), 'scf-pledge-documents-e2e-'));
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    const platformToken = await platformAdminToken(t);
    supplier = await createTenant(t, OrganizationKind.SUPPLIER, {
      name: '苏州恒通电子有限公司',
      platformToken,
    });
    financier = await createTenant(t, OrganizationKind.FINANCIER, {
      name: '上海浦江保理有限公司',
      roles: [Role.OPERATOR, Role.APPROVER],
      platformToken,
    });
    outsider = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken });
    otherFinancier = await createTenant(t, OrganizationKind.FINANCIER, { platformToken });
  }, 600_000);
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await t?.close();
  });

  describe('a three-line pledge', () => {
    let pledge: PledgeBody;
    let agreement: DocumentBody;
    let receiptNumber: string;
    let pdf: { path: string; bytes: Buffer };

    beforeAll(async () => {
      ({ pledge, agreement, receiptNumber } = await activePledge(GOODS));
      pdf = await download(agreement, 'agreement.pdf');
    }, 300_000);

    it('records the agreement READY with the SHA-256 of the served bytes and its page count', () => {
      expect(agreement).toMatchObject({
        kind: 'PLEDGE_AGREEMENT',
        status: 'READY',
        number: `PA-${pledge.reference}`,
        subjectType: 'pledge',
        subjectId: pledge.id,
        failureReason: null,
      });
      expect(agreement.sha256).toBe(createHash('sha256').update(pdf.bytes).digest('hex'));
      expect(pageCount(pdf.path)).toBe(agreement.pages);
      expect(pledge.documentIds).toContain(agreement.id);
    });

    it('says what a pledge agreement must say, in text a PDF reader extracts (Chinese included)', () => {
      const text = poppler('pdftotext', ['-layout', pdf.path, '-']);
      const flat = text.replace(/\s+/g, ' ');
      for (const party of [supplier, financier]) {
        expect(/[\u4e00-\u9fff]/.test(party.name)).toBe(true);
        expect(text).toContain(party.name);
        expect(text).toContain(party.registrationId);
      }
      for (const fact of [
        WAREHOUSE.name,
        WAREHOUSE.address,
        WAREHOUSE.registrationId,
        receiptNumber,
      ])
        expect(text).toContain(fact);
      expect(text).toContain('PLEDGE AGREEMENT 质押合同');
      expect(text).toContain(`PA-${pledge.reference}`);
      expect(text).toContain(pledge.reference);
      for (const item of GOODS) {
        expect(text).toContain(item.sku);
        expect(text).toContain(item.description);
      }
      for (const figure of [
        '120.5 t',
        '25.125 t',
        '1,200 kg',
        '68,450.123456',
        '479,590.00',
        '1,719,809.35',
        '22,500.00',
        'CNY 2,221,899.35',
        'CNY 1,555,329.55',
        '30%',
        '70%',
        '80%',
        '90%',
      ])
        expect(text).toContain(figure);
      expect(flat).toContain(
        'Two Million Two Hundred Twenty One Thousand Eight Hundred Ninety Nine Yuan Renminbi and Thirty Five Fen Only',
      );
      expect(flat).toContain(
        'One Million Five Hundred Fifty Five Thousand Three Hundred Twenty Nine Yuan Renminbi and Fifty Five Fen Only',
      );
      expect(text).toContain(`Page 1 / ${agreement.pages}`);
    });

    it('renders the same bytes again from the same pledge (reproducible SHA-256)', async () => {
      const record = await t.db.manager.findOneByOrFail(DocumentRecord, { id: agreement.id });
      const again = await t.app.get(DocumentRenderer).render(record);
      expect(again.bytes.equals(pdf.bytes)).toBe(true);
    });

    it('answers 404 to another organisation, and lists nothing for it', async () => {
      for (const token of [outsider.admin.token, otherFinancier.admin.token]) {
        expectProblem(await get(`/documents/${agreement.id}`, token), 404, 'NOT_FOUND');
        expectProblem(await get(`/documents/${agreement.id}/content`, token), 404, 'NOT_FOUND');
        const list = await get(`/documents?subjectId=${pledge.id}`, token);
        expectStatus(list, 200);
        expect(list.body).toEqual({ items: [], nextCursor: null });
      }
    });

    describe('after a partial release', () => {
      let certificate: DocumentBody;
      let released: { path: string; bytes: Buffer };

      beforeAll(async () => {
        // Nothing is drawn, so any release is allowed.
        const after = await post(
          `/pledges/${pledge.id}/release`,
          supplier.admin.token,
          {
            items: [
              { sku: 'HRC-Q235-2.0', quantity: '20' },
              { sku: 'CU-CATH-A', quantity: '0.125' },
            ],
          },
          200,
        );
        expect(after.status).toBe('PARTIALLY_RELEASED');
        const newIds = after.documentIds.filter((id) => id !== agreement.id);
        expect(newIds).toHaveLength(1);
        certificate = await eventually(
          async () => {
            const response = await get(`/documents/${newIds[0]}`, supplier.admin.token);
            expectStatus(response, 200);
            const body = response.body as DocumentBody;
            if (body.status === 'FAILED') throw new Error(`FAILED: ${body.failureReason}`);
            return body.status === 'READY' ? body : undefined;
          },
          60_000,
          'the release certificate to be READY',
        );
        released = await download(certificate, 'certificate.pdf');
      }, 120_000);

      it('records the certificate READY with the SHA-256 of the served bytes and its page count', async () => {
        const [release] = (await t.db.query(`SELECT id FROM pledge_releases WHERE pledge_id = $1`, [
          pledge.id,
        ])) as Array<{ id: string }>;
        expect(certificate).toMatchObject({
          kind: 'RELEASE_CERTIFICATE',
          number: `RC-${pledge.reference}-1`,
          subjectType: 'pledge_release',
          subjectId: release.id,
          failureReason: null,
        });
        expect(certificate.sha256).toBe(createHash('sha256').update(released.bytes).digest('hex'));
        expect(pageCount(released.path)).toBe(certificate.pages);
      });

      it('lists the released goods and the figures the release was allowed on', () => {
        const text = poppler('pdftotext', ['-layout', released.path, '-']);
        expect(text).toContain('RELEASE CERTIFICATE 解除质押证明');
        expect(text).toContain(`RC-${pledge.reference}-1`);
        for (const fact of [
          supplier.name,
          supplier.registrationId,
          financier.name,
          financier.registrationId,
          WAREHOUSE.name,
          WAREHOUSE.registrationId,
          receiptNumber,
        ])
          expect(text).toContain(fact);
        const lines = text.split('\n');
        const line = (sku: string) => lines.find((candidate) => candidate.includes(sku)) ?? '';
        expect(line('HRC-Q235-2.0')).toMatch(/热轧钢卷 Q235 2\.0mm\s+20 t/);
        expect(line('CU-CATH-A')).toMatch(/阴极铜 A级\s+0\.125 t/);
        // Not released: not on the certificate.
        expect(text).not.toContain('AL-A00');
        // Before: 2,221,899.35; after: 100.5 × 3,980 + 25 × 68,450.123456 + 22,500 = 2,133,743.09.
        for (const figure of ['CNY 2,221,899.35', 'CNY 2,133,743.09', 'CNY 0.00'])
          expect(text).toContain(figure);
        expect(text).toContain('0% (nothing outstanding)');
        expect(text).toContain('Partial release');
        expect(text).toMatch(/Released in full\s+No/);
        expect(text).toContain(`Page 1 / ${certificate.pages}`);
      });

      it('answers 404 to another organisation', async () => {
        for (const token of [outsider.admin.token, otherFinancier.admin.token]) {
          expectProblem(await get(`/documents/${certificate.id}`, token), 404, 'NOT_FOUND');
          expectProblem(await get(`/documents/${certificate.id}/content`, token), 404, 'NOT_FOUND');
        }
      });
    });
  });

  describe('a 500-line pledge', () => {
    const goods: Goods[] = Array.from({ length: 500 }, (_, index) => ({
      sku: `SKU-${String(index + 1).padStart(4, '0')}`,
      description: `螺纹钢 HRB400 ${index + 1}`,
      quantity: '10',
      unit: 't',
      declaredUnitValue: '3600.00',
      marketUnitPrice: '3500.00',
    }));
    let agreement: DocumentBody;
    let pdf: { path: string; bytes: Buffer };

    beforeAll(async () => {
      ({ agreement } = await activePledge(goods));
      pdf = await download(agreement, 'agreement-500.pdf');
    }, 300_000);

    it('paginates the goods with the table header on every page that lists goods', () => {
      const pages = pageCount(pdf.path);
      expect(pages).toBe(agreement.pages);
      expect(agreement.sha256).toBe(createHash('sha256').update(pdf.bytes).digest('hex'));
      const listed: string[] = [];
      const perPage: number[] = [];
      for (let page = 1; page <= pages; page++) {
        const text = poppler('pdftotext', [
          '-layout',
          '-f',
          String(page),
          '-l',
          String(page),
          pdf.path,
          '-',
        ]);
        const skus = text.match(/SKU-\d{4}/g) ?? [];
        perPage.push(skus.length);
        if (skus.length > 0)
          expect(text).toMatch(
            /No\.\s+SKU\s+Description\s+Quantity\s+Market unit price\s+Market value/,
          );
        listed.push(...skus);
        expect(text).toContain(`Page ${page} / ${pages}`);
      }
      // Every line once, in order, over the pages; the totals close the last page.
      expect(listed).toEqual(goods.map((item) => item.sku));
      expect(perPage.filter((count) => count > 0).length).toBeGreaterThanOrEqual(12);
      expect(perPage[0]).toBe(21);
      expect(perPage.slice(1, 11)).toEqual(Array<number>(10).fill(44));
      const last = poppler('pdftotext', ['-f', String(pages), '-l', String(pages), pdf.path, '-']);
      // 500 × 10 t × 3,500.00 = 17,500,000.00; lent at 70%: 12,250,000.00.
      expect(last).toContain('CNY 17,500,000.00');
      expect(last).toContain('CNY 12,250,000.00');
    });
  });
});
