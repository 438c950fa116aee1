import type { DocumentLayout } from './document-layout';
import { PAGE } from './page-plan';

const BODY = PAGE.width - 2 * PAGE.margin;
/** The embedded font's line height ((ascender − descender) / em), rounded up. */
const LINE_HEIGHT_EM = 1.18;

/**
 * An upper bound of a text's width in em for the embedded font: WenQuanYi Micro Hei draws CJK
 * (and other non-ASCII) characters 1 em wide and ASCII ones at most about 0.6 em on average.
 */
const emWidth = (text: string): number =>
  [...text].reduce((width, character) => width + (character.charCodeAt(0) < 128 ? 0.62 : 1), 0);

/** Lines a text takes on the body width at `size` points. */
const linesOf = (text: string, size: number): number =>
  Math.max(1, Math.ceil((emWidth(text) * size) / BODY));

/**
 * The height the closing block will take as render-pdf's drawClosing draws it (18 pt below the
 * table; per line an 8 pt label, the value at 9.5 pt or 12 pt when emphasised, at most 40 pt
 * high, 10 pt apart; the signature at 9 pt, at most 30 pt), erring on the tall side. For
 * layouts whose closing says more than a total and an instruction: the pages are planned
 * before anything is drawn, so the room is estimated from the text instead of measured.
 */
export function closingHeight(layout: Pick<DocumentLayout, 'closing' | 'signature'>): number {
  let height = 18;
  for (const line of layout.closing) {
    const size = line.emphasis ? 12 : 9.5;
    height += 11 + Math.min(40, linesOf(line.value, size) * size * LINE_HEIGHT_EM) + 10;
  }
  return Math.ceil(height + 10 + Math.min(30, linesOf(layout.signature, 9) * 9 * LINE_HEIGHT_EM));
}
