import { existsSync, readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { CJK_FONT } from './cjk-font';
import { closingHeight } from './closing-height';
import { PAGE } from './page-plan';

const BODY = PAGE.width - 2 * PAGE.margin;

/** What render-pdf's drawClosing advances by, measured with the embedded font. */
function measured(doc: PDFKit.PDFDocument, layout: Parameters<typeof closingHeight>[0]): number {
  let y = 18;
  for (const line of layout.closing) {
    doc.fontSize(line.emphasis ? 12 : 9.5);
    y += 11 + Math.min(40, doc.heightOfString(line.value, { width: BODY })) + 10;
  }
  doc.fontSize(9);
  return y + 10 + Math.min(30, doc.heightOfString(layout.signature, { width: BODY }));
}

/** A small deterministic generator, so a failure names a closing that can be drawn again. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('closingHeight', () => {
  it('adds up one-line values: 18 + (11 + 9.5 × 1.18 + 10) + 10 + 9 × 1.18, rounded up', () => {
    expect(
      closingHeight({ closing: [{ label: 'Total', value: 'CNY 1.00' }], signature: 'x' }),
    ).toBe(Math.ceil(18 + 11 + 9.5 * 1.18 + 10 + 10 + 9 * 1.18));
  });

  it('counts CJK characters a whole em wide', () => {
    const latin = closingHeight({
      closing: [{ label: '', value: 'a'.repeat(120) }],
      signature: '',
    });
    const chinese = closingHeight({
      closing: [{ label: '', value: '仓'.repeat(120) }],
      signature: '',
    });
    expect(chinese).toBeGreaterThan(latin);
  });

  const font = existsSync(CJK_FONT.path) ? readFileSync(CJK_FONT.path) : null;
  (font ? it : it.skip)('never promises less room than pdfkit then takes (2,000 closings)', () => {
    const doc = new PDFDocument({ size: 'A4' });
    doc.registerFont('cjk', font!, CJK_FONT.postscriptName);
    doc.font('cjk');
    const words = [
      'Nine',
      'Hundred',
      'Seventy',
      'Thousand',
      'Renminbi',
      'the',
      'WWW',
      'MMMM',
      'CNY',
      '9,777,777.77',
      '青岛港保税物流仓储有限公司',
      '有限公司',
      'scf-portal.',
    ];
    const random = generator(42);
    const pick = () => words[Math.floor(random() * words.length)];
    const text = () => Array.from({ length: 1 + Math.floor(random() * 40) }, pick).join(' ');
    for (let i = 0; i < 2_000; i++) {
      const layout = {
        closing: Array.from({ length: 1 + Math.floor(random() * 7) }, () => ({
          label: 'label',
          value: text(),
          emphasis: random() < 0.2,
        })),
        signature: text(),
      };
      const room = closingHeight(layout);
      if (room < measured(doc, layout))
        throw new Error(`closing ${JSON.stringify(layout)}: ${room} < ${measured(doc, layout)}`);
    }
  });
});
