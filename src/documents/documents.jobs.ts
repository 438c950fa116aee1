import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import { systemActor } from '../common/auth/actor';
import type { OrganizationKind } from '../common/auth/roles';
import { PermanentJobError } from '../common/errors/domain-error';
import { JobName, type JobPayload } from '../common/jobs/job-registry';
import { OnJob, type JobContext } from '../common/jobs/on-job.decorator';
import { JOB_ATTEMPTS } from '../common/jobs/retry-policy';
import { TransactionHost } from '../database/transaction-host';
import { NotificationType, Notifier } from '../notifications/notifier';
import { DocumentReadyHooks } from './document-ready-hooks';
import { DocumentRenderer } from './document-renderer';
import { DOCUMENT_STORAGE, documentContentKey, type DocumentStorage } from './document-storage';
import { DocumentRecord, DocumentStatus } from './document.entity';

/** The `documents` queue's handler. */
@Injectable()
export class DocumentJobs {
  constructor(
    private readonly tx: TransactionHost,
    private readonly renderer: DocumentRenderer,
    private readonly audit: AuditTrail,
    private readonly readyHooks: DocumentReadyHooks,
    private readonly notifier: Notifier,
    @Inject(DOCUMENT_STORAGE) private readonly storage: DocumentStorage,
  ) {}

  /**
   * Renders a QUEUED document, stores the PDF and marks it READY with its SHA-256 and page count
   * (audited in each party's chain, and announced to each party). Anything but QUEUED is left alone, so a repeated job does
   * nothing. The last failed attempt, or a failure no retry can fix, marks it FAILED with the
   * reason.
   */
  @OnJob(JobName.RENDER_DOCUMENT)
  async render(
    payload: JobPayload<JobName.RENDER_DOCUMENT>,
    context: JobContext,
  ): Promise<{ status: DocumentStatus | 'MISSING'; sha256?: string }> {
    const document = await this.tx.manager.findOne(DocumentRecord, {
      where: { id: payload.documentId },
    });
    if (!document) return { status: 'MISSING' };
    if (document.status !== DocumentStatus.QUEUED) return { status: document.status };
    try {
      const pdf = await this.renderer.render(document);
      const sha256 = createHash('sha256').update(pdf.bytes).digest('hex');
      // Stored first: a READY document always has its bytes (a crash here re-renders the same).
      await this.storage.put(documentContentKey(document.id), pdf.bytes);
      await this.markReady(document, sha256, pdf.pages);
      return { status: DocumentStatus.READY, sha256 };
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      if (permanent || context.attempt >= JOB_ATTEMPTS)
        await this.markFailed(document.id, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  private async markReady(document: DocumentRecord, sha256: string, pages: number): Promise<void> {
    await this.tx.run(async () => {
      const updated = (await this.tx.manager.query(
        `UPDATE documents SET status = 'READY', sha256 = $2, pages = $3, failure_reason = NULL,
                updated_at = now()
          WHERE id = $1 AND status = 'QUEUED'
          RETURNING id`,
        [document.id, sha256, pages],
      )) as [unknown[], number];
      if (updated[1] === 0) return; // another delivery of the job got there first
      await this.readyHooks.run(document);
      const parties = (await this.tx.manager.query(
        `SELECT id, kind FROM organizations WHERE id = ANY($1::uuid[]) ORDER BY id`,
        [document.partyIds],
      )) as Array<{ id: string; kind: OrganizationKind }>;
      for (const party of parties) {
        const eventId = await this.audit.record({
          actor: systemActor(party.id, party.kind),
          action: 'document.ready',
          entityType: 'document',
          entityId: document.id,
          data: {
            kind: document.kind,
            number: document.number,
            subjectType: document.subjectType,
            subjectId: document.subjectId,
            sha256,
            pages,
          },
        });
        // Keyed by the party's own audit event, so each party hears of it once (and through
        // its webhooks as `document.ready`).
        await this.notifier.notify({
          organizationId: party.id,
          eventId,
          type: NotificationType.DOCUMENT_READY,
          title: `Document ${document.number} (${document.kind}) is ready`,
          data: {
            documentId: document.id,
            kind: document.kind,
            number: document.number,
            subjectType: document.subjectType,
            subjectId: document.subjectId,
            sha256,
          },
        });
      }
    });
  }

  private async markFailed(id: string, reason: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE documents SET status = 'FAILED', failure_reason = $2, updated_at = now()
        WHERE id = $1 AND status = 'QUEUED'`,
      [id, reason.slice(0, 2000)],
    );
  }
}
