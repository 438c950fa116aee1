import { Injectable } from '@nestjs/common';
import { PermanentJobError } from '../../common/errors/domain-error';
import { TransactionHost } from '../../database/transaction-host';
import type { DocumentRecord } from '../document.entity';
import type { PledgeFacts } from './pledge-facts';

interface PledgeRow {
  reference: string;
  currency: string;
  warehouse_name: string;
  warehouse_registration_id: string;
  warehouse_address: string;
  haircut: string | null;
  approval_ltv: string | null;
  margin_call_ltv: string | null;
  liquidation_ltv: string | null;
  collateral_value: string;
  lending_value: string;
  warehouse_verified_at: Date | null;
  created_at: Date;
  approved_at: Date | null;
  supplier_name: string;
  supplier_registration_id: string | null;
  financier_name: string;
  financier_registration_id: string | null;
  receipt_numbers: string[];
}

/** A pledge as its documents state it, with the figures its valuation set. */
export interface LoadedPledge {
  facts: PledgeFacts;
  collateralValue: string;
  lendingValue: string;
  warehouseVerifiedAt: Date | null;
  requestedAt: Date;
  approvedAt: Date | null;
}

/** Loads a pledge's parties, warehouse, receipts and terms for its documents, in one statement. */
@Injectable()
export class PledgeFactsSource {
  constructor(private readonly tx: TransactionHost) {}

  /** @throws PermanentJobError when the pledge does not exist or was never valued */
  async load(document: DocumentRecord, pledgeId: string): Promise<LoadedPledge> {
    const [row] = (await this.tx.manager.query(
      `SELECT p.reference, p.currency, p.warehouse_name, p.warehouse_registration_id,
              p.warehouse_address, p.haircut::text AS haircut, p.approval_ltv::text AS approval_ltv,
              p.margin_call_ltv::text AS margin_call_ltv, p.liquidation_ltv::text AS liquidation_ltv,
              p.collateral_value::text AS collateral_value, p.lending_value::text AS lending_value,
              p.warehouse_verified_at, p.created_at, p.approved_at,
              s.name AS supplier_name, s.registration_id AS supplier_registration_id,
              f.name AS financier_name, f.registration_id AS financier_registration_id,
              ARRAY(SELECT r.receipt_number FROM pledge_receipts r WHERE r.pledge_id = p.id
                     ORDER BY r.receipt_number <> p.receipt_number, r.created_at, r.receipt_number)
                AS receipt_numbers
         FROM pledges p
         JOIN organizations s ON s.id = p.supplier_id
         JOIN organizations f ON f.id = p.financier_id
        WHERE p.id = $1`,
      [pledgeId],
    )) as PledgeRow[];
    if (!row)
      throw new PermanentJobError(`document ${document.id}: pledge ${pledgeId} does not exist`);
    const { haircut, approval_ltv, margin_call_ltv, liquidation_ltv } = row;
    // A pledge gets documents from its approval on; without a valuation there is nothing to state.
    if (
      haircut === null ||
      approval_ltv === null ||
      margin_call_ltv === null ||
      liquidation_ltv === null
    )
      throw new PermanentJobError(`document ${document.id}: pledge ${row.reference} is not valued`);
    return {
      facts: {
        reference: row.reference,
        currency: row.currency.trim(),
        pledgor: { name: row.supplier_name, registrationId: row.supplier_registration_id },
        pledgee: { name: row.financier_name, registrationId: row.financier_registration_id },
        warehouse: {
          name: row.warehouse_name,
          registrationId: row.warehouse_registration_id,
          address: row.warehouse_address,
        },
        receiptNumbers: row.receipt_numbers,
        haircut,
        approvalLtv: approval_ltv,
        marginCallLtv: margin_call_ltv,
        liquidationLtv: liquidation_ltv,
      },
      collateralValue: row.collateral_value,
      lendingValue: row.lending_value,
      warehouseVerifiedAt: row.warehouse_verified_at,
      requestedAt: row.created_at,
      approvedAt: row.approved_at,
    };
  }
}
