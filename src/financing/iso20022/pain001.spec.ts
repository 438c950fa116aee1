import { XMLParser } from 'fast-xml-parser';
import { silentLog } from '../../infra/local-services/log';
import { ensureXmllint, validateIso20022 } from './iso20022-schema';
import {
  buildPain001,
  type CreditTransfer,
  type PaymentBatch,
  type Pain001Version,
  type SettlementAccount,
} from './pain001';

const VERSIONS: readonly Pain001Version[] = ['001.001.12', '001.001.03'];

const ibanDebtor: SettlementAccount = {
  iban: 'DE89 3704 0044 0532 0130 00',
  bic: 'COBADEFFXXX',
  currency: 'EUR',
  holderName: 'Hanse Factoring GmbH',
};
const chineseDebtor: SettlementAccount = {
  accountNumber: '31050161393600001234',
  bankCode: '105290036005',
  currency: 'CNY',
  holderName: '华夏商业保理有限公司',
};
const ibanCreditor: SettlementAccount = {
  iban: 'GB82WEST12345698765432',
  bic: 'NWBKGB2L',
  currency: 'EUR',
  holderName: 'Westbury Components Ltd',
};
const chineseCreditor: SettlementAccount = {
  accountNumber: '6222020200112233445',
  bankCode: '102100099996',
  currency: 'CNY',
  holderName: '上海浦东精密零件有限公司',
};
const japaneseCreditor: SettlementAccount = {
  accountNumber: '1234567',
  bic: 'MHCBJPJT',
  currency: 'JPY',
  holderName: 'Osaka Seimitsu KK',
};

function transfer(overrides: Partial<CreditTransfer> = {}): CreditTransfer {
  return {
    endToEndId: 'FIN-2026-000101',
    amount: '98765.43',
    currency: 'EUR',
    creditor: { name: 'Westbury Components Ltd', account: ibanCreditor },
    remittanceInformation: 'Early payment of invoice INV-4711 under programme P-7',
    ...overrides,
  };
}

function batch(overrides: Partial<PaymentBatch> = {}): PaymentBatch {
  return {
    messageId: 'SCF-20261103-0001',
    createdAt: new Date('2026-11-03T08:15:30.250Z'),
    initiatingParty: { name: 'Hanse Factoring GmbH', registrationId: 'HRB 123456' },
    debtor: { name: 'Hanse Factoring GmbH', account: ibanDebtor },
    requestedExecutionDate: '2026-11-04',
    transfers: [transfer()],
    ...overrides,
  };
}

/** Several currencies, a Chinese and a Japanese creditor, two transfers in CNY. */
const multiCurrency = (): PaymentBatch =>
  batch({
    debtor: { name: '华夏商业保理有限公司', account: chineseDebtor },
    initiatingParty: { name: '华夏商业保理有限公司', registrationId: '91310115MA1K4ABC2X' },
    transfers: [
      transfer({
        endToEndId: 'FIN-CN-0001',
        amount: '1250000',
        currency: 'CNY',
        creditor: { name: '上海浦东精密零件有限公司', account: chineseCreditor },
        remittanceInformation: '提前支付发票 INV-2026-0815 融资编号 FIN-CN-0001',
      }),
      transfer({ endToEndId: 'FIN-EU-0001', amount: '10000.5', currency: 'EUR' }),
      transfer({
        endToEndId: 'FIN-JP-0001',
        amount: '1500000',
        currency: 'JPY',
        creditor: { name: '大阪精密株式会社', account: japaneseCreditor },
      }),
      transfer({
        endToEndId: 'FIN-CN-0002',
        amount: '350000.10',
        currency: 'CNY',
        creditor: { name: '上海浦东精密零件有限公司', account: chineseCreditor },
      }),
      transfer({ endToEndId: 'FIN-US-0001', amount: '98765.43', currency: 'USD' }),
    ],
  });

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['PmtInf', 'CdtTrfTxInf', 'Ustrd'].includes(name),
});

