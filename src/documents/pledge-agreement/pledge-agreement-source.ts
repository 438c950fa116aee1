import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import type { DocumentRecord } from '../document.entity';
import { PledgeFactsSource } from '../pledge-facts/pledge-facts-source';
import type { PledgeAgreementData } from './pledge-agreement-layout';

/**
 * Loads what a pledge agreement says from its pledge (the worker reads as the platform). The
 * goods carry the valuation's prices (its marks, as of the warehouse's verification), not marks
 * recorded since: the agreement states what was approved, whose sum is the collateral value.
 * Goods the valuation left unmarked show their latest mark, if any.
 */
@Injectable()
export class PledgeAgreementSource {
  constructor(
    private readonly tx: TransactionHost,
    private readonly pledges: PledgeFactsSource,
  ) {}

  async load(document: DocumentRecord): Promise<PledgeAgreementData> {
    const pledge = await this.pledges.load(document, document.subjectId);
    const items = (await this.tx.manager.query(
      `SELECT i.sku, i.description, i.quantity::text AS quantity, i.unit,
              COALESCE(v.market_unit_price, i.market_unit_price)::text AS market_unit_price
         FROM pledge_items i
         JOIN pledges p ON p.id = i.pledge_id
         LEFT JOIN LATERAL (
           SELECT m.market_unit_price FROM pledge_marks m
            WHERE m.pledge_id = i.pledge_id AND m.sku = i.sku AND m.source = 'VALUATION'
              AND m.as_of = p.warehouse_verified_at
            ORDER BY m.created_at DESC, m.id
            LIMIT 1
         ) v ON true
        WHERE i.pledge_id = $1
        ORDER BY i.position, i.sku`,
      [document.subjectId],
    )) as Array<{
      sku: string;
      description: string;
      quantity: string;
      unit: string;
      market_unit_price: string | null;
    }>;
    return {
      ...pledge.facts,
      documentNumber: document.number,
      issuedAt: document.createdAt,
      requestedAt: pledge.requestedAt,
      approvedAt: pledge.approvedAt,
      warehouseVerifiedAt: pledge.warehouseVerifiedAt,
      collateralValue: pledge.collateralValue,
      lendingValue: pledge.lendingValue,
      items: items.map((item) => ({
        sku: item.sku,
        description: item.description,
        quantity: item.quantity,
        unit: item.unit,
        marketUnitPrice: item.market_unit_price,
      })),
    };
  }
}
