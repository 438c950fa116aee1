import { Client, type ClientConfig } from 'pg';

/** Opens a client, runs `fn`, always closes the client. */
export async function withPgClient<T>(
  config: ClientConfig,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionTimeoutMillis: 3000, query_timeout: 10_000, ...config });
  client.on('error', () => undefined); // a dropped connection surfaces through the pending query
  await client.connect(); // on failure pg has already closed the socket
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
