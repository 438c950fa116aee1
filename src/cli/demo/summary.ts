import type { DemoUrls } from './checks';
import type { DemoOrganization, DemoSeed } from './seed-organizations';

export interface DemoSummaryInput {
  urls: DemoUrls;
  seed: DemoSeed;
  /** `serving`: the portal keeps running; `once`: it was checked and is being stopped. */
  mode: 'serving' | 'once';
  databaseUrl: string;
  redisUrl: string;
  /** The local services folder when the URLs came from it, null when configured. */
  localServicesDir: string | null;
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
    'Try it:',
    `  curl -s ${urls.api}/auth/login -H 'Content-Type: application/json' \\`,
    `    -d '{"email":"${seed.organizations[0]?.users[1]?.email ?? seed.platform.users[0].email}","password":"${seed.password}"}'`,
    `  then: curl -s ${urls.api}/me -H "Authorization: Bearer <accessToken>"`,
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

/** Left-aligned columns, measured in terminal cells (CJK characters take two). */
export function table(rows: string[][], indent = ''): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, displayWidth(cell));
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, column) =>
          column === row.length - 1
            ? cell
            : cell + ' '.repeat(widths[column] - displayWidth(cell) + 2),
        )
        .join(''),
  );
}

/** East Asian wide and fullwidth characters (Unicode UAX #11, the common blocks). */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) width += WIDE.test(character) ? 2 : 1;
  return width;
}
