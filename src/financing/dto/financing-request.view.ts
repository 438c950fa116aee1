import { ApiProperty } from '@nestjs/swagger';
import { RequestStatus } from '../financing-status';
import type { Offer } from '../offers/offer.entity';
import type { FinancingRequest } from '../requests/financing-request.entity';
import { OfferView } from './offer.view';

export class OfferReasonView {
  @ApiProperty({ example: 'TENOR_TOO_LONG' }) code: string;
  @ApiProperty() message: string;
  @ApiProperty({ format: 'uuid', required: false }) financierId?: string;
}

export class FinancingRequestView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: RequestStatus, enumName: 'FinancingRequestStatus' }) status: RequestStatus;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ format: 'uuid' }) anchorId: string;
  @ApiProperty() currency: string;
  @ApiProperty({ example: '2026-12-01' }) valueDate: string;
  @ApiProperty({ type: [String], format: 'uuid' }) invoiceIds: string[];
  @ApiProperty({
    type: [OfferView],
    description: 'Best net proceeds first; a financier sees its own offer only',
  })
  offers: OfferView[];
  @ApiProperty({ type: [OfferReasonView], description: 'Why no financier offered (NO_OFFER)' })
  reasons: OfferReasonView[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static of(request: FinancingRequest, offers: readonly Offer[]): FinancingRequestView {
    return {
      id: request.id,
      status: request.status,
      programId: request.programId,
      supplierId: request.supplierId,
      anchorId: request.anchorId,
      currency: request.currency.trim(),
      valueDate: request.valueDate,
      invoiceIds: request.invoiceIds,
      offers: offers.map((offer) => OfferView.of(offer)),
      reasons: request.reasons,
      createdAt: request.createdAt.toISOString(),
      updatedAt: request.updatedAt.toISOString(),
    };
  }
}