/* eslint-disable @typescript-eslint/no-explicit-any -- reading a parsed tree in assertions */
function parse(xml: string): any {
  return parser.parse(xml).Document.CstmrCdtTrfInitn;
}

async function expectValid(xml: string, version: Pain001Version): Promise<void> {
  await expect(validateIso20022(xml, `pain.${version}` as 'pain.001.001.12')).resolves.toEqual({
    valid: true,
  });
}

beforeAll(async () => {
  // Tests never apt-get: a machine without xmllint fails here, saying how to install it.
  await ensureXmllint({ install: false, log: silentLog });
});

describe.each(VERSIONS)('buildPain001 %s', (version) => {
  const namespace = `urn:iso:std:iso:20022:tech:xsd:pain.${version}`;

  it('IBAN debtor and creditor with BICs: valid against the official XSD', async () => {
    const xml = buildPain001(batch(), version);
    await expectValid(xml, version);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(xml).toContain(`<Document xmlns="${namespace}">`);
    const doc = parse(xml);
    const bic = version === '001.001.12' ? 'BICFI' : 'BIC';
    expect(doc.GrpHdr).toMatchObject({
      MsgId: 'SCF-20261103-0001',
      CreDtTm: '2026-11-03T08:15:30Z',
      NbOfTxs: '1',
      CtrlSum: '98765.43',
      InitgPty: { Nm: 'Hanse Factoring GmbH', Id: { OrgId: { Othr: { Id: 'HRB 123456' } } } },
    });
    const [info] = doc.PmtInf;
    expect(info).toMatchObject({
      PmtInfId: 'SCF-20261103-0001-EUR',
      PmtMtd: 'TRF',
      NbOfTxs: '1',
      CtrlSum: '98765.43',
      DbtrAcct: { Id: { IBAN: 'DE89370400440532013000' }, Ccy: 'EUR' },
      DbtrAgt: { FinInstnId: { [bic]: 'COBADEFFXXX' } },
    });
    expect(info.ReqdExctnDt).toEqual(
      version === '001.001.12' ? { Dt: '2026-11-04' } : '2026-11-04',
    );
    const [tx] = info.CdtTrfTxInf;
    expect(tx).toEqual({
      PmtId: { EndToEndId: 'FIN-2026-000101' },
      Amt: { InstdAmt: { '#text': '98765.43', '@_Ccy': 'EUR' } },
      CdtrAgt: { FinInstnId: { [bic]: 'NWBKGB2L' } },
      Cdtr: { Nm: 'Westbury Components Ltd' },
      CdtrAcct: {
        Id: { IBAN: 'GB82WEST12345698765432' },
        Ccy: 'EUR',
        Nm: 'Westbury Components Ltd',
      },
      RmtInf: { Ustrd: ['Early payment of invoice INV-4711 under programme P-7'] },
    });
  });

  it('Chinese accounts: CNAPS bank code as ClrSysMmbId, Chinese names kept; valid', async () => {
    const xml = buildPain001(multiCurrency(), version);
    await expectValid(xml, version);
    // UTF-8 text, not character references
    expect(xml).toContain('<Nm>上海浦东精密零件有限公司</Nm>');
    expect(Buffer.from(xml, 'utf8').toString('utf8')).toBe(xml);
    const doc = parse(xml);
    const cny = doc.PmtInf[0];
    expect(cny.Dbtr).toEqual({ Nm: '华夏商业保理有限公司' });
    expect(cny.DbtrAcct).toEqual({
      Id: { Othr: { Id: '31050161393600001234' } },
      Ccy: 'CNY',
      Nm: '华夏商业保理有限公司',
    });
    expect(cny.DbtrAgt).toEqual({
      FinInstnId: { ClrSysMmbId: { ClrSysId: { Cd: 'CNAPS' }, MmbId: '105290036005' } },
    });
    const [first] = cny.CdtTrfTxInf;
    expect(first.CdtrAgt).toEqual({
      FinInstnId: { ClrSysMmbId: { ClrSysId: { Cd: 'CNAPS' }, MmbId: '102100099996' } },
    });
    expect(first.CdtrAcct.Id).toEqual({ Othr: { Id: '6222020200112233445' } });
    expect(first.RmtInf.Ustrd).toEqual(['提前支付发票 INV-2026-0815 融资编号 FIN-CN-0001']);
  });

  it('one PmtInf per currency, in order of appearance, with NbOfTxs and CtrlSum right', async () => {
    const xml = buildPain001(multiCurrency(), version);
    const doc = parse(xml);
    expect(doc.GrpHdr.NbOfTxs).toBe('5');
    // 1250000 + 10000.5 + 1500000 + 350000.10 + 98765.43, at the largest minor unit (2)
    expect(doc.GrpHdr.CtrlSum).toBe('3208766.03');
    const summary = doc.PmtInf.map((info: any) => ({
      id: info.PmtInfId,
      count: info.NbOfTxs,
      sum: info.CtrlSum,
      transfers: info.CdtTrfTxInf.map((tx: any) => [
        tx.PmtId.EndToEndId,
        tx.Amt.InstdAmt['#text'],
        tx.Amt.InstdAmt['@_Ccy'],
      ]),
    }));
    expect(summary).toEqual([
      {
        id: 'SCF-20261103-0001-CNY',
        count: '2',
        sum: '1600000.10',
        transfers: [
          ['FIN-CN-0001', '1250000.00', 'CNY'],
          ['FIN-CN-0002', '350000.10', 'CNY'],
        ],
      },
      {
        id: 'SCF-20261103-0001-EUR',
        count: '1',
        sum: '10000.50',
        transfers: [['FIN-EU-0001', '10000.50', 'EUR']],
      },
      {
        id: 'SCF-20261103-0001-JPY',
        count: '1',
        sum: '1500000',
        transfers: [['FIN-JP-0001', '1500000', 'JPY']],
      },
      {
        id: 'SCF-20261103-0001-USD',
        count: '1',
        sum: '98765.43',
        transfers: [['FIN-US-0001', '98765.43', 'USD']],
      },
    ]);
    // Every PmtInf debits the same account.
    for (const info of doc.PmtInf)
      expect(info.DbtrAcct.Id).toEqual({ Othr: { Id: '31050161393600001234' } });
  });

  it('a debtor bank with neither BIC nor bank code: FinInstnId/Othr/Id NOTPROVIDED; valid', async () => {
    const xml = buildPain001(
      batch({
        initiatingParty: { name: 'Hanse Factoring GmbH' },
        debtor: {
          name: 'Hanse Factoring GmbH',
          account: { iban: 'DE89370400440532013000', currency: 'EUR', holderName: '' },
        },
        transfers: [
          transfer({
            creditor: {
              name: 'Westbury Components Ltd',
              account: { iban: 'GB82WEST12345698765432', currency: 'GBP', holderName: ' ' },
            },
          }),
        ],
      }),
      version,
    );
    await expectValid(xml, version);
    const info = parse(xml).PmtInf[0];
    expect(info.DbtrAgt).toEqual({ FinInstnId: { Othr: { Id: 'NOTPROVIDED' } } });
    expect(info.DbtrAcct).toEqual({ Id: { IBAN: 'DE89370400440532013000' }, Ccy: 'EUR' });
    // CdtrAgt is optional: left out rather than invented
    expect(info.CdtTrfTxInf[0].CdtrAgt).toBeUndefined();
    expect(parse(xml).GrpHdr.InitgPty).toEqual({ Nm: 'Hanse Factoring GmbH' });
  });

  it('a BIC and a CNAPS code together: both, in schema order; valid', async () => {
    const xml = buildPain001(
      batch({
        debtor: {
          name: 'Hanse Factoring GmbH',
          account: { ...chineseDebtor, bic: 'PCBCCNBJSHX' },
        },
      }),
      version,
    );
    await expectValid(xml, version);
    const bic = version === '001.001.12' ? 'BICFI' : 'BIC';
    expect(xml).toMatch(
      new RegExp(`<${bic}>PCBCCNBJSHX</${bic}>\\s*<ClrSysMmbId>\\s*<ClrSysId>\\s*<Cd>CNAPS</Cd>`),
    );
  });

  it('text over a MaxNText limit is cut by characters, never inside a surrogate pair; valid', async () => {
    const longName = '深圳前海供应链管理有限公司'.repeat(12); // 13 × 12 = 156 characters
    const emojiAtLimit = `${'a'.repeat(139)}😀${'b'.repeat(20)}`; // the 140th character is astral
    const xml = buildPain001(
      batch({
        transfers: [
          transfer({
            creditor: {
              name: longName,
              account: { ...chineseCreditor, holderName: longName },
            },
            remittanceInformation: emojiAtLimit,
          }),
          transfer({
            endToEndId: 'FIN-2026-000102',
            remittanceInformation: `发票号码\u0000 ${'汇'.repeat(200)}\n第二行`,
          }),
        ],
      }),
      version,
    );
    await expectValid(xml, version);
    const [first, second] = parse(xml).PmtInf[0].CdtTrfTxInf;
    expect(Array.from(first.Cdtr.Nm as string)).toHaveLength(140);
    expect(first.Cdtr.Nm).toBe(longName.slice(0, 140));
    expect(Array.from(first.CdtrAcct.Nm as string)).toHaveLength(70);
    expect(first.RmtInf.Ustrd[0]).toBe(`${'a'.repeat(139)}😀`);
    // control characters dropped, whitespace folded, 140 characters
    const line: string = second.RmtInf.Ustrd[0];
    expect(line.startsWith(`发票号码 ${'汇'.repeat(10)}`)).toBe(true);
    expect(Array.from(line)).toHaveLength(140);
  });

  it('a lone surrogate becomes U+FFFD (XML cannot carry it); valid', async () => {
    const xml = buildPain001(
      batch({ transfers: [transfer({ remittanceInformation: `broken \uD83D pair` })] }),
      version,
    );
    await expectValid(xml, version);
    expect(parse(xml).PmtInf[0].CdtTrfTxInf[0].RmtInf.Ustrd[0]).toBe('broken \uFFFD pair');
  });

  it('markup characters in names are escaped; valid', async () => {
    const xml = buildPain001(
      batch({ debtor: { name: 'A & B <Factoring> "Ltd"', account: ibanDebtor } }),
      version,
    );
    await expectValid(xml, version);
    expect(parse(xml).PmtInf[0].Dbtr.Nm).toBe('A & B <Factoring> "Ltd"');
  });

  it('a long message id still gives a PmtInfId of at most 35 characters, distinct per currency', async () => {
    const messageId = 'M'.repeat(35);
    const xml = buildPain001({ ...multiCurrency(), messageId }, version);
    await expectValid(xml, version);
    const ids: string[] = parse(xml).PmtInf.map((info: any) => info.PmtInfId);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id.length).toBe(35);
    expect(ids[0]).toMatch(/^M{25}[0-9a-f]{6}-CNY$/);
  });
});

