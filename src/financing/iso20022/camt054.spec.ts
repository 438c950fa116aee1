import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLog } from '../../infra/local-services/log';
import {
  Camt054ParseError,
  parseCamt054,
  type Camt054Notification,
  type Camt054Transaction,
} from './camt054';
import { buildCamt054, type Camt054DocumentInput } from './camt054-document';
import { ensureXmllint, validateIso20022 } from './iso20022-schema';

const FIXTURES = join(__dirname, '__fixtures__');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const MOOV_CREDIT =
  '200519_camt.054-Credit_P_CH2909000000250094239_1110092691_0_2019042421291293.xml';
const MOOV_ESR = '200519_camt054-ESR-ASR_P_CH2909000000250094239_1110092704_0_2019042500372179.xml';
const MOOV_SIX = '200924_camt.054_P_CH2909000000250094239_1110092703_0_2019042423412214.xml';

function tx(
  endToEndId: string | null,
  remittance: string[],
  amount: string,
  currency: string,
  accountServicerReference: string | null,
): Camt054Transaction {
  return { endToEndId, remittance, amount, currency, accountServicerReference };
}

function refusal(run: () => unknown): Camt054ParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof Camt054ParseError) return error;
    throw error;
  }
  throw new Error('expected a Camt054ParseError');
}

beforeAll(async () => {
  await ensureXmllint({ install: false, log: silentLog });
});

describe('parseCamt054 on the genkgo/camt samples', () => {
  /** v4 and v8 carry the same notification; only the status and agent markup differ. */
  const genkgo = (version: string): Camt054Notification => ({
    version,
    messageId: 'AAAASESS-FP-ACCR001',
    createdAt: '2007-10-18T12:30:00+01:00',
    accountIban: 'CH2801234000123456789',
    accountOther: null,
    entries: [
      {
        entryReference: 'ACSR160617103200001',
        amount: '200000',
        currency: 'SEK',
        creditDebit: 'DBIT',
        status: 'BOOK',
        bookingDate: '2007-10-18',
        valueDate: '2007-10-18',
        transactions: [
          tx(
            'UXC06170000006PI00001EE00001',
            ['Unstructured Remittance Information V1', 'ISR ref number V1'],
            '3.1',
            'CHF',
            null,
          ),
          tx('UXC06170000006PI00001EE00002', ['ISR ref number V2'], '3.2', 'CHF', null),
          tx(
            'UXC06170000006PI00001EE00002',
            [
              'Unstructured Remittance Information V3 block 1',
              'Unstructured Remittance Information V3 block 2',
              'Ref number V3 block 1',
              'Ref number V3 block 2',
            ],
            '3.2',
            'CHF',
            null,
          ),
        ],
      },
    ],
  });

  it('camt054.v4.xml (001.04, Sts as a code)', () => {
    expect(parseCamt054(fixture('camt054.v4.xml'))).toEqual(genkgo('001.04'));
  });

  it('camt054.v8.xml (001.08, Sts/Cd)', () => {
    expect(parseCamt054(fixture('camt054.v8.xml'))).toEqual(genkgo('001.08'));
  });

  it('camt054.v2.xml (001.02): Othr account, BookgDt/DtTm, TxDtls without amounts', () => {
    const result = parseCamt054(fixture('camt054.v2.xml'));
    const shared = { amount: '200000', currency: 'SEK', accountServicerReference: null };
    expect(result).toEqual({
      version: '001.02',
      messageId: 'AAAASESS-FP-ACCR001',
      createdAt: '2007-10-18T12:30:00+01:00',
      accountIban: null,
      accountOther: 'CH2801234000123456789',
      entries: [
        {
          // no NtryRef: the AcctSvcrRef
          entryReference: 'AAAASESS-FP-ACCR001',
          amount: '200000',
          currency: 'SEK',
          creditDebit: 'DBIT',
          status: 'BOOK',
          // <DtTm>2007-10-18T13:15:00+01:00</DtTm>: the bank's day as written
          bookingDate: '2007-10-18',
          valueDate: '2007-10-18',
          transactions: [
            {
              endToEndId: 'MUELL/FINP/RA12345',
              remittance: ['Unstructured Remittance Information V1', 'ISR ref number V1'],
              ...shared,
              amountFromEntry: true,
            },
            {
              endToEndId: 'MUELL/FINP/RA12345',
              remittance: ['ISR ref number V2'],
              ...shared,
              amountFromEntry: true,
            },
            {
              endToEndId: 'MUELL/FINP/RA12345',
              remittance: [
                'Unstructured Remittance Information V3 block 1',
                'Unstructured Remittance Information V3 block 2',
                'Ref number V3 block 1',
                'Ref number V3 block 2',
              ],
              ...shared,
              amountFromEntry: true,
            },
          ],
        },
      ],
    });
  });
});

