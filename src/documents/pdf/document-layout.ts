import { firstTableTop, type PlannedPage } from './page-plan';

export interface TableColumn {
  header: string;
  width: number;
  align: 'left' | 'right';
}

/**
 * A document as data: what the pdfkit drawing (renderDocumentPdf) puts on each page. Every
 * renderer's pure layout function produces one; its page list is the final page count.
 */
export interface DocumentLayout {
  /** PDF metadata; CreationDate and ModDate are fixed (the document's created_at) so bytes repeat. */
  info: {
    Title: string;
    Subject: string;
    Author: string;
    Creator: string;
    Keywords: string;
    CreationDate: Date;
    ModDate: Date;
  };
  title: string;
  facts: Array<{ label: string; value: string }>;
  parties: Array<{ role: string; name: string; detail: string }>;
  introduction: string;
  /**
   * Key figures in a two-column grid on the first page, between the introduction and the table
   * (which then starts right below it: tableTop).
   */
  figures?: { heading: string; items: Array<{ label: string; value: string }> };
  columns: readonly TableColumn[];
  /** Said in the table's place when it has no rows (no header row is drawn then). */
  emptyTable?: string;
  pages: Array<PlannedPage<string[]> & { footer: string }>;
  closing: Array<{ label: string; value: string; emphasis?: boolean }>;
  signature: string;
}

/** Every string the layout puts on paper (for the font coverage check). */
export function layoutText(layout: DocumentLayout): string {
  return [
    layout.title,
    ...layout.facts.flatMap((fact) => [fact.label, fact.value]),
    ...layout.parties.flatMap((party) => [party.role, party.name, party.detail]),
    layout.introduction,
    ...(layout.figures
      ? [layout.figures.heading, ...layout.figures.items.flatMap((f) => [f.label, f.value])]
      : []),
    ...layout.columns.map((column) => column.header),
    layout.emptyTable ?? '',
    ...layout.pages.flatMap((page) => [page.footer, ...page.rows.flat()]),
    ...layout.closing.flatMap((line) => [line.label, line.value]),
    layout.signature,
  ].join('\n');
}

/** Where the first page's table starts, given what the opening above it holds. */
export const tableTop = (layout: Pick<DocumentLayout, 'facts' | 'parties' | 'figures'>): number =>
  firstTableTop({
    facts: layout.facts.length,
    parties: layout.parties.length,
    figures: layout.figures?.items.length ?? 0,
  });
