import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransactionHost } from '../../database/transaction-host';
import { ChainVerifier, type ChainBreak } from './audit-chain';
import { AuditEventsRepository } from './audit-events.repository';

export interface AuditVerificationResult {
  valid: boolean;
  checked: number;
  chains: number;
  firstBrokenId: string | null;
  broken: ChainBreak | null;
}

/** Recomputes every chain (or one organisation's) from the stored events and their heads. */
@Injectable()
export class AuditVerification {
  constructor(
    private readonly events: AuditEventsRepository,
    private readonly dataSource: DataSource,
    private readonly tx: TransactionHost,
  ) {}

  /**
   * Heads and events are read in one REPEATABLE READ snapshot: appends that commit while the
   * walk runs are not seen at all, instead of showing up as a head/event mismatch.
   */
  async verify(organizationId?: string): Promise<AuditVerificationResult> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      return this.tx.bind(manager, () => this.walk(organizationId));
    });
  }

  private async walk(organizationId?: string): Promise<AuditVerificationResult> {
    const heads = await this.events.chainHeads(organizationId);
    const walked: ChainVerifier[] = [];
    let current: ChainVerifier | undefined;
    let broken: ChainBreak | null = null;
    for await (const event of this.events.walk(organizationId)) {
      if (current?.organizationId !== event.organizationId) {
        broken = current?.finish(heads.get(current.organizationId) ?? null) ?? null;
        if (broken) break;
        current = new ChainVerifier(event.organizationId);
        walked.push(current);
      }
      current.next(event);
    }
    if (!broken && current) broken = current.finish(heads.get(current.organizationId) ?? null);
    // A head whose chain has no events at all: every event of it was deleted.
    if (!broken) {
      const seen = new Set(walked.map((verifier) => verifier.organizationId));
      const orphan = [...heads].find(([orgId]) => !seen.has(orgId));
      if (orphan) {
        broken = {
          eventId: null,
          organizationId: orphan[0],
          seq: orphan[1].lastSeq,
          reason: 'chain head exists but its events are missing',
        };
      }
    }
    const checked = walked.reduce((sum, verifier) => sum + verifier.checked, 0);
    return {
      valid: broken === null,
      checked,
      chains: walked.length,
      firstBrokenId: broken?.eventId ?? null,
      broken,
    };
  }
}
