import { ApiProperty } from '@nestjs/swagger';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import type { Invoice } from './invoice.entity';

export class InvoiceHistoryEntry {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ example: 'invoice.confirmed' }) action: string;
  @ApiProperty({
    format: 'uuid',
    description: 'The organisation whose audit chain holds the event',
  })
  organizationId: string;
  @ApiProperty({ enum: ['USER', 'API_KEY', 'SYSTEM'] }) actorType: string;
  @ApiProperty({
    format: 'uuid',
    description: 'The audit event (GET /audit/events shows it to its organisation)',
  })
  eventId: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
}

/**
 * An invoice's history, read from the audit trail of both parties: its own events, the batch
 * events that name it (verification), and the upload that brought it.
 */
@Injectable()
export class InvoiceHistory {
  constructor(private readonly tx: TransactionHost) {}

  async of(invoice: Invoice): Promise<InvoiceHistoryEntry[]> {
    const rows = (await this.tx.manager.query(
      `SELECT id, organization_id, actor_type, action, data, occurred_at FROM audit_events
        WHERE (entity_type = 'invoice' AND entity_id = $1)
           OR (data -> 'invoiceIds') @> to_jsonb(ARRAY[$1::text])
           OR ($2::text IS NOT NULL AND entity_type = 'invoice_upload' AND entity_id = $2::text)
        ORDER BY occurred_at, seq`,
      [invoice.id, invoice.batchId],
    )) as Array<{
      id: string;
      organization_id: string;
      actor_type: string;
      action: string;
      data: Record<string, unknown>;
      occurred_at: Date;
    }>;
    return rows.map((row) => ({
      at: row.occurred_at.toISOString(),
      action: row.action,
      organizationId: row.organization_id,
      actorType: row.actor_type,
      eventId: row.id,
      // An upload may carry invoices to other anchors: of it, only the file's fingerprint is shown.
      data:
        row.action === 'invoice.bulk_submitted'
          ? { sha256: row.data.sha256 }
          : narrowToInvoice(row.data, invoice.id),
    }));
  }
}

/** A batch event names many invoices; show only this one's part of it. */
function narrowToInvoice(
  data: Record<string, unknown>,
  invoiceId: string,
): Record<string, unknown> {
  if (!Array.isArray(data.results))
    return data.invoiceIds ? { ...data, invoiceIds: undefined } : data;
  const result = (data.results as Array<{ id: string }>).find((entry) => entry.id === invoiceId);
  return result ? { ...result } : {};
}