describe('parseCamt054 on the moov-io/iso20022 (PostFinance) samples', () => {
  it('a single credit with one TxDtls carrying only the bank reference', () => {
    expect(parseCamt054(fixture(MOOV_CREDIT))).toEqual({
      version: '001.04',
      messageId: '201904245375204223076552',
      createdAt: '2019-04-24T21:28:58',
      accountIban: 'CH2909000000250094239',
      accountOther: null,
      entries: [
        {
          entryReference: '074820002ZZ9J42U',
          amount: '1500.00',
          currency: 'CHF',
          creditDebit: 'CRDT',
          status: 'BOOK',
          bookingDate: '2019-04-24',
          valueDate: '2019-04-25',
          transactions: [tx(null, [], '1500.00', 'CHF', '074820002ZZ9J42U')],
        },
      ],
    });
  });

  it('ESR/ASR: NtryRef, structured creditor references, a credit and a debit entry', () => {
    const isr = '120000000000234478943216899';
    expect(parseCamt054(fixture(MOOV_ESR))).toEqual({
      version: '001.04',
      messageId: '20190424375204228750928',
      createdAt: '2019-04-25T00:20:05',
      accountIban: 'CH2909000000250094239',
      accountOther: null,
      entries: [
        {
          entryReference: '014295803',
          amount: '1537.00',
          currency: 'CHF',
          creditDebit: 'CRDT',
          status: 'BOOK',
          bookingDate: '2019-04-24',
          valueDate: '2019-04-25',
          transactions: [
            tx('EndToEndId-001-02-02', [isr], '250.00', 'CHF', '180315CH02ZX5RI3'),
            tx('EndToEndId-001-02-01', [isr], '200.00', 'CHF', '180315CH02ZX5RI4'),
            tx('EndToEndId-001-02-03', [isr], '300.00', 'CHF', '180315CH02ZX5RI5'),
            tx(null, ['359335273113716998981168243'], '324.00', 'CHF', '180315CH02ZZ4OOX'),
            tx(null, ['684388397169969395754931859'], '463.00', 'CHF', '180315CH02ZZ4OOY'),
          ],
        },
        {
          entryReference: '020010001',
          amount: '147.00',
          currency: 'CHF',
          creditDebit: 'DBIT',
          status: 'BOOK',
          bookingDate: '2019-04-24',
          valueDate: '2019-04-25',
          transactions: [
            tx(null, ['100041698214115449371805270'], '147.00', 'CHF', '180410CH02UZ2PC1'),
          ],
        },
      ],
    });
  });

  it('six credits in one entry with Ustrd; proprietary Refs/Prtry/Ref is not remittance', () => {
    const result = parseCamt054(fixture(MOOV_SIX));
    expect(result).toMatchObject({
      version: '001.04',
      messageId: '2019042475204228731867',
      createdAt: '2020-06-17T23:33:09',
      accountIban: 'CH2909000000250094239',
    });
    expect(result.entries).toHaveLength(1);
    const [entry] = result.entries;
    expect(entry).toMatchObject({
      entryReference: '0000000000000001',
      amount: '1500.00',
      creditDebit: 'CRDT',
      bookingDate: '2020-06-17',
      valueDate: '2020-06-17',
    });
    expect(entry.transactions).toEqual([
      tx('EndToEndId-001-03-01', ['Kontouebertrag'], '400.00', 'CHF', '0000000000000001'),
      tx('EndToEndId-001-03-02', ['Kontouebertrag'], '350.00', 'CHF', '0000000000000002'),
      tx('EndToEndId-001-03-03', ['Kontouebertrag'], '450.00', 'CHF', '0000000000000003'),
      tx('EndToEndId-001-03-04', ['Rg.-Nr. 001'], '150.00', 'CHF', '0000000000000004'),
      tx('EndToEndId-001-03-05', ['Rg.-Nr. 1234567890'], '50.00', 'CHF', '0000000000000005'),
      tx('EndToEndId-001-03-06', ['Rg.-Nr. 987654321'], '100.00', 'CHF', '0000000000000006'),
    ]);
  });

  it('takes bytes too (a Buffer with a UTF-8 byte order mark)', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      readFileSync(join(FIXTURES, MOOV_CREDIT)),
    ]);
    expect(parseCamt054(bytes).messageId).toBe('201904245375204223076552');
  });
});

