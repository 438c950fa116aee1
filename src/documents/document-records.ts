import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host';
import type { DocumentKind } from './document.entity';

/**
 * Records the documents an event calls for, QUEUED, in the event's transaction. Rendering them
 * (pdfkit on the `documents` queue) is the documents issue's work; a document of one kind is
 * recorded once per subject.
 */
@Injectable()
export class DocumentRecords {
  constructor(private readonly tx: TransactionHost) {}

  async queue(document: {
    kind: DocumentKind;
    subjectType: string;
    subjectId: string;
    partyIds: readonly string[];
    number: string;
  }): Promise<string> {
    const [row] = (await this.tx.manager.query(
      `INSERT INTO documents (kind, status, subject_type, subject_id, party_ids, number)
       VALUES ($1, 'QUEUED', $2, $3, $4::uuid[], $5)
       ON CONFLICT (kind, subject_id) DO UPDATE SET updated_at = documents.updated_at
       RETURNING id`,
      [document.kind, document.subjectType, document.subjectId, document.partyIds, document.number],
    )) as Array<{ id: string }>;
    return row.id;
  }
}
