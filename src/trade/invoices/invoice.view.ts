import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { PageOf } from '../../common/pagination/page';
import { financeableAmount } from './financeable-amount';
import { InvoiceStatus, VerificationStatus } from './invoice-status';
import type { Invoice } from './invoice.entity';

export class ReasonView {
  @ApiProperty({ example: 'EXCEEDS_RECEIVED' }) code: string;
  @ApiProperty() message: string;
}

export class VerificationView {
  @ApiProperty({ enum: VerificationStatus, enumName: 'VerificationStatus' })
  status: VerificationStatus;
  @ApiProperty({ type: [ReasonView] }) reasons: ReasonView[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) checkedAt: string | null;
}

export class ConfirmationView {
  @ApiProperty({ example: '51900.00' }) confirmedAmount: string;
  @ApiProperty({ example: '2027-01-06' }) paymentDate: string;
  @ApiProperty({ format: 'date-time' }) confirmedAt: string;
}

export class CreditNoteView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: string;
  @ApiProperty({ example: '1200.00' }) amount: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['AGREED', 'DISPUTED'] }) status: 'AGREED' | 'DISPUTED';
  @ApiProperty({ format: 'uuid', description: 'The organisation that raised it' }) raisedBy: string;
  @ApiProperty({ description: 'Raised after financing started: dilution the supplier owes' })
  afterFinancing: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class InvoiceLineView {
  @ApiProperty() lineNo: number;
  @ApiProperty({ type: String, nullable: true }) sku: string | null;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty() quantity: string;
  @ApiProperty({ type: String, nullable: true }) unitPrice: string | null;
  @ApiProperty() amount: string;
}

export class InvoiceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ format: 'uuid' }) anchorId: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty({ type: String, nullable: true }) purchaseOrderNumber: string | null;
  @ApiProperty() issueDate: string;
  @ApiProperty() dueDate: string;
  @ApiProperty() currency: string;
  @ApiProperty({ example: '51900.00' }) totalAmount: string;
  @ApiProperty({ example: '5970.80' }) taxAmount: string;
  @ApiProperty({ enum: InvoiceStatus, enumName: 'InvoiceStatus' }) status: InvoiceStatus;
  @ApiProperty({ type: VerificationView }) verification: VerificationView;
  @ApiProperty({ type: ConfirmationView, nullable: true }) confirmation: ConfirmationView | null;
  @ApiProperty({ type: [CreditNoteView] }) creditNotes: CreditNoteView[];
  @ApiProperty({
    example: '51900.00',
    description: 'What can be financed now: confirmed, less agreed credit notes; 0 when blocked',
  })
  financeableAmount: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Open query (Invoice Response UQ): blocks financing',
  })
  queryReason: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) rejectionReason: string | null;
  @ApiPropertyOptional({ type: [InvoiceLineView] }) lines?: InvoiceLineView[];
  @ApiProperty({ enum: ['API', 'BULK', 'UBL'] }) source: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(invoice: Invoice): InvoiceView {
    const money = (value: string): string => formatMoney(value, invoice.currency);
    return {
      id: invoice.id,
      number: invoice.number,
      supplierId: invoice.supplierId,
      anchorId: invoice.anchorId,
      programId: invoice.programId,
      purchaseOrderNumber: invoice.purchaseOrderNumber,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      currency: invoice.currency,
      totalAmount: money(invoice.totalAmount),
      taxAmount: money(invoice.taxAmount),
      status: invoice.status,
      verification: {
        status: invoice.verificationStatus,
        reasons: invoice.verificationReasons.map((reason) => ({
          code: reason.code,
          message: reason.message,
        })),
        checkedAt: invoice.verifiedAt?.toISOString() ?? null,
      },
      confirmation:
        invoice.confirmedAmount !== null &&
        invoice.paymentDate !== null &&
        invoice.confirmedAt !== null
          ? {
              confirmedAmount: money(invoice.confirmedAmount),
              paymentDate: invoice.paymentDate,
              confirmedAt: invoice.confirmedAt.toISOString(),
            }
          : null,
      creditNotes: [...(invoice.creditNotes ?? [])]
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((note) => ({
          id: note.id,
          number: note.number,
          amount: money(note.amount),
          reason: note.reason,
          status: note.status,
          raisedBy: note.raisedBy,
          afterFinancing: note.afterFinancing,
          createdAt: note.createdAt.toISOString(),
        })),
      financeableAmount: money(financeableAmount(invoice)),
      queryReason: invoice.queryReason,
      rejectionReason: invoice.rejectionReason,
      ...(invoice.lines
        ? {
            lines: [...invoice.lines]
              .sort((a, b) => a.lineNo - b.lineNo)
              .map((line) => ({
                lineNo: line.lineNo,
                sku: line.sku,
                description: line.description,
                quantity: new Decimal(line.quantity).toString(),
                unitPrice: line.unitPrice === null ? null : new Decimal(line.unitPrice).toString(),
                amount: money(line.amount),
              })),
          }
        : {}),
      source: invoice.source,
      createdAt: invoice.createdAt.toISOString(),
    };
  }
}

export class InvoicePage extends PageOf(InvoiceView) {}
