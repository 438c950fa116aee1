import { UBL_PREFIXES } from './ubl-namespaces';

export interface XsdError {
  /** Line in the validated document; null when xmllint named none. */
  line: number | null;
  message: string;
}

/** `-:LINE: <what> error : <message>` — the document was read from stdin, hence the `-`. */
const DIAGNOSTIC = /^-:(\d+): (.+?) : (.*)$/;

/**
 * The diagnostics in xmllint's stderr, in order, at most `max`. Context lines (the source excerpt
 * and the caret under it) and the closing "- fails to validate" are dropped, warnings too. UBL
 * namespaces in `{uri}Name` are shortened to the usual prefixes (cbc:Name) so a person can read
 * the message.
 */
export function parseXmllintErrors(stderr: string, max: number): XsdError[] {
  const errors: XsdError[] = [];
  for (const line of stderr.split('\n')) {
    if (errors.length >= max) break;
    const match = DIAGNOSTIC.exec(line);
    if (!match || /warning$/.test(match[2])) continue;
    const [, lineNumber, what, detail] = match;
    const known = /(?:Schemas validity error|parser error)$/.test(what);
    errors.push({
      line: Number(lineNumber),
      message: shortenNamespaces(known ? detail.trim() : `${what}: ${detail.trim()}`),
    });
  }
  return errors;
}

function shortenNamespaces(message: string): string {
  let result = message;
  for (const [namespace, prefix] of UBL_PREFIXES)
    result = result.split(`{${namespace}}`).join(prefix);
  return result;
}
