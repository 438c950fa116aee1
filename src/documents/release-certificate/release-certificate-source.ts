import { Injectable } from '@nestjs/common';
import { PermanentJobError } from '../../common/errors/domain-error';
import { TransactionHost } from '../../database/transaction-host';
import type { DocumentRecord } from '../document.entity';
import { PledgeFactsSource } from '../pledge-facts/pledge-facts-source';
import type { ReleaseCertificateData } from './release-certificate-layout';

interface ReleaseRow {
  pledge_id: string;
  collateral_before: string;
  collateral_after: string;
  outstanding_amount: string;
  ltv_after: string | null;
  full: boolean;
  created_at: Date;
}

/**
 * Loads what a release certificate says from its pledge_releases row (the document's subject),
 * its pledge and the pledged items that name the released SKUs (the worker reads as the
 * platform). A SKU asked for in several lines of one release is listed once, summed.
 */
@Injectable()
export class ReleaseCertificateSource {
  constructor(
    private readonly tx: TransactionHost,
    private readonly pledges: PledgeFactsSource,
  ) {}

  async load(document: DocumentRecord): Promise<ReleaseCertificateData> {
    const [release] = (await this.tx.manager.query(
      `SELECT r.pledge_id, r.collateral_before::text AS collateral_before,
              r.collateral_after::text AS collateral_after,
              r.outstanding_amount::text AS outstanding_amount, r.ltv_after::text AS ltv_after,
              r.full, r.created_at
         FROM pledge_releases r WHERE r.id = $1`,
      [document.subjectId],
    )) as ReleaseRow[];
    if (!release)
      throw new PermanentJobError(
        `document ${document.id}: pledge release ${document.subjectId} does not exist`,
      );
    const pledge = await this.pledges.load(document, release.pledge_id);
    const lines = (await this.tx.manager.query(
      `SELECT l.sku, sum(l.quantity)::text AS quantity, i.description, i.unit
         FROM pledge_releases r
        CROSS JOIN jsonb_to_recordset(r.lines) AS l(sku text, quantity numeric)
         JOIN pledge_items i ON i.pledge_id = r.pledge_id AND i.sku = l.sku
        WHERE r.id = $1
        GROUP BY l.sku, i.description, i.unit, i.position
        ORDER BY i.position, l.sku`,
      [document.subjectId],
    )) as Array<{ sku: string; quantity: string; description: string; unit: string }>;
    return {
      ...pledge.facts,
      documentNumber: document.number,
      issuedAt: document.createdAt,
      releasedAt: release.created_at,
      collateralBefore: release.collateral_before,
      collateralAfter: release.collateral_after,
      outstandingAmount: release.outstanding_amount,
      ltvAfter: release.ltv_after,
      full: release.full,
      lines,
    };
  }
}
