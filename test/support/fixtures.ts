import { randomBytes, randomInt } from 'node:crypto';
import type { Response } from 'supertest';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  leiCheckDigits,
  usccCheckCharacter,
} from '../../src/organizations/registration-id/registration-id';
import { PLATFORM_ADMIN, type TestApp } from './test-app';

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A unified social credit code with a correct check character (fictional company). */
export function fakeUscc(): string {
  let body = '91' + String(randomInt(110000, 659999));
  for (let i = 0; i < 9; i++) body += USCC_ALPHABET[randomInt(USCC_ALPHABET.length)];
  return body + usccCheckCharacter(body);
}

/** An LEI with correct check digits (fictional; 5493 is a real LOU prefix). */
export function fakeLei(): string {
  const body = '5493' + randomBytes(7).toString('hex').toUpperCase();
  return body + leiCheckDigits(body);
}

export const PASSWORD = 'test-password-123';

export async function login(t: TestApp, email: string, password = PASSWORD): Promise<string> {
  const response = await t.http().post('/api/v1/auth/login').send({ email, password });
  if (response.status !== 200)
    throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { accessToken: string }).accessToken;
}

export async function platformAdminToken(t: TestApp): Promise<string> {
  return login(t, PLATFORM_ADMIN.email, PLATFORM_ADMIN.password);
}

export interface Member {
  id: string;
  email: string;
  token: string;
  roles: Role[];
}

export interface Tenant {
  id: string;
  kind: OrganizationKind;
  name: string;
  registrationId: string;
  admin: Member;
  /** Users by role, added on request. */
  members: Partial<Record<Role, Member>>;
}

let sequence = 0;
const unique = (): string =>
  `${Date.now().toString(36)}${(sequence++).toString(36)}${randomBytes(2).toString('hex')}`;

/** Onboards an organisation through the API as the platform admin, and signs its ADMIN in. */
export async function createTenant(
  t: TestApp,
  kind: OrganizationKind,
  options: { name?: string; roles?: Role[]; platformToken?: string } = {},
): Promise<Tenant> {
  const platformToken = options.platformToken ?? (await platformAdminToken(t));
  const id = unique();
  const email = `admin-${id}@${kind.toLowerCase()}.test`;
  const registrationId = fakeUscc();
  const response = await t
    .http()
    .post('/api/v1/organizations')
    .set('Authorization', `Bearer ${platformToken}`)
    .send({
      kind,
      name: options.name ?? `${kind} 测试企业 ${id}`,
      registrationId,
      admin: { email, password: PASSWORD, name: `Admin ${id}` },
    });
  expectStatus(response, 201);
  const organization = response.body as { id: string; name: string };
  const token = await login(t, email);
  const tenant: Tenant = {
    id: organization.id,
    kind,
    name: organization.name,
    registrationId,
    admin: { id: '', email, token, roles: [Role.ADMIN] },
    members: {},
  };
  for (const role of options.roles ?? []) tenant.members[role] = await addMember(t, tenant, [role]);
  return tenant;
}

/** Adds a user with `roles` to the tenant (as its ADMIN) and signs it in. */
export async function addMember(t: TestApp, tenant: Tenant, roles: Role[]): Promise<Member> {
  const email = `${roles.join('-').toLowerCase()}-${unique()}@member.test`;
  const response = await t
    .http()
    .post(`/api/v1/organizations/${tenant.id}/users`)
    .set('Authorization', `Bearer ${tenant.admin.token}`)
    .send({ email, password: PASSWORD, name: `${roles.join('/')} 用户`, roles });
  expectStatus(response, 201);
  return { id: (response.body as { id: string }).id, email, token: await login(t, email), roles };
}

export function bearer(token: string): [string, string] {
  return ['Authorization', `Bearer ${token}`];
}

/** Fails with the response body in the message, which makes a wrong status readable. */
export function expectStatus(response: Response, status: number): void {
  if (response.status !== status) {
    throw new Error(
      `expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body ?? response.text)}`,
    );
  }
}

