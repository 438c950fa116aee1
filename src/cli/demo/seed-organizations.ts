import { OrganizationKind, Role } from '../../common/auth/roles';
import type { BankAccountView } from '../../organizations/bank-accounts/dto/bank-account-view';
import {
  leiCheckDigits,
  usccCheckCharacter,
} from '../../organizations/registration-id/registration-id';
import {
  ApiError,
  type ApiClient,
  type MeView,
  type OrganizationView,
  type UserView,
} from './api-client';

/** The platform ADMIN the demo creates on first start unless BOOTSTRAP_ADMIN_* say otherwise. */
export const DEFAULT_PLATFORM_ADMIN = {
  email: 'admin@scf-portal.demo',
  password: 'scf-demo-platform-admin',
} as const;

/** One password for every seeded demo user (at least 12 characters, as the API requires). */
export const DEMO_PASSWORD = 'scf-demo-password';

/** Fictional unified social credit code: 17 given characters plus the GB 32100-2015 check character. */
const uscc = (first17: string): string => first17 + usccCheckCharacter(first17);
/** Fictional LEI: an 18-character prefix ("DEMO00…", no real LOU) plus ISO 7064 check digits. */
const lei = (first18: string): string => first18 + leiCheckDigits(first18);

const SEEDED_ROLES = [Role.ADMIN, Role.OPERATOR, Role.APPROVER, Role.VIEWER] as const;

/**
 * A settlement account as POST /organizations/:id/bank-accounts takes it: an IBAN (with a BIC),
 * or a Chinese domestic account number at the branch named by its 12-digit CNAPS code. The
 * numbers are fictional (the IBAN's check digits are right); `bankName` is only printed.
 */
export interface DemoBankAccountSpec {
  currency: string;
  iban?: string;
  accountNumber?: string;
  bankCode?: string;
  bic?: string;
  holderName: string;
  bankName: string;
}

export interface DemoOrganizationSpec {
  /** Stable handle for later walk-through steps (`seed.organization('anchor')`). */
  key: string;
  kind: OrganizationKind;
  name: string;
  registrationId: string;
  /** GB/T 4754 section letter. */
  industry: string;
  identifiers: Array<{ scheme: string; value: string }>;
  /** Users are `<role>@<emailDomain>`, lower case. */
  emailDomain: string;
  /** Display name of the person holding each role. */
  people: Record<Role, string>;
  /** Settlement accounts the organisation's ADMIN registers (the financing walk pays to them). */
  bankAccounts?: readonly DemoBankAccountSpec[];
}

/** The demo supply chain: one anchor, its two suppliers, two financiers. */
export const DEMO_ORGANIZATIONS: readonly DemoOrganizationSpec[] = [
  {
    key: 'anchor',
    kind: OrganizationKind.ANCHOR,
    name: '华东精密制造集团有限公司 (East China Precision Manufacturing Group)',
    registrationId: uscc('91310000MA1K8D3M0'),
    industry: 'C',
    identifiers: [],
    emailDomain: 'anchor.demo',
    people: { ADMIN: '王建国', OPERATOR: '李娜', APPROVER: '张伟', VIEWER: '刘洋' },
  },
  {
    key: 'supplier-hengxin',
    kind: OrganizationKind.SUPPLIER,
    name: '苏州恒信电子有限公司',
    registrationId: uscc('91320500MA1XN7Q2P'),
    industry: 'C',
    identifiers: [],
    emailDomain: 'hengxin.demo',
    people: { ADMIN: '陈静', OPERATOR: '周杰', APPROVER: '吴敏', VIEWER: '郑磊' },
    bankAccounts: [
      {
        currency: 'CNY',
        accountNumber: '32201988636000004718',
        bankCode: '105305000013',
        holderName: '苏州恒信电子有限公司',
        bankName: '中国建设银行苏州工业园区支行',
      },
    ],
  },
  {
    key: 'supplier-northwind',
    kind: OrganizationKind.SUPPLIER,
    name: 'Northwind Components Ltd',
    registrationId: lei('DEMO00NORTHWIND001'),
    industry: 'C',
    identifiers: [{ scheme: '0199', value: lei('DEMO00NORTHWIND001') }],
    emailDomain: 'northwind.demo',
    people: {
      ADMIN: 'Alice Carter',
      OPERATOR: 'Ben Hughes',
      APPROVER: 'Chloe Patel',
      VIEWER: 'Daniel Reed',
    },
    bankAccounts: [
      {
        currency: 'CNY',
        accountNumber: '1102020409000731265',
        bankCode: '102305002011',
        holderName: 'Northwind Components Ltd',
        bankName: '中国工商银行苏州分行 (non-resident account)',
      },
    ],
  },
  {
    key: 'financier-jiangnan',
    kind: OrganizationKind.FINANCIER,
    name: '江南商业银行 (Jiangnan Commercial Bank)',
    registrationId: uscc('91320200MA1JNB8C4'),
    industry: 'J',
    identifiers: [{ scheme: '0199', value: lei('DEMO00JIANGNANBK01') }],
    emailDomain: 'jiangnan-bank.demo',
    people: { ADMIN: '孙丽', OPERATOR: '赵强', APPROVER: '钱芳', VIEWER: '冯涛' },
    bankAccounts: [
      {
        currency: 'CNY',
        accountNumber: '9550880200016800017',
        bankCode: '313302000016',
        holderName: '江南商业银行',
        bankName: '江南商业银行 资金清算中心',
      },
    ],
  },
  {
    key: 'financier-harbour',
    kind: OrganizationKind.FINANCIER,
    name: 'Harbour Trade Finance Fund',
    registrationId: lei('DEMO00HARBOURFUND1'),
    industry: 'J',
    identifiers: [{ scheme: '0199', value: lei('DEMO00HARBOURFUND1') }],
    emailDomain: 'harbour-fund.demo',
    people: {
      ADMIN: 'Emma Walsh',
      OPERATOR: 'Frank Osei',
      APPROVER: 'Grace Lin',
      VIEWER: 'Henry Moore',
    },
    bankAccounts: [
      {
        currency: 'CNY',
        iban: 'GB46HTFF40512312345678',
        bic: 'HTFFGB2L',
        holderName: 'Harbour Trade Finance Fund',
        bankName: 'Harbour Trust Bank, London (CNY account)',
      },
    ],
  },
];

