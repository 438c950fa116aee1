import { ApiProperty } from '@nestjs/swagger';
import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { PageOf } from '../../common/pagination/page';
import type { PledgeItem } from '../pledge-item.entity';
import { PledgeStatus } from '../pledge-status';
import type { Pledge } from '../pledge.entity';

const rate = (stored: string | null): string | null =>
  stored === null ? null : new Decimal(stored).toFixed();

export class PledgeWarehouseView {
  @ApiProperty() name: string;
  @ApiProperty() registrationId: string;
  @ApiProperty() address: string;
}

export class PledgeItemView {
  @ApiProperty() sku: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: '120.5', description: 'Still pledged (releases lower it)' })
  quantity: string;
  @ApiProperty() unit: string;
  @ApiProperty({ example: '4150.00' }) declaredUnitValue: string;
  @ApiProperty({ type: String, nullable: true, example: '3980.00' })
  marketUnitPrice: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) markedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'quantity × market price' })
  marketValue: string | null;
}

export class PledgeReceiptView {
  @ApiProperty() registrationId: string;
  @ApiProperty() receiptNumber: string;
  @ApiProperty({ description: 'False once the pledge is released' }) live: boolean;
}

/** A pledge as its supplier and its financier see it (API.md "Pledge"). */
export class PledgeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'PLG-2026-000007' }) reference: string;
  @ApiProperty({ enum: PledgeStatus, enumName: 'PledgeStatus' }) status: PledgeStatus;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ format: 'uuid' }) financierId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) programId: string | null;
  @ApiProperty() currency: string;
  @ApiProperty() receiptNumber: string;
  @ApiProperty({ type: PledgeWarehouseView }) warehouse: PledgeWarehouseView;
  @ApiProperty({ type: [PledgeReceiptView] }) receipts: PledgeReceiptView[];
  @ApiProperty({ type: [PledgeItemView] }) items: PledgeItemView[];
  @ApiProperty({
    example: '1194000.00',
    description: 'Σ quantity × market price, at the last revaluation',
  })
  collateralValue: string;
  @ApiProperty({ example: '835800.00', description: 'collateral value × (1 − haircut)' })
  lendingValue: string;
  @ApiProperty({ example: '500000.00', description: 'Owed on drawdowns (reserved or paid out)' })
  outstandingAmount: string;
  @ApiProperty({
    example: '600000.00',
    description: 'What can still be drawn: lending − outstanding',
  })
  availableAmount: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '0.41876047',
    description: 'outstanding ÷ collateral at the last revaluation; null: debt and no collateral',
  })
  ltv: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.3' }) haircut: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.8' }) marginCallLtv: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.9' }) liquidationLtv: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '0.7',
    description: 'The LTV releases must respect: 1 − haircut',
  })
  approvalLtv: string | null;
  @ApiProperty({ type: String, nullable: true }) annualRate: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['ACT/360', 'ACT/365'] })
  dayCount: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) documentIds: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  warehouseVerifiedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) valuedBy: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) approvedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) activatedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revaluedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) marginCalledAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) releasedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static of(
    pledge: Pledge,
    items: readonly PledgeItem[],
    extras: {
      outstanding: string;
      receipts: PledgeReceiptView[];
      documentIds: string[];
    },
  ): PledgeView {
    const currency = pledge.currency.trim();
    const money = (value: string) => formatMoney(value, currency);
    const iso = (value: Date | null) => (value ? value.toISOString() : null);
    const available = new Decimal(pledge.lendingValue).minus(extras.outstanding);
    return {
      id: pledge.id,
      reference: pledge.reference,
      status: pledge.status,
      supplierId: pledge.supplierId,
      financierId: pledge.financierId,
      programId: pledge.programId,
      currency,
      receiptNumber: pledge.receiptNumber,
      warehouse: {
        name: pledge.warehouseName,
        registrationId: pledge.warehouseRegistrationId,
        address: pledge.warehouseAddress,
      },
      receipts: extras.receipts,
      items: items.map((item) => ({
        sku: item.sku,
        description: item.description,
        quantity: new Decimal(item.quantity).toFixed(),
        unit: item.unit,
        declaredUnitValue: money(item.declaredUnitValue),
        marketUnitPrice: rate(item.marketUnitPrice),
        markedAt: iso(item.markedAt),
        marketValue:
          item.marketUnitPrice === null
            ? null
            : money(new Decimal(item.quantity).times(item.marketUnitPrice).toFixed()),
      })),
      collateralValue: money(pledge.collateralValue),
      lendingValue: money(pledge.lendingValue),
      outstandingAmount: money(extras.outstanding),
      availableAmount: money(available.lt('0') ? '0' : available.toFixed()),
      ltv: rate(pledge.ltv),
      haircut: rate(pledge.haircut),
      marginCallLtv: rate(pledge.marginCallLtv),
      liquidationLtv: rate(pledge.liquidationLtv),
      approvalLtv: rate(pledge.approvalLtv),
      annualRate: rate(pledge.annualRate),
      dayCount: pledge.dayCount,
      documentIds: extras.documentIds,
      warehouseVerifiedAt: iso(pledge.warehouseVerifiedAt),
      valuedBy: pledge.valuedBy,
      approvedBy: pledge.approvedBy,
      approvedAt: iso(pledge.approvedAt),
      activatedAt: iso(pledge.activatedAt),
      revaluedAt: iso(pledge.revaluedAt),
      marginCalledAt: iso(pledge.marginCalledAt),
      releasedAt: iso(pledge.releasedAt),
      createdAt: pledge.createdAt.toISOString(),
      updatedAt: pledge.updatedAt.toISOString(),
    };
  }
}

export class PledgePage extends PageOf(PledgeView) {}
