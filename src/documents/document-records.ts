import { Injectable } from '@nestjs/common';
import { JobName } from '../common/jobs/job-registry';
import { Outbox } from '../common/outbox/outbox';
import { TransactionHost } from '../database/transaction-host';
import type { DocumentKind } from './document.entity';

/**
 * Records the documents an event calls for, QUEUED, in the event's transaction, with the
 * `render-document` job in the same transaction (outbox). A document of one kind is recorded
 * once per subject; recording it again changes nothing and queues nothing.
 */
@Injectable()
export class DocumentRecords {
  constructor(
    private readonly tx: TransactionHost,
    private readonly outbox: Outbox,
  ) {}

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
       RETURNING id, (xmax = 0) AS inserted`,
      [document.kind, document.subjectType, document.subjectId, document.partyIds, document.number],
    )) as Array<{ id: string; inserted: boolean }>;
    if (row.inserted) await this.outbox.enqueue(JobName.RENDER_DOCUMENT, { documentId: row.id });
    return row.id;
  }
}
