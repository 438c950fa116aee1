import { randomUUID } from 'node:crypto';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import { BankAccountsRepository } from '../../src/organizations/bank-accounts/bank-accounts.repository';
import {
  bearer,
  countRows,
  createProgram,
  createTenant,
  eventually,
  expectProblem,
  expectStatus,
  inviteMember,
  platformAdminToken,
  snapshotCounts,
  WRITE_TABLES,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const TABLES = [...WRITE_TABLES, 'bank_accounts', 'audit_chain_heads'];

// Example IBANs published for testing (IBAN registry, banks' documentation).
const GB_IBAN = 'GB82 WEST 1234 5698 7654 32';
const GB_IBAN_ELECTRONIC = 'GB82WEST12345698765432';
const DE_IBAN = 'DE89 3704 0044 0532 0130 00';
const DE_IBAN_ELECTRONIC = 'DE89370400440532013000';
const NL_IBAN = 'NL91ABNA0417164300';
const FR_IBAN = 'FR1420041010050500013M02606';
// 中国工商银行 account and a CNAPS code of the same shape as the bank's published ones
const CN_ACCOUNT = { accountNumber: '6222 0202 0000 1234 567', bankCode: '102100099996' };
const CN_HOLDER = '苏州恒信精密电子有限公司';

interface BankAccountBody {
  id: string;
  organizationId: string;
  currency: string;
  iban: string | null;
  accountNumber: string | null;
  bankCode: string | null;
  bic: string | null;
  holderName: string;
  createdAt: string;
}

describe('organisations: settlement bank accounts', () => {
  let t: TestApp;
  let platform: string;
  let supplier: Tenant;
  let anchor: Tenant;
  let financier: Tenant;
  let stranger: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdminToken(t);
    const tenant = (kind: OrganizationKind, roles: Role[] = []) =>
      createTenant(t, kind, { platformToken: platform, roles });
    supplier = await tenant(OrganizationKind.SUPPLIER, [Role.OPERATOR, Role.APPROVER, Role.VIEWER]);
    anchor = await tenant(OrganizationKind.ANCHOR);
    financier = await tenant(OrganizationKind.FINANCIER);
    stranger = await tenant(OrganizationKind.FINANCIER);
    // the anchor and the financier are the supplier's program counterparts: they see the
    // organisation itself, but not where it banks
    const program = await createProgram(t, anchor);
    await inviteMember(t, anchor, program.id, supplier);
    await inviteMember(t, anchor, program.id, financier);
  });
  afterAll(() => t.close());

  const register = (organizationId: string, token: string | null, body: object) => {
    const request = t.http().post(`/api/v1/organizations/${organizationId}/bank-accounts`);
    if (token) request.set(...bearer(token));
    return request.send(body);
  };
  const registered = async (organizationId: string, token: string, body: object) => {
    const response = await register(organizationId, token, body);
    expectStatus(response, 201);
    return response.body as BankAccountBody;
  };
  const list = (organizationId: string, token: string | null, query = '') => {
    const request = t.http().get(`/api/v1/organizations/${organizationId}/bank-accounts${query}`);
    if (token) request.set(...bearer(token));
    return request;
  };
  const snapshot = () => snapshotCounts(t, TABLES);
  const fieldCodes = (problem: Record<string, unknown>): string[] =>
    (problem.errors as Array<{ field: string; code: string }>)
      .map((error) => `${error.field}:${error.code}`)
      .sort();

  describe('POST /organizations/:id/bank-accounts', () => {
    it('registers an IBAN for the organisation’s own ADMIN: 201 in electronic form, audited with the full account, announced', async () => {
      const response = await register(supplier.id, supplier.admin.token, {
        currency: 'gbp',
        iban: ' gb82 west 1234 5698 7654 32 ',
        bic: 'nwbk gb2l',
        holderName: '  Hengxin Precision Electronics Ltd  ',
      });
      expectStatus(response, 201);
      const account = response.body as BankAccountBody;
      expect(account).toEqual({
        id: expect.any(String),
        organizationId: supplier.id,
        currency: 'GBP',
        iban: GB_IBAN_ELECTRONIC,
        accountNumber: null,
        bankCode: null,
        bic: 'NWBKGB2L',
        holderName: 'Hengxin Precision Electronics Ltd',
        createdAt: expect.any(String),
      });
      expect(Number.isNaN(Date.parse(account.createdAt))).toBe(false);
      expect(
        await countRows(t, 'bank_accounts', 'organization_id = $1 AND iban = $2', [
          supplier.id,
          GB_IBAN_ELECTRONIC,
        ]),
      ).toBe(1);
      const [event] = (await t.db.query(
        `SELECT id, organization_id, entity_type, entity_id, data FROM audit_events
          WHERE action = 'organization.bank_account_registered' AND entity_id = $1`,
        [account.id],
      )) as Array<{
        id: string;
        organization_id: string;
        entity_type: string;
        entity_id: string;
        data: Record<string, unknown>;
      }>;
      expect(event).toMatchObject({
        organization_id: supplier.id,
        entity_type: 'bank_account',
        data: {
          currency: 'GBP',
          iban: GB_IBAN_ELECTRONIC,
          accountNumber: null,
          bankCode: null,
          bic: 'NWBKGB2L',
          holderName: 'Hengxin Precision Electronics Ltd',
        },
      });
      const notification = await eventually(
        async () => {
          const [row] = (await t.db.query(
            'SELECT type, title, data FROM notifications WHERE organization_id = $1 AND event_id = $2',
            [supplier.id, event.id],
          )) as Array<{ type: string; title: string; data: Record<string, unknown> }>;
          return row;
        },
        15_000,
        'bank account notification',
      );
      expect(notification.type).toBe('BANK_ACCOUNT_REGISTERED');
      // the notification names the account by its last four characters only
      expect(notification.title).toContain('…5432');
      expect(JSON.stringify(notification)).not.toContain(GB_IBAN_ELECTRONIC);
    });

    it('accepts an IBAN whose country is not the currency’s (a USD account in Germany)', async () => {
      const account = await registered(supplier.id, supplier.admin.token, {
        currency: 'USD',
        iban: DE_IBAN,
        holderName: 'Hengxin Precision Electronics Ltd',
      });
      expect(account).toMatchObject({ currency: 'USD', iban: DE_IBAN_ELECTRONIC, bic: null });
    });

    it('registers a Chinese account by account number and CNAPS code, with a Chinese holder name', async () => {
      const account = await registered(supplier.id, supplier.admin.token, {
        currency: 'CNY',
        ...CN_ACCOUNT,
        bic: 'ICBKCNBJ',
        holderName: CN_HOLDER,
      });
      expect(account).toMatchObject({
        organizationId: supplier.id,
        currency: 'CNY',
        iban: null,
        accountNumber: '6222020200001234567',
        bankCode: '102100099996',
        bic: 'ICBKCNBJ',
        holderName: CN_HOLDER,
      });
      const [event] = (await t.db.query(
        `SELECT data FROM audit_events WHERE action = 'organization.bank_account_registered' AND entity_id = $1`,
        [account.id],
      )) as Array<{ data: Record<string, unknown> }>;
      expect(event.data).toMatchObject({
        accountNumber: '6222020200001234567',
        bankCode: '102100099996',
        holderName: CN_HOLDER,
      });
    });

    it('lets the platform ADMIN register an account of any organisation, into that organisation’s chain', async () => {
      const account = await registered(financier.id, platform, {
        currency: 'EUR',
        iban: NL_IBAN,
        bic: 'ABNANL2A',
        holderName: 'Financier BV',
      });
      expect(account.organizationId).toBe(financier.id);
      expect(
        await countRows(
          t,
          'audit_events',
          `organization_id = $1 AND action = 'organization.bank_account_registered' AND entity_id = $2`,
          [financier.id, account.id],
        ),
      ).toBe(1);
    });

    it('refuses the same account in the same currency again with 409 DUPLICATE_BANK_ACCOUNT, writing nothing; another currency or organisation is another account', async () => {
      await registered(anchor.id, anchor.admin.token, {
        currency: 'EUR',
        iban: FR_IBAN,
        holderName: 'Anchor SA',
      });
      await registered(anchor.id, anchor.admin.token, {
        currency: 'CNY',
        ...CN_ACCOUNT,
        holderName: CN_HOLDER,
      });
      const before = await snapshot();
      // the same IBAN written differently is the same IBAN
      const iban = expectProblem(
        await register(anchor.id, anchor.admin.token, {
          currency: 'EUR',
          iban: 'fr14 2004 1010 0505 0001 3m02 606',
          holderName: 'Anchor SA (again)',
        }),
        409,
        'DUPLICATE_BANK_ACCOUNT',
      );
      expect(fieldCodes(iban)).toEqual(['iban:DUPLICATE']);
      const domestic = expectProblem(
        await register(anchor.id, anchor.admin.token, {
          currency: 'CNY',
          accountNumber: '6222020200001234567',
          bankCode: '102100099996',
          holderName: CN_HOLDER,
        }),
        409,
        'DUPLICATE_BANK_ACCOUNT',
      );
      expect(fieldCodes(domestic)).toEqual(['accountNumber:DUPLICATE', 'bankCode:DUPLICATE']);
      expect(await snapshot()).toEqual(before);
      // the same IBAN in USD, the same account number at another branch, or the same IBAN of
      // another organisation are different accounts
      await registered(anchor.id, anchor.admin.token, {
        currency: 'USD',
        iban: FR_IBAN,
        holderName: 'Anchor SA',
      });
      await registered(anchor.id, anchor.admin.token, {
        currency: 'CNY',
        accountNumber: CN_ACCOUNT.accountNumber,
        bankCode: '104100000004',
        holderName: CN_HOLDER,
      });
      await registered(stranger.id, stranger.admin.token, {
        currency: 'EUR',
        iban: FR_IBAN,
        holderName: 'Stranger SA',
      });
    });

    it('answers two simultaneous registrations of one account with one 201 and one 409', async () => {
      const body = { currency: 'CHF', iban: 'CH93 0076 2011 6238 5295 7', holderName: 'Anchor SA' };
      const responses = await Promise.all([
        register(anchor.id, anchor.admin.token, body),
        register(anchor.id, anchor.admin.token, body),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
      expect(
        await countRows(t, 'bank_accounts', `organization_id = $1 AND currency = 'CHF'`, [
          anchor.id,
        ]),
      ).toBe(1);
    });

    const good = { currency: 'EUR', iban: DE_IBAN, holderName: 'Hengxin GmbH' };
    it.each([
      [
        'a wrong IBAN check digit',
        { ...good, iban: 'GB83 WEST 1234 5698 7654 32' },
        ['iban:IBAN_CHECK_DIGITS'],
      ],
      [
        'a mistyped IBAN account digit',
        { ...good, iban: 'DE89 3704 0044 0532 0130 01' },
        ['iban:IBAN_CHECK_DIGITS'],
      ],
      [
        'an IBAN one character short',
        { ...good, iban: 'DE89 3704 0044 0532 0130 0' },
        ['iban:IBAN_LENGTH'],
      ],
      [
        'an IBAN of a country without IBANs',
        { ...good, iban: 'CN12 3456 7890 1234 5678' },
        ['iban:IBAN_COUNTRY'],
      ],
      [
        'an IBAN with punctuation',
        { ...good, iban: 'DE89-3704-0044-0532-0130-00' },
        ['iban:IBAN_FORMAT'],
      ],
      ['an IBAN as a JSON number', { ...good, iban: 8937040044053201 }, ['iban:IS_STRING']],
      ['a BIC of 7 characters', { ...good, bic: 'COBADEF' }, ['bic:BIC_FORMAT']],
      ['a BIC of no country', { ...good, bic: 'COBAQQFF' }, ['bic:BIC_COUNTRY']],
      [
        'a CNAPS code of 11 digits',
        {
          currency: 'CNY',
          accountNumber: '6222020200001234567',
          bankCode: '10210009999',
          holderName: CN_HOLDER,
        },
        ['bankCode:CNAPS_FORMAT'],
      ],
      [
        'an account number with a letter',
        {
          currency: 'CNY',
          accountNumber: '62220202000012X4567',
          bankCode: '102100099996',
          holderName: CN_HOLDER,
        },
        ['accountNumber:ACCOUNT_NUMBER_FORMAT'],
      ],
      [
        'an account number as a JSON number',
        {
          currency: 'CNY',
          accountNumber: 62220202000012,
          bankCode: '102100099996',
          holderName: CN_HOLDER,
        },
        ['accountNumber:IS_STRING'],
      ],
      [
        'both an IBAN and an account number with bank code',
        { ...good, ...CN_ACCOUNT },
        [
          'accountNumber:ACCOUNT_IDENTIFIER_CONFLICT',
          'bankCode:ACCOUNT_IDENTIFIER_CONFLICT',
          'iban:ACCOUNT_IDENTIFIER_CONFLICT',
        ],
      ],
      [
        'an IBAN and a bank code',
        { ...good, bankCode: '102100099996' },
        ['bankCode:ACCOUNT_IDENTIFIER_CONFLICT', 'iban:ACCOUNT_IDENTIFIER_CONFLICT'],
      ],
      [
        'neither an IBAN nor an account number',
        { currency: 'EUR', holderName: 'Hengxin GmbH' },
        ['accountNumber:ACCOUNT_IDENTIFIER_REQUIRED', 'iban:ACCOUNT_IDENTIFIER_REQUIRED'],
      ],
      [
        'nulls for both',
        { currency: 'EUR', iban: null, accountNumber: null, bankCode: null, holderName: 'X' },
        ['accountNumber:ACCOUNT_IDENTIFIER_REQUIRED', 'iban:ACCOUNT_IDENTIFIER_REQUIRED'],
      ],
      [
        'an account number without a bank code',
        { currency: 'CNY', accountNumber: '6222020200001234567', holderName: CN_HOLDER },
        ['bankCode:REQUIRED'],
      ],
      [
        'a bank code without an account number',
        { currency: 'CNY', bankCode: '102100099996', holderName: CN_HOLDER },
        ['accountNumber:REQUIRED'],
      ],
      [
        'no currency',
        { iban: DE_IBAN, holderName: 'Hengxin GmbH' },
        ['currency:IS_TRADE_CURRENCY'],
      ],
      [
        'a currency that is not ISO 4217',
        { ...good, currency: 'EURO' },
        ['currency:IS_TRADE_CURRENCY'],
      ],
      ['gold as currency', { ...good, currency: 'XAU' }, ['currency:IS_TRADE_CURRENCY']],
      ['a blank holder name', { ...good, holderName: '   ' }, ['holderName:MIN_LENGTH']],
      [
        'a holder name over 140 characters',
        { ...good, holderName: '名'.repeat(141) },
        ['holderName:MAX_LENGTH'],
      ],
      [
        'an unknown field',
        { ...good, organizationId: randomUUID() },
        ['organizationId:UNKNOWN_FIELD'],
      ],
    ])(
      'refuses %s with 422 problem+json naming the fields, writing nothing',
      async (_what, body, expected) => {
        const before = await snapshot();
        const problem = expectProblem(
          await register(supplier.id, supplier.admin.token, body),
          422,
          'VALIDATION_FAILED',
        );
        // exactly the offending fields, nothing about the ones that were right
        expect(fieldCodes(problem)).toEqual([...expected].sort());
        for (const error of problem.errors as Array<{ message: string }>)
          expect(error.message).toEqual(expect.any(String));
        expect(await snapshot()).toEqual(before);
      },
    );

    it('says what is wrong in words, not only in codes', async () => {
      const problem = expectProblem(
        await register(supplier.id, supplier.admin.token, {
          ...good,
          iban: 'DE89 3704 0044 0532 0130 0',
        }),
        422,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toEqual([
        {
          field: 'iban',
          code: 'IBAN_LENGTH',
          message: 'iban must have 22 characters for DE, not 21',
        },
      ]);
    });

    it('answers 403 to a non-ADMIN of the organisation, 404 to any other organisation (a program counterpart too), 401 without credentials', async () => {
      const before = await snapshot();
      const body = { currency: 'EUR', iban: 'BE68 5390 0754 7034', holderName: 'Hengxin BV' };
      for (const role of [Role.OPERATOR, Role.APPROVER, Role.VIEWER]) {
        expectProblem(
          await register(supplier.id, supplier.members[role]!.token, body),
          403,
          'FORBIDDEN',
        );
      }
      // the anchor and the financier see the supplier through their program, yet may not
      // register (or learn of) its accounts
      for (const token of [anchor.admin.token, financier.admin.token]) {
        expectStatus(
          await t
            .http()
            .get(`/api/v1/organizations/${supplier.id}`)
            .set(...bearer(token)),
          200,
        );
      }
      for (const token of [anchor.admin.token, financier.admin.token, stranger.admin.token]) {
        const problem = expectProblem(await register(supplier.id, token, body), 404, 'NOT_FOUND');
        expect(JSON.stringify(problem)).not.toContain(supplier.name);
      }
      expectProblem(await register(randomUUID(), platform, body), 404, 'NOT_FOUND');
      expectProblem(await register('not-a-uuid', platform, body), 404, 'NOT_FOUND');
      expectProblem(await register(supplier.id, null, body), 401, 'UNAUTHENTICATED');
      expect(await snapshot()).toEqual(before);
    });

    it('replays a repeated Idempotency-Key (201, the same body, one account), and refuses the key for another body', async () => {
      const send = (iban: string) =>
        t
          .http()
          .post(`/api/v1/organizations/${supplier.id}/bank-accounts`)
          .set(...bearer(supplier.admin.token))
          .set('Idempotency-Key', 'bank-account-1')
          .send({ currency: 'SEK', iban, holderName: 'Hengxin AB' });
      const first = await send('BE68 5390 0754 7034');
      expectStatus(first, 201);
      const afterFirst = await snapshot();
      const again = await send('BE68 5390 0754 7034');
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
      expect(
        await countRows(t, 'bank_accounts', `organization_id = $1 AND currency = 'SEK'`, [
          supplier.id,
        ]),
      ).toBe(1);
      expectProblem(await send(NL_IBAN), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await snapshot()).toEqual(afterFirst);
    });
  });

  describe('GET /organizations/:id/bank-accounts', () => {
    let own: Tenant;
    let accounts: BankAccountBody[];

    beforeAll(async () => {
      own = await createTenant(t, OrganizationKind.SUPPLIER, {
        platformToken: platform,
        roles: [Role.VIEWER, Role.OPERATOR],
      });
      accounts = [];
      for (const body of [
        { currency: 'EUR', iban: DE_IBAN, holderName: 'Own GmbH' },
        { currency: 'CNY', ...CN_ACCOUNT, holderName: CN_HOLDER },
        { currency: 'GBP', iban: GB_IBAN, holderName: 'Own Ltd' },
      ])
        accounts.push(await registered(own.id, own.admin.token, body));
    });

    it('lists the organisation’s accounts, newest first, to its members of any role', async () => {
      for (const token of [
        own.admin.token,
        own.members.VIEWER!.token,
        own.members.OPERATOR!.token,
      ]) {
        const response = await list(own.id, token);
        expectStatus(response, 200);
        expect(response.body).toEqual({ items: [...accounts].reverse(), nextCursor: null });
      }
    });

    it('pages with limit and cursor', async () => {
      const first = await list(own.id, own.admin.token, '?limit=2');
      expectStatus(first, 200);
      expect((first.body.items as BankAccountBody[]).map((item) => item.id)).toEqual([
        accounts[2].id,
        accounts[1].id,
      ]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await list(
        own.id,
        own.admin.token,
        `?limit=2&cursor=${encodeURIComponent(first.body.nextCursor as string)}`,
      );
      expectStatus(second, 200);
      expect(second.body).toEqual({ items: [accounts[0]], nextCursor: null });
      expectProblem(await list(own.id, own.admin.token, '?limit=0'), 422, 'VALIDATION_FAILED');
      expectProblem(
        await list(own.id, own.admin.token, '?cursor=nonsense'),
        422,
        'VALIDATION_FAILED',
      );
    });

    it('lists any organisation’s accounts to the platform', async () => {
      const response = await list(own.id, platform);
      expectStatus(response, 200);
      expect((response.body.items as BankAccountBody[]).map((item) => item.id)).toEqual(
        accounts.map((account) => account.id).reverse(),
      );
    });

    it('answers 404 to every other organisation, its program counterparts included, and 401 without credentials', async () => {
      for (const token of [anchor.admin.token, financier.admin.token, stranger.admin.token]) {
        const problem = expectProblem(await list(supplier.id, token), 404, 'NOT_FOUND');
        expect(JSON.stringify(problem)).not.toContain(GB_IBAN_ELECTRONIC);
      }
      expectProblem(await list(own.id, supplier.admin.token), 404, 'NOT_FOUND');
      expectProblem(await list(randomUUID(), platform), 404, 'NOT_FOUND');
      expectProblem(await list('not-a-uuid', platform), 404, 'NOT_FOUND');
      expectProblem(await list(own.id, null), 401, 'UNAUTHENTICATED');
    });

    it('shows each organisation only its own accounts', async () => {
      const response = await list(financier.id, financier.admin.token);
      expectStatus(response, 200);
      const items = response.body.items as BankAccountBody[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((item) => item.organizationId === financier.id)).toBe(true);
    });
  });

  describe('the table', () => {
    it('refuses a row with both an IBAN and an account number, or with neither, whatever the code does', async () => {
      const insert = (iban: string | null, accountNumber: string | null, bankCode: string | null) =>
        t.db.query(
          `INSERT INTO bank_accounts (organization_id, currency, iban, account_number, bank_code, holder_name)
           VALUES ($1, 'EUR', $2, $3, $4, 'X')`,
          [supplier.id, iban, accountNumber, bankCode],
        );
      for (const [iban, accountNumber, bankCode] of [
        [DE_IBAN_ELECTRONIC, '6222020200001234567', '102100099996'],
        [DE_IBAN_ELECTRONIC, null, '102100099996'],
        [null, null, null],
        [null, '6222020200001234567', null],
      ]) {
        await expect(insert(iban, accountNumber, bankCode)).rejects.toMatchObject({
          driverError: { code: '23514', constraint: 'bank_accounts_identifier_check' },
        });
      }
    });
  });

  describe('BankAccountsRepository.settlementAccount', () => {
    it('gives the organisation’s most recently registered account in the currency, or null', async () => {
      const repository = t.app.get(BankAccountsRepository);
      const owner = await createTenant(t, OrganizationKind.SUPPLIER, { platformToken: platform });
      expect(await repository.settlementAccount(owner.id, 'EUR')).toBeNull();
      const older = await registered(owner.id, owner.admin.token, {
        currency: 'EUR',
        iban: DE_IBAN,
        holderName: 'Owner GmbH',
      });
      await registered(owner.id, owner.admin.token, {
        currency: 'USD',
        iban: GB_IBAN,
        holderName: 'Owner Ltd',
      });
      expect((await repository.settlementAccount(owner.id, 'EUR'))?.id).toBe(older.id);
      const newer = await registered(owner.id, owner.admin.token, {
        currency: 'EUR',
        iban: NL_IBAN,
        holderName: 'Owner BV',
      });
      const settlement = await repository.settlementAccount(owner.id, 'EUR');
      expect(settlement).toMatchObject({
        id: newer.id,
        organizationId: owner.id,
        currency: 'EUR',
        iban: NL_IBAN,
        holderName: 'Owner BV',
      });
      expect((await repository.settlementAccount(owner.id, 'eur'))?.id).toBe(newer.id);
      expect((await repository.settlementAccount(owner.id, 'USD'))?.iban).toBe(GB_IBAN_ELECTRONIC);
      expect(await repository.settlementAccount(owner.id, 'CNY')).toBeNull();
      expect(await repository.settlementAccount(randomUUID(), 'EUR')).toBeNull();
    });
  });
});
