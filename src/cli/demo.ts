/**
 * `npm run demo` — the portal with a demo supply chain, from nothing:
 *
 *   npm run demo              start (or reuse) PostgreSQL and Redis, migrate, start the API with its
 *                             worker, seed the demo through the HTTP API, walk through the trade
 *                             (program, the anchor's records, invoices by form, CSV and UBL,
 *                             verification, three ways of confirming, one exception explained),
 *                             then through the money (a financing request, two financiers' offers,
 *                             maker-checker approval, the pain.001 file, payout, the anchor's
 *                             payment as a camt.054 file, one financing overdue, every party's
 *                             ledger), then an inventory pledge (valuation, the pledge agreement
 *                             PDF, a drawdown, a margin call, a release refused then allowed, a
 *                             double pledge refused), then risk (profiles and scores, alerts,
 *                             a guarantee claimed on write-off, a pool payout, signed webhooks),
 *                             check it, print where to look; serve until Ctrl-C or SIGTERM
 *   npm run demo -- --once    the same, then stop and exit 0 (any failure: exit 1, naming the step)
 *
 * The summary goes to stdout, progress to stderr. Later issues extend the walk-through by adding
 * steps after `walkTrade`, `walkFinancing` and `walkPledges` (see src/cli/demo/). The pain.001 and
 * camt.054 files and the pledge PDFs go to .data/demo/<run>/.
 */
import 'reflect-metadata';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApiApplication } from '../bootstrap/api-application';
import { closeWithin } from '../common/shutdown/close-within';
import type { AppConfig } from '../config/app-config';
import { loadDotEnv } from '../config/dotenv';
import { resolveAppConfig, type ResolvedConfig } from '../config/load-config';
import { runMigrations } from '../database/migrate';
import { OverdueFinancings } from '../financing/financings/overdue.service';
import { stopStartedServicesIfIdle } from '../infra/local-services/service-endpoints';
import { projectRoot } from '../infra/project-root';
import { ApiClient } from './demo/api-client';
import { checkDemo, checkFinancing, demoUrls } from './demo/checks';
import { demoEnvironment, isSet } from './demo/environment';
import { DEFAULT_PLATFORM_ADMIN, seedDemo } from './demo/seed-organizations';
import { formatSummary } from './demo/summary';
import { walkFinancing, type FinancingShortcuts } from './demo/walk-financing';
import { setUpGuarantee } from './demo/walk-guarantee';
import { walkPledges } from './demo/walk-pledges';
import { registerDemoWebhooks, walkRisk } from './demo/walk-risk';
import { DemoWebhookReceiver } from './demo/webhook-receiver';
import { walkTrade } from './demo/walk-trade';

const USAGE = `usage: npm run demo [-- --once]

  (no option)  run the portal with a seeded demo supply chain until Ctrl-C
  --once       seed, walk through the trade and the money, check and print the summary, then stop
               (exit 0, or 1 on any failure, naming the step that failed)

Environment: as for \`npm start\` (see .env.example); the demo forces WORKER_EMBEDDED=true and
defaults BOOTSTRAP_ADMIN_EMAIL/PASSWORD to ${DEFAULT_PLATFORM_ADMIN.email} / ${DEFAULT_PLATFORM_ADMIN.password},
PORT to 3000 (another free port when 3000 is taken) and LOG_LEVEL to warn.`;

const say = (line: string): void => {
  process.stderr.write(`[demo] ${line}\n`);
};

/** Raised between start-up steps when Ctrl-C or SIGTERM came in the meantime. */
class StopRequested extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`${signal} received`);
  }
}

/** Ctrl-C / SIGTERM: the first asks for a clean stop, a second one exits at once. */
function watchSignals(): { check(): void; stopped: Promise<NodeJS.Signals> } {
  let received: NodeJS.Signals | null = null;
  let resolveStopped: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    resolveStopped = resolve;
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) {
      say(`${signal} again: exiting without cleaning up`);
      process.exit(1);
    }
    received = signal;
    say(`${signal} received: stopping (press Ctrl-C again to exit at once)`);
    resolveStopped(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    check: () => {
      if (received) throw new StopRequested(received);
    },
    stopped,
  };
}

/** True when an HTTP server could listen on `port` the way app.listen does (all interfaces). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** The configured port, or — when the user left PORT unset and 3000 is taken — a free one. */
async function choosePort(config: AppConfig, userSetPort: boolean): Promise<AppConfig> {
  if (userSetPort || config.port === 0 || (await canListen(config.port))) return config;
  const port = await freePort();
  say(`port ${config.port} is in use; serving on port ${port} instead (set PORT to choose one)`);
  return { ...config, port };
}

/** Stops the local servers this demo started, unless a test run or another demo now uses them. */
async function stopStartedServices(resolved: ResolvedConfig): Promise<void> {
  const stopped = await stopStartedServicesIfIdle({ endpoints: resolved.endpoints, log: say });
  if (stopped.length > 0) say(`stopped the local ${stopped.join(' and ')} the demo had started`);
}

/** Closes the app within the shutdown budget; false when it did not close cleanly in time. */
async function closeApp(app: NestExpressApplication, budgetMs: number): Promise<boolean> {
  say('closing the API and the worker');
  const closed = await closeWithin(budgetMs, () => app.close());
  if (!closed) say(`the app did not close cleanly within ${budgetMs} ms`);
  return closed;
}