export const demoEmail = (spec: DemoOrganizationSpec, role: Role): string =>
  `${role.toLowerCase()}@${spec.emailDomain}`;

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  password: string;
  /** A fresh access token (valid for JWT_TTL_SECONDS from seeding). */
  token: string;
  /** False when the user was already there (a re-run on the same database). */
  created: boolean;
}

export interface DemoOrganization {
  key: string;
  id: string;
  kind: OrganizationKind;
  name: string;
  registrationId: string | null;
  created: boolean;
  users: DemoUser[];
  /**
   * The settlement account per currency the organisation is paid to, as the API lists it (its
   * most recently registered account in that currency), when the spec names accounts.
   */
  settlementAccounts?: DemoSettlementAccount[];
}

export interface DemoSettlementAccount {
  account: BankAccountView;
  /** The bank's name, from the spec (the API does not keep one); null for an account the demo did not register. */
  bankName: string | null;
  /** True when this run registered it; false when it was there already (409 DUPLICATE_BANK_ACCOUNT). */
  registered: boolean;
}

export interface DemoSeed {
  platform: DemoOrganization;
  organizations: DemoOrganization[];
  /** The seeded password of every demo user except the platform admin. */
  password: string;
}

/** Looks an organisation up by its spec key, for the walk-through steps built on the seed. */
export function demoOrganization(seed: DemoSeed, key: string): DemoOrganization {
  const found =
    key === 'platform' ? seed.platform : seed.organizations.find((org) => org.key === key);
  if (!found) throw new Error(`the demo seed has no organisation "${key}"`);
  return found;
}

/** Looks a seeded user up by organisation key and role. */
export function demoUser(seed: DemoSeed, key: string, role: Role): DemoUser {
  const user = demoOrganization(seed, key).users.find((candidate) =>
    candidate.roles.includes(role),
  );
  if (!user) throw new Error(`the demo organisation "${key}" has no ${role} user`);
  return user;
}

export interface SeedOptions {
  platformAdmin: { email: string; password: string };
  password?: string;
  organizations?: readonly DemoOrganizationSpec[];
  log?: (line: string) => void;
}

/**
 * Seeds the demo supply chain through the HTTP API, exactly as an operator would: the platform
 * ADMIN onboards each organisation with its first ADMIN, who then adds an OPERATOR, an APPROVER
 * and a VIEWER. Re-runnable on the same database: an organisation whose registration id exists is
 * reused, a user whose e-mail exists is kept. Every seeded user is signed in at the end.
 */
