import 'reflect-metadata';
import { log } from './bench-context';
import { renderSuite, writeSuite, type SuiteReport } from './report';
import { documentsSuite } from './suites/documents';
import { foundationSuite } from './suites/foundation';
import { httpSuite } from './suites/http';
import { ingestSuite } from './suites/ingest';
import { offersSuite } from './suites/offers';

/**
 * `npm run bench [-- <suite> …] [-- --write]`: suites foundation, ingest, http, offers, documents
 * (all by default).
 * Each reports ratios against the physical limit measured in the same run; --write records them
 * in docs/performance.md. Not a test: nothing here asserts a time.
 */
const SUITES: Record<string, () => Promise<SuiteReport>> = {
  foundation: foundationSuite,
  ingest: ingestSuite,
  http: httpSuite,
  offers: offersSuite,
  documents: documentsSuite,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes('--write');
  const chosen = args.filter((arg) => !arg.startsWith('--'));
  const unknown = chosen.filter((name) => !SUITES[name]);
  if (unknown.length > 0)
    throw new Error(
      `unknown suite ${unknown.join(', ')}; suites: ${Object.keys(SUITES).join(', ')}`,
    );
  for (const name of chosen.length > 0 ? chosen : Object.keys(SUITES)) {
    log(`suite ${name}`);
    const report = await SUITES[name]();
    process.stdout.write(`${renderSuite(report)}\n\n`);
    if (write) {
      await writeSuite(report);
      log(`wrote the ${name} section of docs/performance.md`);
    }
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
