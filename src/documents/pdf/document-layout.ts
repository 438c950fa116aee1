import type { PlannedPage } from './page-plan';

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
  columns: readonly TableColumn[];
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
    ...layout.columns.map((column) => column.header),
    ...layout.pages.flatMap((page) => [page.footer, ...page.rows.flat()]),
    ...layout.closing.flatMap((line) => [line.label, line.value]),
    layout.signature,
  ].join('\n');
}
