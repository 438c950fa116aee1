import PDFDocument from 'pdfkit';
import { CJK_FONT } from './cjk-font';
import { layoutText, tableTop, type DocumentLayout } from './document-layout';
import { fontFace } from './font-face';
import { figuresTop, PAGE, partiesBottom } from './page-plan';

export interface RenderedPdf {
  bytes: Buffer;
  pages: number;
}

/** A character the embedded font has no glyph for: rendering it would print a box. */
export class MissingGlyphError extends Error {
  constructor(readonly characters: string[]) {
    super(
      `The document font has no glyph for ${characters
        .map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
        .join(', ')}; refusing to print boxes`,
    );
    this.name = 'MissingGlyphError';
  }
}

const FONT = 'cjk';
const BODY = PAGE.width - 2 * PAGE.margin;
const GREY = '#555555';

interface FontkitFace {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/**
 * Draws a layout with pdfkit: the pages the layout planned, no more (text never flows onto a
 * page of its own accord). Deterministic: fixed metadata dates, no random ids, so the same layout
 * and font give the same bytes.
 */
export async function renderDocumentPdf(
  layout: DocumentLayout,
  font: Buffer,
): Promise<RenderedPdf> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.margin, bottom: 0, left: PAGE.margin, right: PAGE.margin },
    autoFirstPage: false,
    info: layout.info,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  // pdfkit takes a parsed fontkit face where its types only name bytes.
  const face = fontFace(font, CJK_FONT.postscriptName) as unknown as Buffer;
  doc.registerFont(FONT, face, CJK_FONT.postscriptName);
  doc.font(FONT);
  checkGlyphs(doc, layout);

  const noRows = layout.pages.every((page) => page.rows.length === 0);
  for (const page of layout.pages) {
    doc.addPage();
    let y: number = PAGE.nextTableY;
    if (page.first) y = drawOpening(doc, layout);
    if (page.rows.length > 0) y = drawTable(doc, layout, page.rows, y);
    else if (page.first && noRows && layout.emptyTable) y = drawNote(doc, layout.emptyTable, y);
    if (page.closing) drawClosing(doc, layout, y + 18);
    doc.fontSize(8).fillColor(GREY).text(page.footer, PAGE.margin, PAGE.footerY, {
      width: BODY,
      align: 'center',
      lineBreak: false,
    });
  }
  doc.end();
  await ended;
  return { bytes: Buffer.concat(chunks), pages: layout.pages.length };
}

function checkGlyphs(doc: PDFKit.PDFDocument, layout: DocumentLayout): void {
  const face = (doc as unknown as { _font?: { font?: FontkitFace } })._font?.font;
  if (!face) return;
  const missing = new Set<string>();
  for (const character of layoutText(layout)) {
    if (/\s/.test(character)) continue;
    if (!face.hasGlyphForCodePoint(character.codePointAt(0)!)) missing.add(character);
  }
  if (missing.size > 0) throw new MissingGlyphError([...missing]);
}

/** Title, facts, parties, introduction and key figures; returns where the table starts. */
function drawOpening(doc: PDFKit.PDFDocument, layout: DocumentLayout): number {
  const left = PAGE.margin;
  doc
    .fillColor('black')
    .fontSize(15)
    .text(layout.title, left, 50, { width: BODY, align: 'center' });
  const shape = {
    facts: layout.facts.length,
    parties: layout.parties.length,
    figures: layout.figures?.items.length ?? 0,
  };
  let y: number = PAGE.factsTop;
  doc.fontSize(9);
  for (const fact of layout.facts) {
    doc.fillColor(GREY).text(fact.label, left, y, { width: 130, lineBreak: false });
    doc.fillColor('black').text(fact.value, left + 130, y, { width: BODY - 130, lineBreak: false });
    y += PAGE.factHeight;
  }
  y = Math.max(y, PAGE.partiesMinTop) + 6;
  for (const party of layout.parties) {
    doc.fillColor(GREY).fontSize(8).text(party.role, left, y, { width: BODY, lineBreak: false });
    doc
      .fillColor('black')
      .fontSize(11)
      .text(party.name, left, y + 11, {
        width: BODY,
        height: 14,
        ellipsis: true,
        lineBreak: false,
      });
    // One line: a warehouse's address can be long; cut with an ellipsis like the name above.
    doc.fontSize(8.5).text(party.detail, left, y + 27, {
      width: BODY,
      height: 12,
      ellipsis: true,
      lineBreak: false,
    });
    y += PAGE.partyHeight;
  }
  // Without key figures the introduction may run down to the table, as it always has.
  const introductionEnd = layout.figures ? figuresTop(shape) : PAGE.firstTableY;
  doc
    .fontSize(9.5)
    .fillColor('black')
    .text(layout.introduction, left, partiesBottom(shape) + 4, {
      width: BODY,
      height: introductionEnd - partiesBottom(shape) - 12,
    });
  if (layout.figures) drawFigures(doc, layout.figures, figuresTop(shape));
  return tableTop(layout);
}

