import type { SendOutcome } from './webhook-sender';

/**
 * What an attempt's outcome means for the delivery:
 * - DELIVERED: any 2xx.
 * - RETRY: no answer (refused, reset, timed out), 408 Request Timeout, 429 Too Many Requests, or
 *   5xx: the receiver is away or overloaded, and the same request later may well succeed.
 * - GIVE_UP: any other 4xx — the receiver understood the request and refused it (unknown path,
 *   bad signature because it holds another secret …); sending the same bytes again cannot
 *   change that. And 3xx: redirects are never followed (one could lead to a private address),
 *   so the organisation must register the final URL. Either way the delivery is FAILED at once,
 *   and can be resent after the receiver is fixed.
 */
export type Verdict =
  | { result: 'DELIVERED'; responseStatus: number }
  | { result: 'RETRY' | 'GIVE_UP'; responseStatus: number | null; error: string };

const MAX_ERROR_LENGTH = 500;

export function verdictOf(outcome: SendOutcome): Verdict {
  if (outcome.kind === 'network-error')
    return { result: 'RETRY', responseStatus: null, error: clip(outcome.message) };
  const { status } = outcome;
  if (status >= 200 && status < 300) return { result: 'DELIVERED', responseStatus: status };
  const answer = outcome.snippet.trim() ? `: ${outcome.snippet.trim()}` : '';
  if (status === 408 || status === 429 || status >= 500)
    return { result: 'RETRY', responseStatus: status, error: clip(`HTTP ${status}${answer}`) };
  if (status >= 300 && status < 400)
    return {
      result: 'GIVE_UP',
      responseStatus: status,
      error: clip(
        `HTTP ${status}: redirect${outcome.location ? ` to ${outcome.location}` : ''} not followed; register the final URL`,
      ),
    };
  return { result: 'GIVE_UP', responseStatus: status, error: clip(`HTTP ${status}${answer}`) };
}

/** One line, bounded: the delivery log is read in lists. */
function clip(text: string): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}