describe('buildCamt054 (the anchor bank’s file) and back', () => {
  const input: Camt054DocumentInput = {
    messageId: 'ANCHORBANK-20261215-001',
    createdAt: new Date('2026-12-15T17:05:09.123Z'),
    account: { other: '31050161393600001234' },
    entries: [
      {
        entryReference: 'BK-20261215-000001',
        amount: '1250000',
        currency: 'CNY',
        creditDebit: 'CRDT',
        bookingDate: '2026-12-15',
        valueDate: '2026-12-15',
        endToEndId: 'FIN-CN-0001',
        remittance: ['融资编号 FIN-CN-0001 发票 INV-2026-0815', '上海浦东精密零件有限公司'],
      },
      {
        entryReference: 'BK-20261215-000002',
        amount: '1500000',
        currency: 'JPY',
        creditDebit: 'CRDT',
        bookingDate: '2026-12-15',
        valueDate: '2026-12-16',
        remittance: 'FIN-JP-0001 & <partial>',
      },
      {
        entryReference: 'BK-20261215-000003',
        amount: '12.5',
        currency: 'CNY',
        creditDebit: 'DBIT',
        bookingDate: '2026-12-15',
        valueDate: '2026-12-15',
        status: 'PDNG',
      },
    ],
  };
  const expected: Camt054Notification = {
    version: '001.08',
    messageId: 'ANCHORBANK-20261215-001',
    createdAt: '2026-12-15T17:05:09Z',
    accountIban: null,
    accountOther: '31050161393600001234',
    entries: [
      {
        entryReference: 'BK-20261215-000001',
        amount: '1250000.00',
        currency: 'CNY',
        creditDebit: 'CRDT',
        status: 'BOOK',
        bookingDate: '2026-12-15',
        valueDate: '2026-12-15',
        transactions: [
          tx(
            'FIN-CN-0001',
            ['融资编号 FIN-CN-0001 发票 INV-2026-0815', '上海浦东精密零件有限公司'],
            '1250000.00',
            'CNY',
            'BK-20261215-000001',
          ),
        ],
      },
      {
        entryReference: 'BK-20261215-000002',
        amount: '1500000',
        currency: 'JPY',
        creditDebit: 'CRDT',
        status: 'BOOK',
        bookingDate: '2026-12-15',
        valueDate: '2026-12-16',
        transactions: [
          tx(null, ['FIN-JP-0001 & <partial>'], '1500000', 'JPY', 'BK-20261215-000002'),
        ],
      },
      {
        entryReference: 'BK-20261215-000003',
        amount: '12.50',
        currency: 'CNY',
        creditDebit: 'DBIT',
        status: 'PDNG',
        bookingDate: '2026-12-15',
        valueDate: '2026-12-15',
        transactions: [tx(null, [], '12.50', 'CNY', 'BK-20261215-000003')],
      },
    ],
  };

  it('validates against camt.054.001.08.xsd and parses back to the same figures', async () => {
    // A Chinese account number (China has no IBAN): Acct/Id/Othr/Id
    const xml = buildCamt054(input);
    await expect(validateIso20022(xml, 'camt.054.001.08')).resolves.toEqual({ valid: true });
    expect(parseCamt054(xml)).toEqual(expected);
  });

  it('an IBAN account (spaces removed) as Acct/Id/IBAN', async () => {
    const xml = buildCamt054({ ...input, account: { iban: 'DE89 3704 0044 0532 0130 00' } });
    await expect(validateIso20022(xml, 'camt.054.001.08')).resolves.toEqual({ valid: true });
    expect(parseCamt054(xml)).toEqual({
      ...expected,
      accountIban: 'DE89370400440532013000',
      accountOther: null,
    });
  });

  it('an empty notification is valid too', async () => {
    const xml = buildCamt054({ ...input, account: { other: '1' }, entries: [] });
    await expect(validateIso20022(xml, 'camt.054.001.08')).resolves.toEqual({ valid: true });
    expect(parseCamt054(xml).entries).toEqual([]);
  });

  it('the same content under the 001.12 namespace is valid 001.12 and parses as 001.12', async () => {
    const xml = buildCamt054(input).replace('camt.054.001.08', 'camt.054.001.12');
    await expect(validateIso20022(xml, 'camt.054.001.12')).resolves.toEqual({ valid: true });
    expect(parseCamt054(xml).version).toBe('001.12');
  });

  it('BookgDt/DtTm with an offset gives the date as written', () => {
    const xml = buildCamt054(input).replace(
      /<BookgDt>\s*<Dt>2026-12-15<\/Dt>/,
      '<BookgDt><DtTm>2026-12-15T23:30:00+08:00</DtTm>',
    );
    expect(xml).toContain('<DtTm>2026-12-15T23:30:00+08:00</DtTm>');
    expect(parseCamt054(xml).entries[0].bookingDate).toBe('2026-12-15');
  });

  it.each([
    [{ messageId: 'M'.repeat(36) }, /message id .* at most 35/],
    [{ account: {} }, /neither an IBAN nor another id/],
    [{ account: { iban: 'DE00370400440532013000' } }, /wrong IBAN check digits/],
  ])('refuses %j', (change, message) => {
    expect(() => buildCamt054({ ...input, ...change })).toThrow(message);
  });

  it.each([
    [{ amount: '0' }, /not positive/],
    [{ amount: '-1.00' }, /not positive/],
    [{ amount: '1.001' }, /more decimals than CNY allows/],
    [{ bookingDate: '2026-13-01' }, /booking date .* not a YYYY-MM-DD date/],
    [{ entryReference: '' }, /entry reference is missing/],
    [{ endToEndId: 'E'.repeat(36) }, /end-to-end id .* at most 35/],
  ])('refuses an entry with %j', (change, message) => {
    const entries = [{ ...input.entries[0], ...change }];
    expect(() => buildCamt054({ ...input, entries })).toThrow(message);
  });
});

