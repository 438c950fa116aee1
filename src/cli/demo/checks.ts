import { Role } from '../../common/auth/roles';
import type { FinancingView } from '../../financing/dto/financing.view';
import type { AccountBalanceView } from '../../ledger/dto/ledger.dto';
import type { ApiClient, MeView } from './api-client';
import { ledgerTotals } from './financing-plan';
import { demoUser, type DemoSeed } from './seed-organizations';
import type { FinancingWalk } from './walk-financing';

/** Where things are on a running portal. */
export interface DemoUrls {
  base: string;
  api: string;
  docs: string;
  docsJson: string;
  dashboard: string;
  dashboardLogin: string;
  metrics: string;
  ready: string;
  live: string;
}

export function demoUrls(base: string): DemoUrls {
  const at = (path: string): string => new URL(path, base).toString();
  return {
    base: at('/'),
    api: at('/api/v1'),
    docs: at('/docs'),
    docsJson: at('/docs-json'),
    dashboard: at('/admin/queues'),
    dashboardLogin: at('/admin/login'),
    metrics: at('/metrics'),
    ready: at('/health/ready'),
    live: at('/health/live'),
  };
}

/**
 * Proves that what the summary prints is true: readiness is 200, the documented URLs answer, and
 * every seeded user can sign in (fresh login) and belongs where the summary says.
 */
export async function checkDemo(
  client: ApiClient,
  seed: DemoSeed,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  const ready = await client.request('GET', '/health/ready');
  if (ready.status !== 200) {
    throw new Error(`GET /health/ready answered ${ready.status}: ${ready.text.slice(0, 500)}`);
  }
  log('GET /health/ready: 200 (PostgreSQL and Redis answer)');

  const docs = await client.request('GET', '/docs-json');
  if (docs.status !== 200 || !/"openapi"\s*:/.test(docs.text)) {
    throw new Error(`GET /docs-json answered ${docs.status}, not the OpenAPI document`);
  }
  const metrics = await client.request('GET', '/metrics', { headers: { Accept: 'text/plain' } });
  if (metrics.status === 401) {
    log('GET /metrics: 401 (METRICS_TOKEN is set; scrape it with that token)');
  } else if (
    metrics.status !== 200 ||
    !metrics.text.includes('scf_http_request_duration_seconds')
  ) {
    throw new Error(`GET /metrics answered ${metrics.status}, not Prometheus metrics`);
  }
  const platformAdmin = seed.platform.users[0];
  const dashboard = await client.withToken(platformAdmin.token).request('GET', '/admin/queues', {
    headers: { Accept: 'text/html' },
  });
  if (dashboard.status !== 200) {
    throw new Error(`GET /admin/queues as the platform ADMIN answered ${dashboard.status}`);
  }
  log('GET /docs-json, /metrics, /admin/queues: they answer');

  let logins = 0;
  for (const organization of [seed.platform, ...seed.organizations]) {
    for (const user of organization.users) {
      const session = await client.signedIn(user.email, user.password);
      const me = await session.get<MeView>('/api/v1/me');
      const roles = me.user?.roles ?? [];
      if (
        me.organization.id !== organization.id ||
        !user.roles.every((role) => roles.includes(role))
      ) {
        throw new Error(
          `${user.email} signs in as ${roles.join('/')} of "${me.organization.name}", ` +
            `expected ${user.roles.join('/')} of "${organization.name}"`,
        );
      }
      logins++;
    }
  }
  log(`${logins} demo logins sign in and GET /api/v1/me answers for each`);
}

/**
 * Proves that the financing section of the summary is true, reading afresh through the API: the
 * paid financing is SETTLED with nothing outstanding, the other OVERDUE, and every party's ledger
 * balances sum to zero per currency, as do all of them together.
 */
export async function checkFinancing(
  client: ApiClient,
  seed: DemoSeed,
  walk: FinancingWalk,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  const problems: string[] = [];
  for (const [financed, status] of [
    [walk.settled, 'SETTLED'],
    [walk.overdue, 'OVERDUE'],
  ] as const) {
    const supplier = client.withToken(demoUser(seed, financed.supplier.key, Role.VIEWER).token);
    const financing = await supplier.get<FinancingView>(
      `/api/v1/financings/${financed.financing.id}`,
    );
    if (financing.status !== status)
      problems.push(`${financing.reference} is ${financing.status}, expected ${status}`);
  }
  const settled = await client
    .withToken(demoUser(seed, walk.settled.financier.key, Role.VIEWER).token)
    .get<FinancingView>(`/api/v1/financings/${walk.settled.financing.id}`);
  if (settled.outstandingAmount === null || !/^0(\.0+)?$/.test(settled.outstandingAmount))
    problems.push(`${settled.reference} has ${settled.outstandingAmount} outstanding`);

  const ledgers = [];
  for (const party of [seed.platform, ...seed.organizations]) {
    const reader =
      party.users.find((candidate) => candidate.roles.includes(Role.VIEWER)) ?? party.users[0];
    ledgers.push({
      party: party.name,
      accounts: await client
        .withToken(reader.token)
        .get<AccountBalanceView[]>('/api/v1/ledger/accounts'),
    });
  }
  const totals = ledgerTotals(ledgers);
  if (!totals.balanced)
    problems.push(
      `the ledger does not sum to zero: ${JSON.stringify({ parties: totals.parties, total: totals.total })}`,
    );
  if (Object.keys(totals.total).length === 0) problems.push('no party has a ledger posting');
  if (problems.length > 0) throw new Error(`financing check failed: ${problems.join('; ')}`);
  log(
    `${walk.settled.financing.reference} SETTLED, ${walk.overdue.financing.reference} OVERDUE; ` +
      `the ledger sums to ${Object.entries(totals.total)
        .map(([currency, amount]) => `${currency} ${amount}`)
        .join(', ')} across ${ledgers.length} parties`,
  );
}