/** Asserts an RFC 9457 problem with the given status and code. */
export function expectProblem(
  response: Response,
  status: number,
  code: string,
): Record<string, unknown> {
  expectStatus(response, status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.body as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

export async function countRows(
  t: TestApp,
  table: string,
  where = 'TRUE',
  params: unknown[] = [],
): Promise<number> {
  const [row] = (await t.db.query(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
    params,
  )) as Array<{ n: number }>;
  return row.n;
}

/** Row counts of the tables a state change touches; equal snapshots prove nothing was written. */
export async function snapshotCounts(
  t: TestApp,
  tables: string[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countRows(t, table);
  return counts;
}

export const WRITE_TABLES = [
  'organizations',
  'organization_identifiers',
  'users',
  'api_keys',
  'audit_events',
  'outbox_messages',
  'idempotency_records',
];

/** Polls until `probe` returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `X-Api-Key` header for supertest's `.set(...)`. */
export function apiKeyHeader(key: string): [string, string] {
  return ['X-Api-Key', key];
}

export interface IssuedApiKey {
  id: string;
  name: string;
  prefix: string;
  roles: Role[];
  /** The secret key: only in the creation response. */
  key: string;
}

/** Creates an API key in the tenant's organisation as its ADMIN. */
export async function createApiKey(
  t: TestApp,
  tenant: Tenant,
  options: { name?: string; roles?: Role[] } = {},
): Promise<IssuedApiKey> {
  const response = await t
    .http()
    .post('/api/v1/api-keys')
    .set(...bearer(tenant.admin.token))
    .send({
      name: options.name ?? `ERP ${unique()}`,
      ...(options.roles ? { roles: options.roles } : {}),
    });
  expectStatus(response, 201);
  return response.body as IssuedApiKey;
}

/** The platform organisation as a Tenant whose ADMIN is the platform admin (to add platform members). */
export async function platformTenant(t: TestApp, platformToken?: string): Promise<Tenant> {
  const token = platformToken ?? (await platformAdminToken(t));
  const me = await t
    .http()
    .get('/api/v1/me')
    .set(...bearer(token));
  expectStatus(me, 200);
  const body = me.body as {
    user: { id: string; email: string };
    organization: { id: string; kind: OrganizationKind; name: string };
  };
  return {
    id: body.organization.id,
    kind: body.organization.kind,
    name: body.organization.name,
    registrationId: '',
    admin: { id: body.user.id, email: body.user.email, token, roles: [Role.ADMIN] },
    members: {},
  };
}

/** Tables a program change writes (with its audit event, outbox row and idempotency record). */
export const PROGRAM_TABLES = [
  'programs',
  'program_suppliers',
  'program_financiers',
  'audit_events',
  'outbox_messages',
  'idempotency_records',
];

/** A CNY program body with concrete terms; override any field. */
export function programBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `华东电子元器件供应链金融 ${unique()}`,
    currency: 'CNY',
    advanceRate: '0.8',
    recourse: 'WITH',
    maxTenorDays: 180,
    minInvoiceAmount: '10000',
    maxInvoiceAmount: '5000000.00',
    matchTolerance: '0.02',
    baseRate: '0.0345',
    platformFeeBps: 30,
    offerTtlHours: 48,
    graceDays: 5,
    holidays: ['2026-10-02', '2026-10-01'],
    ...overrides,
  };
}

/** Creates a program as the anchor's ADMIN and returns its view. */
export async function createProgram(
  t: TestApp,
  anchor: Tenant,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; name: string; currency: string; [field: string]: unknown }> {
  const response = await t
    .http()
    .post('/api/v1/programs')
    .set(...bearer(anchor.admin.token))
    .send(programBody(overrides));
  expectStatus(response, 201);
  return response.body as { id: string; name: string; currency: string };
}

/** The anchor's ADMIN invites a supplier or a financier into a program. */
export async function inviteMember(
  t: TestApp,
  anchor: Tenant,
  programId: string,
  member: Tenant,
): Promise<void> {
  const [path, field] =
    member.kind === OrganizationKind.FINANCIER
      ? ['financiers', 'financierId']
      : ['suppliers', 'supplierId'];
  expectStatus(
    await t
      .http()
      .post(`/api/v1/programs/${programId}/${path}`)
      .set(...bearer(anchor.admin.token))
      .send({ [field]: member.id }),
    201,
  );
}

/** The invited supplier's ADMIN accepts. */
export async function acceptProgram(
  t: TestApp,
  supplier: Tenant,
  programId: string,
): Promise<void> {
  expectStatus(
    await t
      .http()
      .post(`/api/v1/programs/${programId}/suppliers/${supplier.id}/accept`)
      .set(...bearer(supplier.admin.token)),
    200,
  );
}

/** Financier terms with concrete values; override any field. */
export function termsBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    limit: '50000000.00',
    supplierSubLimit: '5000000',
    marginBps: 150,
    minTenorDays: 30,
    maxTenorDays: 120,
    active: true,
    ...overrides,
  };
}

/** The financier's ADMIN sets its terms in a program (which makes it ACTIVE there). */
export async function setTerms(
  t: TestApp,
  financier: Tenant,
  programId: string,
  overrides: Record<string, unknown> = {},
): Promise<void> {
  expectStatus(
    await t
      .http()
      .put(`/api/v1/programs/${programId}/financiers/${financier.id}/terms`)
      .set(...bearer(financier.admin.token))
      .send(termsBody(overrides)),
    200,
  );
}