describe('parseCamt054 refuses', () => {
  const valid = fixture(MOOV_CREDIT);

  it('a document that is not well-formed', () => {
    const error = refusal(() => parseCamt054(valid.replace('</Ntry>', '')));
    expect(error.code).toBe('MALFORMED');
    expect(error.message).toMatch(/Not well-formed XML/);
    expect(error.details.line).toBeGreaterThan(1);
  });

  it('a truncated document, an empty one, text that is no XML', () => {
    for (const text of [valid.slice(0, 400), '', 'not xml at all']) {
      expect(refusal(() => parseCamt054(text)).code).toBe('MALFORMED');
    }
  });

  it('a DOCTYPE (no entity expansion), before anything is parsed', () => {
    const laughs =
      '<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n' +
      valid.replace(/^<\?xml[^>]*>\s*/, '').replace('SPS/1.6/PROD', '&b;');
    const error = refusal(() => parseCamt054(laughs));
    expect(error.code).toBe('DTD_NOT_ALLOWED');
    expect(error.message).toBe('A DOCTYPE declaration is not accepted');
    const external = valid.replace(
      /^(<\?xml[^>]*>)/,
      '$1<!DOCTYPE Document SYSTEM "file:///etc/passwd">',
    );
    expect(refusal(() => parseCamt054(external)).code).toBe('DTD_NOT_ALLOWED');
  });

  it('an entity that no DTD defines', () => {
    const error = refusal(() => parseCamt054(valid.replace('SPS/1.6/PROD', '&nbsp;')));
    expect(error).toMatchObject({ code: 'MALFORMED', message: 'The entity &nbsp; is not defined' });
  });

  it('another message (a pain.001), another camt (camt.053), another camt.054 version', () => {
    const pain = refusal(() => parseCamt054(fixture('abn pain.001.001.03 voorbeeldbestand.xml')));
    expect(pain.code).toBe('NOT_CAMT054');
    expect(pain.message).toMatch(
      /Document in namespace urn:iso:std:iso:20022:tech:xsd:pain.001.001.03; expected a Document in one of urn:iso:std:iso:20022:tech:xsd:camt.054.001.02/,
    );
    const camt053 = valid.replace('camt.054.001.04', 'camt.053.001.04');
    expect(refusal(() => parseCamt054(camt053)).code).toBe('NOT_CAMT054');
    const v06 = valid.replace('camt.054.001.04', 'camt.054.001.06');
    expect(refusal(() => parseCamt054(v06)).code).toBe('NOT_CAMT054');
    const noNamespace = valid.replace(/ xmlns="[^"]*"/, '');
    expect(refusal(() => parseCamt054(noNamespace)).message).toMatch(/namespace \(none\)/);
    const wrongBody = valid.replace(/BkToCstmrDbtCdtNtfctn/g, 'BkToCstmrStmt');
    expect(refusal(() => parseCamt054(wrongBody)).code).toBe('NOT_CAMT054');
  });

  it.each([
    [
      'an amount with a thousands separator',
      '>1500.00</Amt>\n\t\t\t\t<CdtDbtInd>',
      '>1,500.00</Amt>\n\t\t\t\t<CdtDbtInd>',
      /not a decimal/,
    ],
    [
      'a negative amount',
      '>1500.00</Amt>\n\t\t\t\t<CdtDbtInd>',
      '>-1500.00</Amt>\n\t\t\t\t<CdtDbtInd>',
      /not a decimal/,
    ],
    [
      'an amount without currency',
      '<Amt Ccy="CHF">1500.00</Amt>\n\t\t\t\t<CdtDbtInd>',
      '<Amt>1500.00</Amt>\n\t\t\t\t<CdtDbtInd>',
      /currency "" is not a code/,
    ],
    [
      'an unknown credit/debit code',
      '<CdtDbtInd>CRDT</CdtDbtInd>\n\t\t\t\t<RvslInd>',
      '<CdtDbtInd>CR</CdtDbtInd>\n\t\t\t\t<RvslInd>',
      /CdtDbtInd is CR/,
    ],
    [
      'a booking date that is no date',
      '<Dt>2019-04-24</Dt>',
      '<Dt>24.04.2019</Dt>',
      /not an ISO date/,
    ],
    ['an entry without status', '<Sts>BOOK</Sts>', '', /no status/],
    [
      'a message without MsgId',
      '<MsgId>201904245375204223076552</MsgId>',
      '',
      /GrpHdr\/MsgId is missing/,
    ],
  ])('%s (INVALID_CONTENT)', (_what, from, to, message) => {
    expect(valid).toContain(from);
    const error = refusal(() => parseCamt054(valid.replace(from, to)));
    expect(error.code).toBe('INVALID_CONTENT');
    expect(error.message).toMatch(message);
  });

  it('a message about two different accounts', () => {
    const notification = /<Ntfctn>[\s\S]*<\/Ntfctn>/.exec(valid)![0];
    const other = notification.replace('CH2909000000250094239', 'CH5109000000250092291');
    const error = refusal(() => parseCamt054(valid.replace(notification, notification + other)));
    expect(error.code).toBe('INVALID_CONTENT');
    expect(error.message).toMatch(/more than one account .* one account per file/);
  });
});