/** The key figures, two to a line, each label beside its value. */
function drawFigures(
  doc: PDFKit.PDFDocument,
  figures: NonNullable<DocumentLayout['figures']>,
  top: number,
): void {
  doc
    .fillColor(GREY)
    .fontSize(8)
    .text(figures.heading, PAGE.margin, top + 4, { width: BODY, lineBreak: false });
  const half = BODY / 2;
  figures.items.forEach((figure, index) => {
    const x = PAGE.margin + (index % 2) * half;
    const y = top + PAGE.figuresHeading + Math.floor(index / 2) * PAGE.figureRowHeight;
    doc.fillColor(GREY).fontSize(8.5).text(figure.label, x, y, { width: 110, lineBreak: false });
    doc
      .fillColor('black')
      .fontSize(9)
      .text(figure.value, x + 110, y, {
        width: half - 118,
        height: PAGE.figureRowHeight - 2,
        ellipsis: true,
        lineBreak: false,
      });
  });
}

/** A line in the table's place when there is nothing to tabulate; returns the y below it. */
function drawNote(doc: PDFKit.PDFDocument, note: string, top: number): number {
  doc
    .fillColor('black')
    .fontSize(9.5)
    .text(note, PAGE.margin, top + 4, { width: BODY, lineBreak: false, ellipsis: true });
  return top + PAGE.rowHeight;
}

function drawRow(
  doc: PDFKit.PDFDocument,
  layout: DocumentLayout,
  cells: readonly string[],
  y: number,
): void {
  let x = PAGE.margin;
  layout.columns.forEach((column, index) => {
    doc.text(cells[index] ?? '', x + 3, y + 4, {
      width: column.width - 6,
      align: column.align,
      height: PAGE.rowHeight - 4,
      ellipsis: true,
      lineBreak: false,
    });
    x += column.width;
  });
}

/** The header row, then the rows; returns the y below the table. */
function drawTable(
  doc: PDFKit.PDFDocument,
  layout: DocumentLayout,
  rows: readonly string[][],
  top: number,
): number {
  const width = layout.columns.reduce((total, column) => total + column.width, 0);
  doc.rect(PAGE.margin, top, width, PAGE.rowHeight).fill('#e8e8e8');
  doc.fillColor('black').fontSize(9);
  drawRow(
    doc,
    layout,
    layout.columns.map((column) => column.header),
    top,
  );
  let y = top + PAGE.rowHeight;
  for (const row of rows) {
    drawRow(doc, layout, row, y);
    y += PAGE.rowHeight;
    doc
      .moveTo(PAGE.margin, y)
      .lineTo(PAGE.margin + width, y)
      .lineWidth(0.3)
      .strokeColor('#bbbbbb')
      .stroke();
  }
  return y;
}

function drawClosing(doc: PDFKit.PDFDocument, layout: DocumentLayout, top: number): void {
  let y = top;
  for (const line of layout.closing) {
    doc
      .fillColor(GREY)
      .fontSize(8)
      .text(line.label, PAGE.margin, y, { width: BODY, lineBreak: false });
    doc.fillColor('black').fontSize(line.emphasis ? 12 : 9.5);
    const options = { width: BODY, height: 40, ellipsis: true };
    doc.text(line.value, PAGE.margin, y + 11, options);
    y += 11 + Math.min(40, doc.heightOfString(line.value, { width: BODY })) + 10;
  }
  doc
    .fillColor('black')
    .fontSize(9)
    .text(layout.signature, PAGE.margin, y + 10, { width: BODY, height: 30, ellipsis: true });
}