export async function seedDemo(client: ApiClient, options: SeedOptions): Promise<DemoSeed> {
  const log = options.log ?? (() => undefined);
  const password = options.password ?? DEMO_PASSWORD;
  const platformAdmin = await signInPlatformAdmin(client, options.platformAdmin);
  const me = await platformAdmin.get<MeView>('/api/v1/me');
  if (me.organization.kind !== OrganizationKind.PLATFORM || !me.user?.roles.includes(Role.ADMIN)) {
    throw new Error(
      `${options.platformAdmin.email} is not a platform ADMIN (it belongs to a ${me.organization.kind} organisation); ` +
        'set BOOTSTRAP_ADMIN_EMAIL/BOOTSTRAP_ADMIN_PASSWORD to a platform ADMIN of this database.',
    );
  }
  const platform: DemoOrganization = {
    key: 'platform',
    id: me.organization.id,
    kind: OrganizationKind.PLATFORM,
    name: me.organization.name,
    registrationId: null,
    created: false,
    users: [
      {
        id: me.user.id,
        email: me.user.email,
        name: me.user.name,
        roles: me.user.roles,
        password: options.platformAdmin.password,
        token: platformAdmin.token ?? '',
        created: false,
      },
    ],
  };

  const organizations: DemoOrganization[] = [];
  for (const spec of options.organizations ?? DEMO_ORGANIZATIONS) {
    organizations.push(await seedOrganization(client, platformAdmin, spec, password, log));
  }
  return { platform, organizations, password };
}

async function signInPlatformAdmin(
  client: ApiClient,
  admin: { email: string; password: string },
): Promise<ApiClient> {
  try {
    return await client.signedIn(admin.email, admin.password);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS') {
      throw new Error(
        `cannot sign in as the platform ADMIN ${admin.email}. BOOTSTRAP_ADMIN_EMAIL/PASSWORD create ` +
          'the platform ADMIN only while the database has none, and this database already has one ' +
          'with another e-mail or password: set those two variables to its credentials, or point ' +
          'DATABASE_URL at an empty database.',
        { cause: error },
      );
    }
    throw error;
  }
}

async function seedOrganization(
  client: ApiClient,
  platformAdmin: ApiClient,
  spec: DemoOrganizationSpec,
  password: string,
  log: (line: string) => void,
): Promise<DemoOrganization> {
  const adminEmail = demoEmail(spec, Role.ADMIN);
  let organization = await findByRegistrationId(platformAdmin, spec.registrationId);
  let created = false;
  if (!organization) {
    try {
      organization = await platformAdmin.post<OrganizationView>('/api/v1/organizations', {
        kind: spec.kind,
        name: spec.name,
        registrationId: spec.registrationId,
        industry: spec.industry,
        identifiers: spec.identifiers,
        admin: { email: adminEmail, password, name: spec.people.ADMIN },
      });
      created = true;
    } catch (error) {
      // Someone onboarded it between the lookup and the POST: use theirs.
      if (!(error instanceof ApiError && error.code === 'DUPLICATE_REGISTRATION_ID')) throw error;
      const existingId = error.problem?.existingOrganizationId;
      const existing =
        typeof existingId === 'string'
          ? await platformAdmin.get<OrganizationView>(`/api/v1/organizations/${existingId}`)
          : await findByRegistrationId(platformAdmin, spec.registrationId);
      if (!existing) throw error;
      organization = existing;
    }
  }
  if (organization.kind !== spec.kind) {
    throw new Error(
      `registration id ${spec.registrationId} belongs to the ${organization.kind} "${organization.name}", ` +
        `not to the demo's ${spec.kind}; use an empty database for the demo.`,
    );
  }
  log(
    `${created ? 'created' : 'found  '} ${spec.kind.padEnd(9)} ${organization.name} (${organization.id})`,
  );

  const admin = await signInOrganizationAdmin(client, spec, adminEmail, password);
  const existing = await admin.get<{ items: UserView[] }>(
    `/api/v1/organizations/${organization.id}/users`,
    { limit: 200 },
  );
  const known = new Set(existing.items.map((user) => user.email));
  const users: DemoUser[] = [];
  for (const role of SEEDED_ROLES) {
    const email = demoEmail(spec, role);
    let userCreated = role === Role.ADMIN && created;
    if (!known.has(email)) {
      try {
        await admin.post<UserView>(`/api/v1/organizations/${organization.id}/users`, {
          email,
          password,
          name: spec.people[role],
          roles: [role],
        });
        userCreated = true;
      } catch (error) {
        // The e-mail is taken (by a user this ADMIN cannot list): it exists, which is what we want;
        // the login checks below tell whether it really is this organisation's.
        if (!(error instanceof ApiError && error.code === 'DUPLICATE_EMAIL')) throw error;
      }
    }
    users.push({
      ...(await signInMember(client, organization, email, password)),
      created: userCreated,
    });
  }
  const settlementAccounts =
    spec.bankAccounts && spec.bankAccounts.length > 0
      ? await seedBankAccounts(admin, organization, spec.bankAccounts, log)
      : undefined;
  return {
    key: spec.key,
    id: organization.id,
    kind: organization.kind,
    name: organization.name,
    registrationId: organization.registrationId,
    created,
    users,
    ...(settlementAccounts ? { settlementAccounts } : {}),
  };
}

