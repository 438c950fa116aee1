import type { DemoUrls } from './checks';
import { formatFinancingSummary } from './financing-summary';
import type { DemoOrganization, DemoSeed } from './seed-organizations';
import { table } from './text-table';
import { formatTradeSummary } from './trade-summary';
import type { FinancingWalk } from './walk-financing';
import { formatPledgeSummary, type PledgeWalk } from './walk-pledges';
import { formatRiskSummary, type RiskWalk } from './walk-risk';
import type { TradeWalk } from './walk-trade';

export { displayWidth, table } from './text-table';

export interface DemoSummaryInput {
  urls: DemoUrls;
  seed: DemoSeed;
  /** `serving`: the portal keeps running; `once`: it was checked and is being stopped. */
  mode: 'serving' | 'once';
  databaseUrl: string;
  redisUrl: string;
  /** The local services folder when the URLs came from it, null when configured. */
  localServicesDir: string | null;
  /** The trade walk-through's outcome (left out: no trade section). */
  trade?: TradeWalk;
  /** The financing walk-through's outcome (left out: no financing section). */
  financing?: FinancingWalk;
  /** The inventory pledge walk-through's outcome (left out: no pledge section). */
  pledges?: PledgeWalk;
  /** Alerts, the risk pool and the webhooks received (left out: no risk section). */
  risk?: RiskWalk;
}

/** The demo's summary, as printed on stdout: where to look and how to sign in. */
export function formatSummary(input: DemoSummaryInput): string {
  const { urls, seed } = input;
  const source = input.localServicesDir
    ? `local, in ${input.localServicesDir}`
    : 'from DATABASE_URL/REDIS_URL';
  const lines: string[] = [
    '',
    'scf-portal demo: a supply chain of one anchor, two suppliers and two financiers',
    '',
    ...table(
      [
        ['API', urls.api],
        ['OpenAPI docs', `${urls.docs}   (JSON: ${urls.docsJson})`],
        [
          'Queue dashboard',
          `${urls.dashboard}   (sign in at ${urls.dashboardLogin} as the platform admin)`,
        ],
        ['Metrics', urls.metrics],
        ['Health', `${urls.ready}   (liveness: ${urls.live})`],
        ['PostgreSQL', `${redactPassword(input.databaseUrl)}   (${source})`],
        ['Redis', redactPassword(input.redisUrl)],
      ],
      '  ',
    ),
    '',
    'Organisations',
    ...table(
      [
        ['KIND', 'NAME', 'REGISTRATION ID', 'ID'],
        ...[seed.platform, ...seed.organizations].map((organization) => [
          organization.kind,
          organization.name,
          organization.registrationId ?? '-',
          organization.id,
        ]),
      ],
      '  ',
    ),
    '',
    `Logins (every demo user's password is ${seed.password}; the platform admin's is its own)`,
    ...table(
      [
        ['E-MAIL', 'ROLES', 'PASSWORD', 'ORGANISATION'],
        ...[seed.platform, ...seed.organizations].flatMap((organization) =>
          organization.users.map((user) => [
            user.email,
            user.roles.join(','),
            user.password,
            shortName(organization),
          ]),
        ),
      ],
      '  ',
    ),
    '',
    ...(input.trade ? [...formatTradeSummary(input.trade, urls.api), ''] : []),
    ...(input.financing ? [...formatFinancingSummary(input.financing), ''] : []),
    ...(input.pledges ? [...formatPledgeSummary(input.pledges), ''] : []),
    ...(input.risk ? [...formatRiskSummary(input.risk), ''] : []),
    'Try it:',
    `  curl -s ${urls.api}/auth/login -H 'Content-Type: application/json' \\`,
    `    -d '{"email":"${seed.organizations[0]?.users[1]?.email ?? seed.platform.users[0].email}","password":"${seed.password}"}'`,
    `  then: curl -s ${urls.api}/me -H "Authorization: Bearer <accessToken>"`,
    ...(input.trade
      ? [
          `  the ERP's records: curl -s '${urls.api}/purchase-orders?limit=10' -H 'X-Api-Key: ${input.trade.apiKey.key}'`,
          `  an invoice with its verification and history: curl -s ${urls.api}/invoices/${input.trade.exception.invoice.id} -H "Authorization: Bearer <accessToken>"`,
        ]
      : []),
    ...(input.financing
      ? [
          `  a financing's journal entries (signed in as its supplier or financier): curl -s '${urls.api}/ledger/entries?financingId=${input.financing.settled.financing.id}' -H "Authorization: Bearer <accessToken>"`,
        ]
      : []),
    '',
    input.mode === 'serving'
      ? 'The API and the worker run in this process; press Ctrl-C to stop.'
      : 'Checked (--once): the API stops now. Run `npm run demo` to keep it serving.',
    '',
  ];
  return lines.join('\n');
}

/** The name up to its bracketed translation: "江南商业银行 (Jiangnan Commercial Bank)" → "江南商业银行". */
function shortName(organization: DemoOrganization): string {
  return organization.name.replace(/\s*\(.*\)\s*$/, '') || organization.name;
}

export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
