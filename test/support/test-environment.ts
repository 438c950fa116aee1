/**
 * What the Jest global setup hands to the test files (through the environment, since workers are
 * separate processes): where the servers are and which migrated template to clone.
 */
export interface TestEnvironment {
  /** A URL to the maintenance database, for CREATE/DROP DATABASE. */
  adminDatabaseUrl: string;
  redisUrl: string;
  templateDatabase: string;
  runId: string;
}

const VARIABLE = 'SCF_TEST_ENVIRONMENT';

export function publishTestEnvironment(environment: TestEnvironment): void {
  process.env[VARIABLE] = JSON.stringify(environment);
}

export function testEnvironment(): TestEnvironment {
  const raw = process.env[VARIABLE];
  if (!raw)
    throw new Error(
      'The e2e global setup has not run (run the tests through `npm test` or `npx jest`).',
    );
  return JSON.parse(raw) as TestEnvironment;
}

/** A URL for `database` on the same server as `url`. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