describe('parseCamt054 details', () => {
  const base = buildCamt054({
    messageId: 'M-1',
    createdAt: new Date('2026-12-15T00:00:00Z'),
    account: { other: '1' },
    entries: [
      {
        entryReference: 'R1',
        amount: '10.00',
        currency: 'EUR',
        creditDebit: 'CRDT',
        bookingDate: '2026-12-15',
        valueDate: '2026-12-15',
        endToEndId: 'NOTPROVIDED',
        remittance: 'x',
      },
    ],
  });

  it('an entry without TxDtls is one transaction for the entry amount', () => {
    const xml = base.replace(/<NtryDtls>[\s\S]*<\/NtryDtls>/, '');
    expect(xml).not.toContain('TxDtls');
    expect(parseCamt054(xml).entries[0].transactions).toEqual([
      {
        endToEndId: null,
        remittance: [],
        amount: '10.00',
        currency: 'EUR',
        accountServicerReference: 'R1',
        amountFromEntry: true,
      },
    ]);
  });

  it('"NOTPROVIDED" as end-to-end id means none', () => {
    expect(parseCamt054(base).entries[0].transactions[0].endToEndId).toBeNull();
  });

  it('character references decode (&#x4E2D;&#25991; is 中文)', () => {
    const xml = base.replace('<Ustrd>x</Ustrd>', '<Ustrd>&#x4E2D;&#25991; &amp;#x41;</Ustrd>');
    expect(parseCamt054(xml).entries[0].transactions[0].remittance).toEqual(['中文 &#x41;']);
  });

  it('an entry with neither NtryRef nor AcctSvcrRef gets a stable hash; identical twins differ', () => {
    const bare = base
      .replace('<NtryRef>R1</NtryRef>', '')
      .replace(/<AcctSvcrRef>R1<\/AcctSvcrRef>\s*<BkTxCd>/, '<BkTxCd>');
    const entry = /<Ntry>[\s\S]*<\/Ntry>/.exec(bare)![0];
    const twins = bare.replace(entry, entry + entry);
    const first = parseCamt054(twins).entries.map((e) => e.entryReference);
    expect(first[0]).toMatch(/^sha256:[0-9a-f]{28}$/);
    expect(first[0]).not.toBe(first[1]);
    // the same content read again, re-indented, gives the same references
    const again = parseCamt054(twins.replace(/\n\s*/g, '\n')).entries.map((e) => e.entryReference);
    expect(again).toEqual(first);
    // a single such entry gets the first twin's reference
    expect(parseCamt054(bare).entries[0].entryReference).toBe(first[0]);
  });
});
