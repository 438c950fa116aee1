import { isIP } from 'node:net';

/**
 * What kind of network an IP address belongs to, for the webhook SSRF rule: a webhook may only
 * reach the public internet (and loopback when the operator allows it). Pure, for both IPv4
 * and IPv6; IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged
 * by the IPv4 address they lead to.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  /** 0.0.0.0/8, :: — "this host": connecting to it reaches the machine itself. */
  | 'unspecified'
  /** RFC 1918 10/8, 172.16/12, 192.168/16; IPv6 site-local fec0::/10. */
  | 'private'
  /** RFC 6598 100.64/10, carrier-grade NAT: someone's internal network. */
  | 'shared'
  /** 169.254/16 (cloud metadata lives here), fe80::/10. */
  | 'link-local'
  /** fc00::/7. */
  | 'unique-local'
  | 'multicast'
  /** Documentation, benchmarking, IETF protocol and reserved blocks: nothing public there. */
  | 'reserved'
  | 'invalid';

interface Range {
  bits: number[];
  prefix: number;
  cls: AddressClass;
}

const v4 = (cidr: string, cls: AddressClass): Range => {
  const [address, prefix] = cidr.split('/');
  return { bits: address.split('.').map(Number), prefix: Number(prefix), cls };
};

/** IPv4 special-purpose blocks (IANA registry), most specific first where they overlap. */
const IPV4_RANGES: readonly Range[] = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'reserved'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'reserved'),
  v4('198.51.100.0/24', 'reserved'),
  v4('203.0.113.0/24', 'reserved'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

/** Whether the first `prefix` bits of `bytes` equal those of `network`. */
function inPrefix(bytes: readonly number[], network: readonly number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((bytes[byte] & mask) !== ((network[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyV4(bytes: readonly number[]): AddressClass {
  return IPV4_RANGES.find((range) => inPrefix(bytes, range.bits, range.prefix))?.cls ?? 'public';
}

/** The 16 bytes of an IPv6 address (zone id dropped), or null when it is not one. */
export function ipv6Bytes(address: string): number[] | null {
  const text = address.split('%')[0];
  if (isIP(text) !== 6) return null;
  let head = text;
  let tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail = dotted[1].split('.').map(Number);
    head = text.slice(0, dotted.index + 1) + '0:0';
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const groups = (part: string | undefined) =>
    part ? part.split(':').filter((g) => g !== '') : [];
  const leftGroups = groups(left);
  const rightGroups = groups(right);
  const missing = 8 - leftGroups.length - rightGroups.length;
  const all = [
    ...leftGroups,
    ...Array<string>(right === undefined ? 0 : missing).fill('0'),
    ...rightGroups,
  ];
  const bytes = all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
  if (dotted) bytes.splice(12, 4, ...tail);
  return bytes;
}

const IPV6 = (hex: string): number[] => ipv6Bytes(hex) as number[];
const MAPPED = IPV6('::ffff:0:0');
const NAT64 = IPV6('64:ff9b::');
const SIX_TO_FOUR = IPV6('2002::');

function classifyV6(bytes: readonly number[]): AddressClass {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  if (zero(0, 16)) return 'unspecified';
  if (zero(0, 15) && bytes[15] === 1) return 'loopback';
  // Forms that lead to an IPv4 address: judged by it (::ffff:10.0.0.1 is 10.0.0.1).
  if (inPrefix(bytes, MAPPED, 96) || inPrefix(bytes, NAT64, 96)) return classifyV4(bytes.slice(12));
  if (zero(0, 12)) return classifyV4(bytes.slice(12)); // IPv4-compatible (deprecated) ::a.b.c.d
  if (inPrefix(bytes, SIX_TO_FOUR, 16)) return classifyV4(bytes.slice(2, 6));
  if ((bytes[0] & 0xfe) === 0xfc) return 'unique-local';
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return 'link-local';
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0xc0) return 'private'; // site-local, deprecated
  if (bytes[0] === 0xff) return 'multicast';
  if (inPrefix(bytes, IPV6('2001:db8::'), 32)) return 'reserved'; // documentation
  if (inPrefix(bytes, IPV6('100::'), 64)) return 'reserved'; // discard-only
  return 'public';
}

export function classifyAddress(address: string): AddressClass {
  const text = address.trim();
  const family = isIP(text.split('%')[0]);
  if (family === 4) return classifyV4(text.split('.').map(Number));
  if (family === 6) return classifyV6(ipv6Bytes(text) as number[]);
  return 'invalid';
}

/**
 * Why a webhook may not connect to `address`, or null when it may: only public addresses, and
 * loopback when `allowLoopback` (tests and the demo). Nothing allows the other private ranges.
 */
export function addressRefusal(
  address: string,
  options: { allowLoopback: boolean },
): AddressClass | null {
  const cls = classifyAddress(address);
  if (cls === 'public') return null;
  if (cls === 'loopback' && options.allowLoopback) return null;
  return cls;
}
