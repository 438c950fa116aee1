import { createHash } from 'node:crypto';

/**
 * A statement PostgreSQL parses and plans once per pooled connection instead of on every call.
 * For the few statements nearly every request runs (token checks, submissions, the outbox, the
 * audit chain): on this machine planning them was a third of the database's work per request.
 * Each one stays prepared on every connection for its lifetime, so the set must stay small and
 * fixed: never a statement whose text varies with its input.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const declared = new Map<string, string>();

/** Declares a prepared statement; a name means one text for the life of the process. */
export function preparedStatement(name: string, text: string): PreparedStatement {
  const known = declared.get(name);
  if (known !== undefined && known !== text)
    throw new Error(`prepared statement ${name} is declared twice with different text`);
  declared.set(name, text);
  return { name, text };
}

/**
 * A statement built from fixed parts (an entity's columns, say): named after its text, so the
 * few variants there are each get their own name.
 */
export function preparedStatementFor(prefix: string, text: string): PreparedStatement {
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  return preparedStatement(`${prefix}:${digest}`, text);
}
