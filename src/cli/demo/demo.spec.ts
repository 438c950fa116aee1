import { OrganizationKind, Role } from '../../common/auth/roles';
import { registrationScheme } from '../../organizations/registration-id/registration-id';
import { demoUrls } from './checks';
import { demoEnvironment } from './environment';
import {
  DEFAULT_PLATFORM_ADMIN,
  DEMO_ORGANIZATIONS,
  DEMO_PASSWORD,
  demoEmail,
  type DemoSeed,
} from './seed-organizations';
import { displayWidth, formatSummary, redactPassword, table } from './summary';
import { formatTradeSummary } from './trade-summary';
import type { TradeWalk, WalkedInvoice } from './walk-trade';

describe('demo supply chain', () => {
  it('has one anchor, two suppliers and two financiers, one of them registered by LEI', () => {
    const kinds = DEMO_ORGANIZATIONS.map((spec) => spec.kind).sort();
    expect(kinds).toEqual([
      OrganizationKind.ANCHOR,
      OrganizationKind.FINANCIER,
      OrganizationKind.FINANCIER,
      OrganizationKind.SUPPLIER,
      OrganizationKind.SUPPLIER,
    ]);
    expect(
      DEMO_ORGANIZATIONS.some(
        (spec) =>
          spec.kind === OrganizationKind.FINANCIER &&
          registrationScheme(spec.registrationId) === 'LEI',
      ),
    ).toBe(true);
  });

  it('uses registration ids that pass their checksums, each once', () => {
    for (const spec of DEMO_ORGANIZATIONS) {
      expect({ id: spec.registrationId, scheme: registrationScheme(spec.registrationId) }).toEqual({
        id: spec.registrationId,
        scheme: expect.stringMatching(/^(USCC|LEI)$/),
      });
    }
    const ids = DEMO_ORGANIZATIONS.map((spec) => spec.registrationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has Chinese and English names and a person for every role, with distinct e-mails', () => {
    expect(DEMO_ORGANIZATIONS.some((spec) => /[\u4e00-\u9fff]/.test(spec.name))).toBe(true);
    expect(DEMO_ORGANIZATIONS.some((spec) => /^[A-Za-z ]+$/.test(spec.name))).toBe(true);
    const emails = DEMO_ORGANIZATIONS.flatMap((spec) =>
      Object.values(Role).map((role) => {
        expect(spec.people[role]).toBeTruthy();
        return demoEmail(spec, role);
      }),
    );
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails).toContain('operator@anchor.demo');
  });

  it('uses passwords the API accepts (at least 12 characters)', () => {
    expect(DEMO_PASSWORD.length).toBeGreaterThanOrEqual(12);
    expect(DEFAULT_PLATFORM_ADMIN.password.length).toBeGreaterThanOrEqual(12);
  });
});

describe('demoEnvironment', () => {
  it('embeds the worker and fills demo defaults without touching its input', () => {
    const input = { WORKER_EMBEDDED: 'false', LOG_LEVEL: '' };
    const { env, notes } = demoEnvironment(input);
    expect(env).toMatchObject({
      WORKER_EMBEDDED: 'true',
      BOOTSTRAP_ADMIN_EMAIL: DEFAULT_PLATFORM_ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: DEFAULT_PLATFORM_ADMIN.password,
      LOG_LEVEL: 'warn',
      PORT: '3000',
      WEBHOOK_ALLOW_LOOPBACK: 'true',
    });
    expect(notes).toHaveLength(1);
    expect(input).toEqual({ WORKER_EMBEDDED: 'false', LOG_LEVEL: '' });
  });

  it('keeps what the user set', () => {
    const { env, notes } = demoEnvironment({
      BOOTSTRAP_ADMIN_EMAIL: 'ops@bank.example',
      BOOTSTRAP_ADMIN_PASSWORD: 'a-long-enough-password',
      LOG_LEVEL: 'debug',
      PORT: '8080',
    });
    expect(env).toMatchObject({
      BOOTSTRAP_ADMIN_EMAIL: 'ops@bank.example',
      BOOTSTRAP_ADMIN_PASSWORD: 'a-long-enough-password',
      LOG_LEVEL: 'debug',
      PORT: '8080',
    });
    expect(demoEnvironment({ WEBHOOK_ALLOW_LOOPBACK: 'false' }).env.WEBHOOK_ALLOW_LOOPBACK).toBe(
      'false',
    );
    expect(notes).toEqual([]);
  });
});

