import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { projectRoot } from '../../src/infra/project-root';
import { fmt } from './bench-context';

export interface Measurement {
  name: string;
  measured: string;
  limit: string;
  ratio: number;
  /** A stated target for the ratio or the figure, with whether it was met. */
  target?: { text: string; met: boolean };
  note?: string;
}

export interface SuiteReport {
  suite: string;
  title: string;
  measurements: Measurement[];
  /** Fixed text: what the suite measures and where the gaps are. */
  commentary: string;
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${fmt(totalmem() / 1024 ** 3, 0)} GiB RAM, Node.js ${process.version}`;
}

export function renderSuite(report: SuiteReport): string {
  const date = new Date().toISOString().slice(0, 10);
  const rows = report.measurements
    .map(
      (m) =>
        `| ${m.name} | ${m.measured} | ${m.limit} | **${m.ratio.toFixed(2)}** | ${m.target ? `${m.target.text}: ${m.target.met ? 'met' : '**not met**'}` : ''} |`,
    )
    .join('\n');
  const notes = report.measurements
    .filter((m) => m.note)
    .map((m) => `- ${m.name}: ${m.note}`)
    .join('\n');
  return `<!-- bench:${report.suite}:start -->
## ${report.title}

\`npm run bench -- ${report.suite}\`, ${date}, ${machine()}.

| path | measured | physical limit (same run) | ratio | target |
| --- | --- | --- | --- | --- |
${rows}

${notes}

${report.commentary.trim()}
<!-- bench:${report.suite}:end -->`;
}

const HEADER = `# Performance

Measured by \`npm run bench\` (test/bench). Each path is set against the physical limit for the
same work measured in the same run on the same machine, and reported as a ratio (measured ÷ limit;
1.00 = as fast as the limit), which is comparable across machines where the absolute figures are
not. PostgreSQL and Redis are the project's local services (fsync off, as in tests); the API, the
database, Redis and the load generator share the machine's cores, so every figure includes that
contention. \`npm run bench -- <suite>\` runs one suite; \`-- --write\` updates its section here.
`;

/**
 * Replaces the suite's section in docs/performance.md (the other suites' sections stay), formatted
 * with the project's Prettier settings so `npm test`'s format check passes after a --write.
 */
export async function writeSuite(report: SuiteReport): Promise<void> {
  const file = join(projectRoot(), 'docs', 'performance.md');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  if (!text.startsWith('# Performance')) text = HEADER;
  const section = renderSuite(report);
  const pattern = new RegExp(
    `<!-- bench:${report.suite}:start -->[\\s\\S]*?<!-- bench:${report.suite}:end -->`,
  );
  text = pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}\n`;
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
}
