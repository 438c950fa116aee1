import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressRefusal } from './address-class';

/**
 * Where a webhook URL leads, and whether a webhook may go there (the SSRF rule): http or https
 * only, no credentials in the URL, and every address its host resolves to public (loopback too
 * when the operator allows it). Checked when a webhook is registered and again before each
 * delivery, because DNS can change in between; the delivery then connects to the very address
 * that was checked (webhook-sender.ts), so a second lookup cannot swap it.
 */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

export type UrlRefusalCode =
  'URL_FORMAT' | 'URL_SCHEME' | 'URL_CREDENTIALS' | 'URL_UNRESOLVABLE' | 'URL_ADDRESS_NOT_ALLOWED';

export interface UrlRefusal {
  code: UrlRefusalCode;
  message: string;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (/etc/hosts, then DNS), every address of the name. */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((found) => ({
    address: found.address,
    family: found.family === 6 ? 6 : 4,
  }));

/**
 * What is wrong with the form of a webhook URL, without looking anything up. The WHATWG parser
 * has already turned numeric hosts (`http://2130706433/`, `http://0x7f.1/`) into dotted IPv4,
 * so they meet the address rule like any other.
 */
export function urlFormRefusal(raw: string): UrlRefusal | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: 'URL_FORMAT', message: 'url must be an absolute http:// or https:// URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { code: 'URL_SCHEME', message: `url must use http or https, not ${url.protocol}` };
  if (url.username || url.password)
    return {
      code: 'URL_CREDENTIALS',
      message: 'url must not carry a user name or password: the signature authenticates the portal',
    };
  if (!url.hostname) return { code: 'URL_FORMAT', message: 'url must name a host' };
  return null;
}

export type TargetCheck =
  { url: URL; addresses: ResolvedAddress[]; refusal?: undefined } | { refusal: UrlRefusal };

/** The URL and the addresses it may be delivered to, or why it may not. */
export async function checkWebhookTarget(
  raw: string,
  options: { allowLoopback: boolean; resolve?: Resolver },
): Promise<TargetCheck> {
  const formRefusal = urlFormRefusal(raw);
  if (formRefusal) return { refusal: formRefusal };
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return {
        refusal: {
          code: 'URL_UNRESOLVABLE',
          message: `url host ${host} does not resolve (${code})`,
        },
      };
    }
  }
  if (addresses.length === 0)
    return { refusal: { code: 'URL_UNRESOLVABLE', message: `url host ${host} has no address` } };
  // Every address, not only the first: a name with one public and one private address would
  // otherwise let the connection pick the private one.
  for (const { address } of addresses) {
    const refused = addressRefusal(address, options);
    if (refused)
      return {
        refusal: {
          code: 'URL_ADDRESS_NOT_ALLOWED',
          message:
            `url host ${host} resolves to ${address}, a ${refused} address; webhooks may only reach public addresses` +
            (refused === 'loopback' ? ' (loopback needs WEBHOOK_ALLOW_LOOPBACK=true)' : ''),
        },
      };
  }
  return { url, addresses };
}