describe('demo summary', () => {
  it('aligns columns by terminal width, counting CJK characters as two cells', () => {
    expect(displayWidth('江南 Bank')).toBe(9);
    expect(
      table([
        ['江南', 'x'],
        ['ab', 'y'],
      ]),
    ).toEqual(['江南  x', 'ab    y']);
  });

  it('hides passwords in service URLs', () => {
    expect(redactPassword('postgres://scf:secret@db:5432/scf')).toBe(
      'postgres://scf:***@db:5432/scf',
    );
    expect(redactPassword('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('prints the URLs, the organisations and every login', () => {
    const user = (email: string, role: Role, password: string) => ({
      id: 'u',
      email,
      name: email,
      roles: [role],
      password,
      token: 't',
      created: true,
    });
    const seed: DemoSeed = {
      password: DEMO_PASSWORD,
      platform: {
        key: 'platform',
        id: 'p',
        kind: OrganizationKind.PLATFORM,
        name: 'SCF Portal Operator',
        registrationId: null,
        created: false,
        users: [user('admin@scf-portal.demo', Role.ADMIN, 'platform-password')],
      },
      organizations: [
        {
          key: 'anchor',
          id: 'a',
          kind: OrganizationKind.ANCHOR,
          name: '华东精密制造集团有限公司 (East China Precision Manufacturing Group)',
          registrationId: DEMO_ORGANIZATIONS[0].registrationId,
          created: true,
          users: [
            user('admin@anchor.demo', Role.ADMIN, DEMO_PASSWORD),
            user('operator@anchor.demo', Role.OPERATOR, DEMO_PASSWORD),
          ],
        },
      ],
    };
    const text = formatSummary({
      urls: demoUrls('http://localhost:3000'),
      seed,
      mode: 'once',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/scf',
      redisUrl: 'redis://127.0.0.1:6379',
      localServicesDir: '/srv/.data/services',
    });
    for (const expected of [
      'http://localhost:3000/api/v1',
      'http://localhost:3000/docs',
      'http://localhost:3000/admin/queues',
      'http://localhost:3000/admin/login',
      'http://localhost:3000/metrics',
      'http://localhost:3000/health/ready',
      DEMO_ORGANIZATIONS[0].registrationId,
      'admin@scf-portal.demo',
      'platform-password',
      'operator@anchor.demo',
    ]) {
      expect(text).toContain(expected);
    }
  });
});

describe('trade summary', () => {
  const invoice = (
    number: string,
    channel: WalkedInvoice['channel'],
    status: string,
    confirmedBy: WalkedInvoice['confirmedBy'],
    reasons: Array<{ code: string; message: string }> = [],
  ): WalkedInvoice => ({
    id: `id-${number}`,
    number,
    supplierName: channel === 'UBL' ? 'Northwind Components Ltd' : '苏州恒信电子有限公司',
    channel,
    purchaseOrderNumber: 'PO-R1-HX1',
    totalAmount: '121300.00',
    currency: 'CNY',
    status,
    verification: {
      status: status === 'EXCEPTION' ? 'EXCEPTION' : 'VERIFIED',
      reasons,
      checkedAt: null,
    } as WalkedInvoice['verification'],
    confirmation: confirmedBy
      ? { confirmedAmount: '121300.00', paymentDate: '2027-01-29', confirmedAt: 'x' }
      : null,
    confirmedBy,
  });
  const exceeds = { code: 'EXCEEDS_RECEIVED', message: 'Invoiced 90000.00 exceeds …' };
  const trade: TradeWalk = {
    runId: 'R1',
    today: '2026-11-30',
    program: {
      id: 'p1',
      name: '华东精密 2027 供应链应收账款融资计划',
      currency: 'CNY',
      created: true,
    },
    apiKey: { prefix: 'abc', key: 'scf_abc_secret', roles: ['OPERATOR'] },
    anchorIdentifier: { scheme: '0088', value: '6940008001002' },
    orders: [
      {
        number: 'PO-R1-HX4',
        supplierName: '苏州恒信电子有限公司',
        totalAmount: '150000.00',
        receivedAmount: '60000.00',
      },
    ],
    receipts: 1,
    invoices: [
      invoice('HX-R1-001', 'form', 'CONFIRMED', 'single call'),
      invoice('HX-R1-002', 'CSV', 'CONFIRMED', 'approved-payables list'),
      invoice('HX-R1-004', 'CSV', 'EXCEPTION', null, [exceeds]),
      invoice('NW-R1-001', 'UBL', 'CONFIRMED', 'Invoice Response AP'),
    ],
    exception: {
      invoice: invoice('HX-R1-004', 'CSV', 'EXCEPTION', null, [exceeds]),
      eligibility: {
        eligible: false,
        reasons: [{ code: 'NOT_VERIFIED', message: 'The invoice did not match …' }, exceeds],
      },
    },
    eligible: {
      invoice: invoice('HX-R1-001', 'form', 'CONFIRMED', 'single call'),
      eligibility: { eligible: true, reasons: [] },
    },
  };

  it('lists each invoice with its channel, status and how it was confirmed', () => {
    const text = formatTradeSummary(trade, 'http://localhost:3000/api/v1').join('\n');
    for (const expected of [
      '华东精密 2027 供应链应收账款融资计划',
      '60000.00 (in part)',
      'HX-R1-001',
      'single call (POST /invoices/:id/confirm), payable 2027-01-29',
      'approved-payables list (POST /confirmations/bulk, CSV)',
      'Peppol Invoice Response AP',
      'UBL',
      'HX-R1-004',
      'EXCEPTION',
      'NOT_VERIFIED',
      'EXCEEDS_RECEIVED  Invoiced 90000.00 exceeds …',
      'http://localhost:3000/api/v1/invoices/id-HX-R1-004/eligibility): eligible: false',
      'eligible: true, no reasons',
      'scf_abc_secret',
    ]) {
      expect(text).toContain(expected);
    }
  });
});
