import { ApiProperty } from '@nestjs/swagger';
import { formatMoney } from '../../common/money/money';
import { formatRate } from '../../programs/program-terms';
import { GRADES, type Grade } from '../../risk/score/grade';
import { OfferStatus } from '../financing-status';
import type { Offer } from '../offers/offer.entity';

export class OfferLineView {
  @ApiProperty({ format: 'uuid' }) invoiceId: string;
  @ApiProperty({ example: '100000.00' }) confirmedAmount: string;
  @ApiProperty({ example: '90000.00' }) advanceAmount: string;
  @ApiProperty({ example: 92 }) days: number;
  @ApiProperty({ example: '1138.50' }) discountAmount: string;
}

export class OfferGuaranteeView {
  @ApiProperty({ format: 'uuid' }) guaranteeId: string;
  @ApiProperty({ format: 'uuid' }) guarantorId: string;
  @ApiProperty({ example: '江苏省中小企业融资担保基金' }) guarantorName: string;
  @ApiProperty({ example: '0.6', description: 'Share of a loss the guarantor bears' })
  coverageRatio: string;
  @ApiProperty({ example: '54000.00', description: 'The part of the advance it covers' })
  coveredAmount: string;
  @ApiProperty({
    type: 'integer',
    example: 36,
    description: 'Basis points taken off the risk spread for the covered share',
  })
  spreadReliefBps: number;
}

export class OfferView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ format: 'uuid' }) financierId: string;
  @ApiProperty({ enum: OfferStatus, enumName: 'OfferStatus' }) status: OfferStatus;
  @ApiProperty() currency: string;
  @ApiProperty({
    example: '0.0495',
    description: 'Base rate + financier margin + risk spread − the guarantee’s spread relief',
  })
  annualRate: string;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: GRADES,
    description: "The supplier's credit grade the offer was priced at (docs/risk.md)",
  })
  riskGrade: Grade | null;
  @ApiProperty({
    type: 'integer',
    example: 60,
    description:
      "The program's spread for that grade; annualRate includes it less guarantee.spreadReliefBps",
  })
  riskSpreadBps: number;
  @ApiProperty({
    type: OfferGuaranteeView,
    nullable: true,
    description: 'The guarantee covering part of the advance when the offer was priced',
  })
  guarantee: OfferGuaranteeView | null;
  @ApiProperty({
    example: '0.05035',
    description: 'All-in annual cost: discount and fee over the advance, annualised',
  })
  effectiveAnnualRate: string;
  @ApiProperty({ example: '100000.00' }) confirmedAmount: string;
  @ApiProperty({ example: '90000.00' }) advanceAmount: string;
  @ApiProperty({ example: '1138.50' }) discountAmount: string;
  @ApiProperty({ example: '90.00' }) feeAmount: string;
  @ApiProperty({ example: '88771.50' }) netProceeds: string;
  @ApiProperty({ example: '2027-03-01' }) maturityDate: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: [OfferLineView] }) lines: OfferLineView[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(offer: Offer): OfferView {
    const money = (value: string) => formatMoney(value, offer.currency);
    return {
      id: offer.id,
      requestId: offer.requestId,
      financierId: offer.financierId,
      status: offer.status,
      currency: offer.currency,
      annualRate: formatRate(offer.annualRate),
      riskGrade: offer.riskGrade,
      riskSpreadBps: offer.riskSpreadBps,
      guarantee: offer.guarantee && {
        ...offer.guarantee,
        coveredAmount: money(offer.guarantee.coveredAmount),
      },
      effectiveAnnualRate: formatRate(offer.effectiveAnnualRate),
      confirmedAmount: money(offer.confirmedAmount),
      advanceAmount: money(offer.advanceAmount),
      discountAmount: money(offer.discountAmount),
      feeAmount: money(offer.feeAmount),
      netProceeds: money(offer.netProceeds),
      maturityDate: offer.maturityDate,
      expiresAt: offer.expiresAt.toISOString(),
      lines: offer.lines,
      createdAt: offer.createdAt.toISOString(),
    };
  }
}