describe('buildPain001 refuses', () => {
  const refuses = (input: PaymentBatch, message: RegExp): void => {
    for (const version of VERSIONS) expect(() => buildPain001(input, version)).toThrow(message);
  };

  it('an empty batch', () => {
    refuses(batch({ transfers: [] }), /no transfers/);
  });

  it.each([
    ['0', /not positive/],
    ['0.00', /not positive/],
    ['-100.00', /not positive/],
    ['', /not a decimal string/],
    ['1e6', /not a decimal string/],
    ['1,000.00', /not a decimal string/],
    ['100.005', /more decimals than EUR allows \(2\)/],
  ])('the amount %j', (amount, message) => {
    refuses(batch({ transfers: [transfer({ amount })] }), message);
  });

  it('a JPY amount with decimals', () => {
    refuses(
      batch({ transfers: [transfer({ amount: '1500.5', currency: 'JPY' })] }),
      /more decimals than JPY allows \(0\)/,
    );
  });

  it('a debtor or creditor account with neither IBAN nor account number', () => {
    const noId: SettlementAccount = { bic: 'COBADEFFXXX', currency: 'CNY', holderName: 'X' };
    refuses(
      batch({ debtor: { name: 'Hanse', account: noId } }),
      /debtor's account has neither an IBAN nor an account number/,
    );
    refuses(
      batch({ transfers: [transfer({ creditor: { name: 'Westbury', account: noId } })] }),
      /creditor's account has neither an IBAN nor an account number/,
    );
  });

  it('an IBAN with wrong check digits, a malformed BIC, a bank code that is not CNAPS', () => {
    refuses(
      batch({ debtor: { name: 'H', account: { ...ibanDebtor, iban: 'DE88370400440532013000' } } }),
      /wrong IBAN check digits/,
    );
    refuses(
      batch({ debtor: { name: 'H', account: { ...ibanDebtor, bic: 'COBA-DE' } } }),
      /is not a BIC/,
    );
    refuses(
      batch({ debtor: { name: 'H', account: { ...chineseDebtor, bankCode: '10529003600' } } }),
      /not a 12-digit CNAPS code/,
    );
  });

  it('an unknown or non-trade currency', () => {
    refuses(batch({ transfers: [transfer({ currency: 'XAU' })] }), /not an ISO 4217/);
    refuses(batch({ transfers: [transfer({ currency: 'eur' })] }), /not an ISO 4217/);
  });

  it('identifiers that would have to be cut, and a repeated end-to-end id', () => {
    refuses(batch({ messageId: 'M'.repeat(36) }), /message id .* 36 characters; at most 35/);
    refuses(
      batch({ transfers: [transfer({ endToEndId: 'E'.repeat(36) })] }),
      /end-to-end id .* 36 characters; at most 35/,
    );
    refuses(batch({ transfers: [transfer({ endToEndId: ' ' })] }), /end-to-end id is missing/);
    refuses(
      batch({ transfers: [transfer(), transfer({ amount: '1.00' })] }),
      /FIN-2026-000101 appears twice/,
    );
    refuses(
      batch({
        transfers: [
          transfer({
            creditor: { name: 'W', account: { ...chineseCreditor, accountNumber: '1'.repeat(35) } },
          }),
        ],
      }),
      /account number .* 35 characters; at most 34/,
    );
  });

  it('a missing creditor name, a bad execution date or creation time', () => {
    refuses(
      batch({ transfers: [transfer({ creditor: { name: ' ', account: ibanCreditor } })] }),
      /creditor has no name/,
    );
    refuses(batch({ requestedExecutionDate: '2026-02-30' }), /not a YYYY-MM-DD date/);
    refuses(batch({ requestedExecutionDate: '04.11.2026' }), /not a YYYY-MM-DD date/);
    refuses(batch({ createdAt: new Date('nonsense') }), /creation time is not a valid date/);
  });

  it('a registration id longer than the version allows (35 in .03)', () => {
    const input = batch({ initiatingParty: { name: 'H', registrationId: 'R'.repeat(40) } });
    expect(() => buildPain001(input, '001.001.03')).toThrow(/40 characters; at most 35/);
    expect(() => buildPain001(input, '001.001.12')).not.toThrow();
  });

  it('an unknown version', () => {
    expect(() => buildPain001(batch(), '001.001.09' as Pain001Version)).toThrow(
      /Unsupported pain.001 version/,
    );
  });
});
