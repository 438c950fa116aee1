import { connect } from 'node:net';

/** A reply of the Redis protocol (RESP2): simple/bulk string, integer, nil, array or error. */
export type RespValue = string | number | null | RespValue[] | RespError;

export class RespError extends Error {}

export interface RedisCommandOptions {
  host?: string;
  /** Whole-exchange timeout (default 2 s). */
  timeoutMs?: number;
  /** The server is expected to close the connection without replying (SHUTDOWN): resolve null. */
  expectClose?: boolean;
}

/**
 * Sends one command to a Redis server over a fresh TCP connection and returns its reply. Enough
 * for probing and managing a private server (PING, INFO, SHUTDOWN) without a client library and
 * its reconnect logic. An error reply (`-ERR …`) rejects with a RespError.
 */
export async function redisCommand(
  port: number,
  args: readonly string[],
  opts: RedisCommandOptions = {},
): Promise<RespValue> {
  const host = opts.host ?? '127.0.0.1';
  const timeoutMs = opts.timeoutMs ?? 2000;
  return new Promise<RespValue>((resolve, reject) => {
    const socket = connect({ port, host });
    let buffer = Buffer.alloc(0);
    let settled = false;
    const settle = (err: Error | undefined, value?: RespValue): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      if (err) reject(err);
      else resolve(value ?? null);
    };
    const timer = setTimeout(
      () => settle(new Error(`Redis ${args[0] ?? ''} on ${host}:${port} timed out`)),
      timeoutMs,
    );
    socket.on('connect', () => socket.write(encodeCommand(args)));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      let parsed: { value: RespValue; next: number } | undefined;
      try {
        parsed = parseReply(buffer, 0);
      } catch (err) {
        settle(err as Error);
        return;
      }
      if (!parsed) return;
      if (parsed.value instanceof RespError) settle(parsed.value);
      else settle(undefined, parsed.value);
    });
    socket.on('error', (err) => settle(err));
    socket.on('close', () => {
      if (opts.expectClose) settle(undefined, null);
      else settle(new Error(`Redis on ${host}:${port} closed the connection without replying`));
    });
  });
}

export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(arg, 'utf8');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Parses one reply starting at `offset`; undefined when more bytes are needed. */
export function parseReply(
  buf: Buffer,
  offset: number,
): { value: RespValue; next: number } | undefined {
  const lineEnd = buf.indexOf('\r\n', offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[offset] ?? 0);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next: afterLine };
    case '-':
      return { value: new RespError(line), next: afterLine };
    case ':':
      return { value: Number(line), next: afterLine };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next: afterLine };
      if (buf.length < afterLine + length + 2) return undefined;
      return {
        value: buf.toString('utf8', afterLine, afterLine + length),
        next: afterLine + length + 2,
      };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next: afterLine };
      const items: RespValue[] = [];
      let next = afterLine;
      for (let i = 0; i < count; i += 1) {
        const item = parseReply(buf, next);
        if (!item) return undefined;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`unexpected Redis reply type ${JSON.stringify(type)}`);
  }
}
