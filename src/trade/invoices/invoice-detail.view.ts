import { ApiProperty } from '@nestjs/swagger';
import { InvoiceHistoryEntry } from './invoice-history';
import { InvoiceView } from './invoice.view';

/** GET /invoices/:id: the invoice with its history from both parties' audit trails. */
export class InvoiceDetailView extends InvoiceView {
  @ApiProperty({ type: [InvoiceHistoryEntry] })
  history: InvoiceHistoryEntry[];
}

export class EligibilityReasonView {
  @ApiProperty({ example: 'NOT_CONFIRMED' }) code: string;
  @ApiProperty() message: string;
}

export class EligibilityView {
  @ApiProperty() eligible: boolean;
  @ApiProperty({ type: [EligibilityReasonView] }) reasons: EligibilityReasonView[];
}
