import { existsSync, readFileSync } from 'node:fs';
import { CJK_FONT } from './cjk-font';
import type { DocumentLayout } from './document-layout';
import { fontFace } from './font-face';
import { planPages } from './page-plan';
import { renderDocumentPdf } from './render-pdf';

const font = existsSync(CJK_FONT.path) ? readFileSync(CJK_FONT.path) : null;
const withFont = font ? it : it.skip;

function layout(name: string, rows: number): DocumentLayout {
  const issued = new Date('2026-11-28T02:00:00.000Z');
  return {
    info: {
      Title: name,
      Subject: name,
      Author: name,
      Creator: 'scf-portal',
      Keywords: name,
      CreationDate: issued,
      ModDate: issued,
    },
    title: name,
    facts: [{ label: 'Document number', value: name }],
    parties: [{ role: 'Pledgor', name: '苏州恒通电子有限公司', detail: 'Registration ID: —' }],
    introduction: '青岛港保税物流仓储有限公司 holds the goods.',
    columns: [{ header: 'SKU', width: 200, align: 'left' }],
    pages: planPages(Array.from({ length: rows }, (_, i) => [`螺纹钢 ${i}`])).map((page) => ({
      ...page,
      footer: `${name} · ${page.number}`,
    })),
    closing: [{ label: 'Total', value: 'CNY 1.00', emphasis: true }],
    signature: 'scf-portal',
  };
}

describe('fontFace', () => {
  withFont('parses a font file once, however many documents draw with it', () => {
    const face = fontFace(font!, CJK_FONT.postscriptName);
    expect(fontFace(font!, CJK_FONT.postscriptName)).toBe(face);
    expect(face.postscriptName).toBe(CJK_FONT.postscriptName);
    expect(face.hasGlyphForCodePoint('质'.codePointAt(0)!)).toBe(true);
  });

  withFont(
    'draws the same bytes from the shared face as from a fresh parse, also interleaved',
    async () => {
      const [a, b] = [layout('PA-A', 3), layout('PA-B', 60)];
      const fresh = [
        await renderDocumentPdf(a, Buffer.from(font!)),
        await renderDocumentPdf(b, Buffer.from(font!)),
      ];
      const shared = await Promise.all([renderDocumentPdf(b, font!), renderDocumentPdf(a, font!)]);
      expect(shared[1].bytes.equals(fresh[0].bytes)).toBe(true);
      expect(shared[0].bytes.equals(fresh[1].bytes)).toBe(true);
    },
  );

  withFont('refuses a face the file does not have', () => {
    expect(() => fontFace(Buffer.from(font!), 'NoSuchFace')).toThrow(
      'the font file has no face NoSuchFace',
    );
  });
});
