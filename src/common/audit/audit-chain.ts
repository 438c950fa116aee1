import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The `prevHash` of each organisation's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hashed content of one audit event. Every field is covered; `seq` is a decimal string. */
export interface AuditLink {
  organizationId: string;
  seq: string;
  prevHash: string;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

/** SHA-256 over the RFC 8785 canonical JSON of the link: key order and spacing cannot change it. */
export function auditLinkHash(link: AuditLink): string {
  return createHash('sha256')
    .update(auditLinkPrefix(link) + auditLinkSuffix(link.prevHash, link.seq), 'utf8')
    .digest('hex');
}

/**
 * The canonical JSON of a link up to its last two keys. RFC 8785 sorts keys, so `prevHash` and
 * `seq` always come last, and neither ever needs escaping (hex and digits): the database, which
 * alone knows them when it appends, completes the text with `auditLinkSuffix` and hashes it in
 * the same statement.
 */
export function auditLinkPrefix(link: Omit<AuditLink, 'prevHash' | 'seq'>): string {
  const canonical = canonicalize({
    organizationId: link.organizationId,
    seq: '',
    prevHash: '',
    actorType: link.actorType,
    actorId: link.actorId,
    action: link.action,
    entityType: link.entityType,
    entityId: link.entityId,
    data: link.data,
    occurredAt: link.occurredAt,
  });
  const tail = auditLinkSuffix('', '');
  if (canonical === undefined || !canonical.endsWith(tail))
    throw new Error('audit link cannot be canonicalised');
  return canonical.slice(0, -tail.length);
}

/** The end of a link's canonical JSON; the SQL in AuditTrail builds the same text. */
export function auditLinkSuffix(prevHash: string, seq: string): string {
  return `"prevHash":"${prevHash}","seq":"${seq}"}`;
}

/** Audit data as it will read back from jsonb: plain JSON values only (dates as ISO strings). */
export function toAuditData(data: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}

export type ChainBreak = {
  eventId: string | null;
  organizationId: string;
  seq: string;
  reason: string;
};

/**
 * Walks one organisation's events in `seq` order and names the first link that does not hold:
 * a gap in the sequence (a deleted row), a prevHash that is not the previous hash (a reordered or
 * inserted row), a hash that does not match the content (an edited row), or a head that points
 * past the last event (a deleted tail).
 */
export class ChainVerifier {
  private expectedSeq = 1n;
  private previousHash = GENESIS_HASH;
  private broken: ChainBreak | null = null;
  checked = 0;

  constructor(readonly organizationId: string) {}

  get firstBreak(): ChainBreak | null {
    return this.broken;
  }

  /** Returns false once the chain is broken (later events are not checked). */
  next(event: AuditLink & { id: string; hash: string }): boolean {
    if (this.broken) return false;
    this.checked++;
    const fail = (reason: string): false => {
      this.broken = {
        eventId: event.id,
        organizationId: this.organizationId,
        seq: event.seq,
        reason,
      };
      return false;
    };
    if (BigInt(event.seq) !== this.expectedSeq)
      return fail(`sequence jumps from ${this.expectedSeq - 1n} to ${event.seq}`);
    if (event.prevHash !== this.previousHash)
      return fail('prevHash does not match the previous event');
    if (auditLinkHash(event) !== event.hash) return fail('hash does not match the event content');
    this.expectedSeq++;
    this.previousHash = event.hash;
    return true;
  }

  /** Compares the end of the walk with the recorded chain head. */
  finish(head: { lastSeq: string; lastHash: string } | null): ChainBreak | null {
    if (this.broken) return this.broken;
    const lastSeq = (this.expectedSeq - 1n).toString();
    if (head && (head.lastSeq !== lastSeq || head.lastHash !== this.previousHash)) {
      this.broken = {
        eventId: null,
        organizationId: this.organizationId,
        seq: head.lastSeq,
        reason: `chain head is at seq ${head.lastSeq} but the last event found is seq ${lastSeq}`,
      };
    }
    return this.broken;
  }
}
