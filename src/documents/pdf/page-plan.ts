/**
 * Page geometry shared by the pure layouts (which decide what goes on which page) and the
 * pdfkit drawing (which puts it there), so the two always agree on the page count. A4, points.
 */
export const PAGE = {
  width: 595.28,
  height: 841.89,
  margin: 50,
  /** Baseline area of the footer, below the body. */
  footerY: 841.89 - 38,
  /** Height of one table row, header row included (single-line cells, 9 pt). */
  rowHeight: 16,
  /** Where the table starts on the first page (below the title, parties and introduction). */
  firstTableY: 400,
  /** Where the table starts on the following pages. */
  nextTableY: 50,
  /** Lowest y a table row may reach. */
  bodyBottom: 841.89 - 60,
  /** Height the closing block (total, words, instruction, signature) needs below the table. */
  closingHeight: 230,
  /** The first page's facts, one a line from factsTop; the parties below them, a block each. */
  factsTop: 82,
  factHeight: 14,
  partiesMinTop: 140,
  partyHeight: 46,
  /** With key figures, the introduction gets three lines before the grid. */
  introductionHeight: 54,
  /** The key-figures grid: its heading, its lines (two figures a line), the gap below it. */
  figuresHeading: 16,
  figureRowHeight: 14,
  figuresGap: 8,
} as const;

/** How much the first page's opening holds, which decides where its table starts. */
export interface OpeningShape {
  facts: number;
  parties: number;
  figures: number;
}

/** Where the parties end and the introduction starts on the first page. */
export const partiesBottom = (shape: OpeningShape): number =>
  Math.max(PAGE.factsTop + shape.facts * PAGE.factHeight, PAGE.partiesMinTop) +
  6 +
  shape.parties * PAGE.partyHeight;

/** Where the key-figures grid starts: below three lines of introduction. */
export const figuresTop = (shape: OpeningShape): number =>
  partiesBottom(shape) + PAGE.introductionHeight;

/**
 * Where the table starts on the first page: PAGE.firstTableY without key figures; with them,
 * right below the grid.
 */
export const firstTableTop = (shape: OpeningShape): number =>
  shape.figures === 0
    ? PAGE.firstTableY
    : figuresTop(shape) +
      PAGE.figuresHeading +
      Math.ceil(shape.figures / 2) * PAGE.figureRowHeight +
      PAGE.figuresGap;

export interface PlannedPage<R> {
  /** 1-based page number. */
  number: number;
  /** The first page carries the title, parties and introduction. */
  first: boolean;
  /** Table rows on this page; the header row is drawn above them whenever there are rows. */
  rows: R[];
  /** The closing block goes on this page (the last one). */
  closing: boolean;
}

/** Rows that fit below `top` with the header row repeated above them. */
export const rowsFitting = (top: number): number =>
  Math.max(1, Math.floor((PAGE.bodyBottom - top) / PAGE.rowHeight) - 1);

/**
 * Breaks a table across pages: as many rows as fit on each page, header repeated on each, and
 * the closing block on the last page if it fits below the table, else on a page of its own.
 * With no rows at all the first page keeps one row's height for a note in the table's place.
 * A layout whose closing block is longer than most (terms as well as totals) says how tall it is.
 */
export function planPages<R>(
  rows: readonly R[],
  firstTableY: number = PAGE.firstTableY,
  closingHeight: number = PAGE.closingHeight,
): Array<PlannedPage<R>> {
  const pages: Array<PlannedPage<R>> = [];
  let index = 0;
  do {
    const first = pages.length === 0;
    const capacity = rowsFitting(first ? firstTableY : PAGE.nextTableY);
    pages.push({
      number: pages.length + 1,
      first,
      rows: rows.slice(index, index + capacity),
      closing: false,
    });
    index += capacity;
  } while (index < rows.length);
  const last = pages[pages.length - 1];
  const tableTop = last.first ? firstTableY : PAGE.nextTableY;
  const tableBottom = tableTop + (last.rows.length + 1) * PAGE.rowHeight;
  if (tableBottom + closingHeight <= PAGE.bodyBottom) last.closing = true;
  else pages.push({ number: pages.length + 1, first: false, rows: [], closing: true });
  return pages;
}
