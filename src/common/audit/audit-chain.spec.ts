import { createHash } from 'node:crypto';
import {
  auditLinkHash,
  auditLinkPrefix,
  auditLinkSuffix,
  ChainVerifier,
  GENESIS_HASH,
  toAuditData,
  type AuditLink,
} from './audit-chain';

const ORG = '2f1c5a8e-3b7d-4d6a-9c1e-5f0a7b8c9d10';

function chain(count: number): Array<AuditLink & { id: string; hash: string }> {
  const events: Array<AuditLink & { id: string; hash: string }> = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= count; i++) {
    const link: AuditLink = {
      organizationId: ORG,
      seq: String(i),
      prevHash,
      actorType: 'USER',
      actorId: '9a0e1a52-5bd4-4d8e-8b0c-0c4f1e2d3a4b',
      action: 'organization.created',
      entityType: 'organization',
      entityId: `entity-${i}`,
      data: { name: `供应商 ${i}`, amount: '1250000.00' },
      occurredAt: new Date(Date.UTC(2026, 10, 29, 12, 0, i)).toISOString(),
    };
    const hash = auditLinkHash(link);
    events.push({ ...link, id: `event-${i}`, hash });
    prevHash = hash;
  }
  return events;
}

describe('audit chain hashing', () => {
  it('is a SHA-256 hex digest that does not depend on key order', () => {
    const [event] = chain(1);
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as unknown as AuditLink;
    expect(auditLinkHash(event)).toMatch(/^[0-9a-f]{64}$/);
    expect(auditLinkHash(reordered)).toBe(auditLinkHash(event));
    const dataReordered = { ...event, data: { amount: '1250000.00', name: '供应商 1' } };
    expect(auditLinkHash(dataReordered)).toBe(auditLinkHash(event));
  });

  it('matches the RFC 8785 canonical form byte for byte', () => {
    // canonical JSON of this link, written out by hand: sorted keys, no spaces, UTF-8
    const link: AuditLink = {
      organizationId: 'o',
      seq: '1',
      prevHash: GENESIS_HASH,
      actorType: 'SYSTEM',
      actorId: null,
      action: 'a',
      entityType: 'e',
      entityId: 'i',
      data: { b: 1, a: [true, null, '中'] },
      occurredAt: '2026-11-29T00:00:00.000Z',
    };
    const text = `{"action":"a","actorId":null,"actorType":"SYSTEM","data":{"a":[true,null,"中"],"b":1},"entityId":"i","entityType":"e","occurredAt":"2026-11-29T00:00:00.000Z","organizationId":"o","prevHash":"${GENESIS_HASH}","seq":"1"}`;
    const expected = createHash('sha256').update(text, 'utf8').digest('hex');
    expect(auditLinkHash(link)).toBe(expected);
  });

  it('splits into a prefix the API writes and a suffix the database completes, to the same text', () => {
    const [, event] = chain(2);
    const text = auditLinkPrefix(event) + auditLinkSuffix(event.prevHash, event.seq);
    expect(text).toBe(
      JSON.stringify(JSON.parse(text)), // already canonical: no spaces to strip
    );
    expect(JSON.parse(text)).toEqual({
      organizationId: event.organizationId,
      seq: event.seq,
      prevHash: event.prevHash,
      actorType: event.actorType,
      actorId: event.actorId,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      data: event.data,
      occurredAt: event.occurredAt,
    });
    expect(createHash('sha256').update(text, 'utf8').digest('hex')).toBe(auditLinkHash(event));
    // Data holding the suffix's own text changes nothing: it sits escaped inside "data".
    const tricky = { ...event, data: { note: auditLinkSuffix(GENESIS_HASH, '1') } };
    expect(auditLinkPrefix(tricky).endsWith(`"organizationId":"${ORG}",`)).toBe(true);
  });

  it('changes when any covered field changes', () => {
    const [event] = chain(1);
    const base = auditLinkHash(event);
    for (const change of [
      { seq: '2' },
      { prevHash: 'f'.repeat(64) },
      { actorId: null },
      { action: 'organization.updated' },
      { entityId: 'other' },
      { data: { name: '供应商 1', amount: '1250000.01' } },
      { occurredAt: '2026-11-29T12:00:02.000Z' },
    ]) {
      expect(auditLinkHash({ ...event, ...change })).not.toBe(base);
    }
  });

  it('keeps only JSON values in data, as jsonb will return them', () => {
    expect(
      toAuditData({ at: new Date('2026-11-29T00:00:00Z'), skip: undefined, n: '1.10' }),
    ).toEqual({
      at: '2026-11-29T00:00:00.000Z',
      n: '1.10',
    });
  });
});

describe('ChainVerifier', () => {
  const verify = (
    events: ReturnType<typeof chain>,
    head: { lastSeq: string; lastHash: string } | null,
  ) => {
    const verifier = new ChainVerifier(ORG);
    for (const event of events) if (!verifier.next(event)) break;
    return { result: verifier.finish(head), checked: verifier.checked };
  };

  it('accepts an intact chain and counts its events', () => {
    const events = chain(5);
    expect(verify(events, { lastSeq: '5', lastHash: events[4].hash })).toEqual({
      result: null,
      checked: 5,
    });
  });

  it('names an edited event', () => {
    const events = chain(5);
    events[2] = { ...events[2], data: { name: 'forged', amount: '9' } };
    expect(verify(events, { lastSeq: '5', lastHash: events[4].hash }).result).toMatchObject({
      eventId: 'event-3',
      reason: 'hash does not match the event content',
    });
  });

  it('names the event after a deleted one', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verify(events, { lastSeq: '5', lastHash: events[3].hash }).result).toMatchObject({
      eventId: 'event-3',
      reason: 'sequence jumps from 1 to 3',
    });
  });

  it('names an event re-hashed after an edit (its successor no longer links)', () => {
    const events = chain(4);
    const forged = { ...events[1], data: { name: 'forged', amount: '9' } };
    events[1] = { ...forged, hash: auditLinkHash(forged) };
    expect(verify(events, { lastSeq: '4', lastHash: events[3].hash }).result).toMatchObject({
      eventId: 'event-3',
      reason: 'prevHash does not match the previous event',
    });
  });

  it('detects a deleted tail through the chain head', () => {
    const events = chain(5);
    const head = { lastSeq: '5', lastHash: events[4].hash };
    expect(verify(events.slice(0, 4), head).result).toMatchObject({ eventId: null, seq: '5' });
  });
});