async function run(once: boolean): Promise<number> {
  const began = Date.now();
  loadDotEnv();
  const signals = watchSignals();
  const { env, notes } = demoEnvironment(process.env);
  notes.forEach(say);

  let resolved: ResolvedConfig | null = null;
  let app: NestExpressApplication | null = null;
  let budgetMs = 15_000;
  const receiver = new DemoWebhookReceiver();
  let receiverUrl: string | null = null;
  let code: number;
  try {
    resolved = await resolveAppConfig(env, say);
    budgetMs = resolved.config.shutdownTimeoutMs;
    signals.check();
    const config = await choosePort(resolved.config, isSet(process.env.PORT));
    const bootstrapAdmin = config.bootstrapAdmin;
    if (!bootstrapAdmin) throw new Error('BOOTSTRAP_ADMIN_EMAIL/PASSWORD are not set');

    const migrations = await runMigrations(config.databaseUrl);
    say(
      migrations.length === 0
        ? 'database schema is up to date'
        : `ran ${migrations.length} migration(s): ${migrations.join(', ')}`,
    );
    signals.check();

    app = await createApiApplication(config);
    try {
      await app.listen(config.port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(
          `port ${config.port} is in use; set PORT to a free port (or unset it and the demo picks one)`,
          { cause: error },
        );
      }
      throw error;
    }
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    say(`API and worker listening on port ${port}`);
    signals.check();

    const client = new ApiClient(`http://127.0.0.1:${port}`);
    say('seeding the demo supply chain through the API');
    const seed = await seedDemo(client, { platformAdmin: bootstrapAdmin, log: say });
    signals.check();
    receiverUrl = await receiver.start();
    say(`webhook receiver listening on ${receiverUrl}; registering the demo's webhooks`);
    const webhooks = await registerDemoWebhooks(client, seed, receiver, receiverUrl, say);
    signals.check();
    say('walking through the trade: program, records, invoices, verification, confirmation');
    const trade = await walkTrade(client, seed, { log: say, checkpoint: signals.check });
    signals.check();
    say('a guarantee fund guarantees half of each loss on the program');
    const guarantee = await setUpGuarantee(client, seed, trade, say);
    signals.check();
    say(
      'walking through the money: request, offers, approval, pain.001, payout, camt.054, overdue, ledger',
    );
    const financing = await walkFinancing(client, seed, trade, {
      log: say,
      checkpoint: signals.check,
      outputDir: join(projectRoot(), '.data', 'demo', trade.runId),
      shortcuts: demoShortcuts(app),
    });
    signals.check();
    say(
      'walking through an inventory pledge: valuation, agreement PDF, drawdown, margin call, release',
    );
    const pledges = await walkPledges(client, seed, trade, {
      log: say,
      checkpoint: signals.check,
      outputDir: join(projectRoot(), '.data', 'demo', trade.runId),
    });
    signals.check();
    // Checked before the risk walk, which writes the overdue financing off.
    await checkFinancing(client, seed, financing, say);
    say('walking through risk: alerts, the risk compensation pool, the signed webhooks received');
    const risk = await walkRisk(client, seed, trade, financing, guarantee, receiver, webhooks, {
      log: say,
    });
    signals.check();
    await checkDemo(client, seed, say);
    say(`ready in ${((Date.now() - began) / 1000).toFixed(1)} s`);

    await writeStdout(
      formatSummary({
        urls: demoUrls(`http://localhost:${port}`),
        seed,
        mode: once ? 'once' : 'serving',
        databaseUrl: config.databaseUrl,
        redisUrl: config.redisUrl,
        localServicesDir: resolved.endpoints.localServicesDir,
        trade,
        financing,
        pledges,
        risk,
      }),
    );
    if (!once) await signals.stopped;
    code = 0;
  } catch (error) {
    if (error instanceof StopRequested) {
      code = error.signal === 'SIGINT' ? 130 : 143;
    } else {
      say(`failed: ${error instanceof Error ? error.message : String(error)}`);
      code = 1;
    }
  }
  try {
    if (app && !(await closeApp(app, budgetMs)) && code === 0) code = 1;
    if (receiverUrl) await receiver.stop();
    if (resolved) await stopStartedServices(resolved);
  } catch (error) {
    say(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    if (code === 0) code = 1;
  }
  return code;
}

/**
 * The two things the financing walk does without the HTTP API, because the API has nothing for
 * them: a financing only goes overdue after its maturity date, so the demo moves one maturity
 * date into the past (one SQL UPDATE through the app's DataSource) and runs the overdue sweep's
 * job handler in-process rather than waiting for its schedule. The summary says so.
 */
function demoShortcuts(app: NestExpressApplication): FinancingShortcuts {
  return {
    moveMaturity: async (financingId, maturityDate) => {
      const [rows] = (await app
        .get(DataSource)
        .query(
          `UPDATE financings SET maturity_date = $2, updated_at = now() WHERE id = $1 AND status = 'DISBURSED' RETURNING id`,
          [financingId, maturityDate],
        )) as [unknown[], number];
      return rows.length;
    },
    markOverdue: () => app.get(OverdueFinancings).markOverdue(),
  };
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(text, (error) => (error ? reject(error) : resolve())),
  );
}

function main(argv: string[]): void {
  const unknown = argv.filter((arg) => arg !== '--once');
  if (unknown.some((arg) => arg === '--help' || arg === '-h')) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument ${JSON.stringify(unknown[0])}\n${USAGE}\n`);
    process.exit(2);
  }
  run(argv.includes('--once')).then(
    (code) => process.exit(code),
    (error: unknown) => {
      say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}

if (require.main === module) main(process.argv.slice(2));