/**
 * The organisation's ADMIN registers its settlement accounts (POST /organizations/:id/bank-accounts)
 * unless they are listed already (a re-run); 409 DUPLICATE_BANK_ACCOUNT, should another run race
 * this one, means the same. Then reads the list back: the first account of a currency there is
 * the one the portal pays to.
 */
async function seedBankAccounts(
  admin: ApiClient,
  organization: OrganizationView,
  specs: readonly DemoBankAccountSpec[],
  log: (line: string) => void,
): Promise<DemoSettlementAccount[]> {
  const path = `/api/v1/organizations/${organization.id}/bank-accounts`;
  const before = await admin.get<{ items: BankAccountView[] }>(path, { limit: 100 });
  const registered = new Set<string>();
  for (const spec of specs) {
    // Asking only for what is missing keeps a re-run from adding 409 warnings to the API log.
    if (before.items.some((account) => sameAccount(spec, account))) continue;
    const body = {
      currency: spec.currency,
      ...(spec.iban ? { iban: spec.iban } : {}),
      ...(spec.accountNumber ? { accountNumber: spec.accountNumber, bankCode: spec.bankCode } : {}),
      ...(spec.bic ? { bic: spec.bic } : {}),
      holderName: spec.holderName,
    };
    try {
      const created = await admin.post<BankAccountView>(path, body);
      registered.add(created.id);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'DUPLICATE_BANK_ACCOUNT')) throw error;
    }
  }
  const listed = await admin.get<{ items: BankAccountView[] }>(path, { limit: 100 });
  const result: DemoSettlementAccount[] = [];
  for (const currency of [...new Set(specs.map((spec) => spec.currency))]) {
    // Newest first: the first of a currency is the settlement account.
    const account = listed.items.find((item) => item.currency === currency);
    if (!account) throw new Error(`${organization.name} lists no ${currency} bank account`);
    const spec = specs.find((candidate) => sameAccount(candidate, account));
    result.push({
      account,
      bankName: spec?.bankName ?? null,
      registered: registered.has(account.id),
    });
    log(
      `${registered.has(account.id) ? 'registered' : 'found     '} ${currency} settlement account ` +
        `${account.iban ?? `${account.accountNumber} (CNAPS ${account.bankCode})`} of ${organization.name}` +
        (spec ? '' : " (not the demo's: it was registered later, so it is the one paid to)"),
    );
  }
  return result;
}

/** The spec's account and the API's are the same account (the API stores them without spaces). */
export function sameAccount(spec: DemoBankAccountSpec, account: BankAccountView): boolean {
  const bare = (value: string | null | undefined): string =>
    (value ?? '').replace(/\s+/g, '').toUpperCase();
  return (
    spec.currency === account.currency &&
    bare(spec.iban) === bare(account.iban) &&
    bare(spec.accountNumber) === bare(account.accountNumber) &&
    bare(spec.bankCode) === bare(account.bankCode)
  );
}

/** Signs a seeded user in and reads who the token says it is: it must be this organisation's. */
async function signInMember(
  client: ApiClient,
  organization: OrganizationView,
  email: string,
  password: string,
): Promise<Omit<DemoUser, 'created'>> {
  const session = await client.signedIn(email, password);
  const me = await session.get<MeView>('/api/v1/me');
  if (!me.user || me.organization.id !== organization.id) {
    throw new Error(
      `${email} signs in, but belongs to "${me.organization.name}", not to "${organization.name}"; ` +
        'use an empty database for the demo.',
    );
  }
  return {
    id: me.user.id,
    email: me.user.email,
    name: me.user.name,
    roles: me.user.roles,
    password,
    token: session.token ?? '',
  };
}

async function findByRegistrationId(
  platformAdmin: ApiClient,
  registrationId: string,
): Promise<OrganizationView | null> {
  const page = await platformAdmin.get<{ items: OrganizationView[] }>('/api/v1/organizations', {
    registrationId,
    limit: 1,
  });
  return page.items[0] ?? null;
}

async function signInOrganizationAdmin(
  client: ApiClient,
  spec: DemoOrganizationSpec,
  email: string,
  password: string,
): Promise<ApiClient> {
  try {
    return await client.signedIn(email, password);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS') {
      throw new Error(
        `${spec.name} exists, but ${email} cannot sign in with the demo password; ` +
          'the database holds data the demo did not seed. Use an empty database for the demo.',
        { cause: error },
      );
    }
    throw error;
  }
}
