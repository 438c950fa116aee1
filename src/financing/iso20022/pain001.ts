import { createHash } from 'node:crypto';
import { isTradeCurrency, minorUnit } from '../../common/money/currency';
import { Decimal, isDecimalString, sum } from '../../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../../common/money/money';
import {
  characterCount,
  isIsoDate,
  isoDateTime,
  isoIdentifier,
  isoText,
  normaliseIban,
} from './iso20022-text';
import { leaf, node, renderXmlDocument, type XmlElement } from './xml-writer';

/**
 * ISO 20022 customer credit transfer initiation (pain.001): the disbursement instruction a
 * financier uploads to its bank. Two versions: 001.001.12 (current, CBPR+/HVPS+ era) and
 * 001.001.03 (the one most banks, SEPA and CIPS gateways still take).
 */
export type Pain001Version = '001.001.12' | '001.001.03';

export interface SettlementAccount {
  /** Written as `<IBAN>`; spaces allowed, check digits verified. */
  iban?: string;
  /** Any other account number (e.g. a Chinese bank account), written as `<Othr><Id>`; ≤34. */
  accountNumber?: string;
  /** CNAPS 12-digit code for Chinese accounts: the agent's clearing-system member id. */
  bankCode?: string;
  bic?: string;
  currency: string;
  holderName: string;
}

export interface CreditTransfer {
  /** The financing reference, ≤35 characters; unique within the batch. */
  endToEndId: string;
  /** Positive decimal string with at most the currency's minor-unit decimals. */
  amount: string;
  currency: string;
  creditor: { name: string; account: SettlementAccount };
  /** Unstructured, cut to 140 characters. */
  remittanceInformation: string;
}

export interface PaymentBatch {
  /** ≤35 characters; banks refuse a message id they have seen before. */
  messageId: string;
  createdAt: Date;
  initiatingParty: { name: string; registrationId?: string };
  debtor: { name: string; account: SettlementAccount };
  /** YYYY-MM-DD */
  requestedExecutionDate: string;
  transfers: readonly CreditTransfer[];
}

interface VersionRules {
  namespace: string;
  /** Element holding a BIC inside FinInstnId. */
  bicElement: 'BICFI' | 'BIC';
  /** The version's BIC pattern (BICIdentifier in .03, BICFIDec2014Identifier in .12). */
  bicPattern: RegExp;
  /** Max length of InitgPty/Id/OrgId/Othr/Id. */
  organisationIdMax: number;
  requestedExecutionDate: (date: string) => XmlElement;
}

const VERSIONS: Readonly<Record<Pain001Version, VersionRules>> = {
  '001.001.12': {
    namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.12',
    bicElement: 'BICFI',
    bicPattern: /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/,
    organisationIdMax: 256,
    // DateAndDateTime2Choice
    requestedExecutionDate: (date) => node('ReqdExctnDt', leaf('Dt', date)),
  },
  '001.001.03': {
    namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03',
    bicElement: 'BIC',
    bicPattern: /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/,
    organisationIdMax: 35,
    // ISODate
    requestedExecutionDate: (date) => leaf('ReqdExctnDt', date),
  },
};

/**
 * ExternalClearingSystemIdentification1Code of the China National Advanced Payment System. The
 * code (5 characters, the type's maximum) is valid in both versions, so the CNAPS bank code goes
 * in `ClrSysMmbId/ClrSysId/Cd` rather than a proprietary `Prtry` label.
 */
const CNAPS = 'CNAPS';
const CNAPS_BANK_CODE = /^\d{12}$/;
/** What EPC and most banks expect in FinInstnId when the debtor's agent has no BIC. */
const NOT_PROVIDED = 'NOTPROVIDED';
/** ActiveOrHistoricCurrencyAndAmount and DecimalNumber both allow 18 digits in all. */
const MAX_TOTAL_DIGITS = 18;

interface Account {
  iban: string | null;
  other: string | null;
  bankCode: string | null;
  bic: string | null;
  currency: string;
  holderName: string | null;
}

interface Transfer {
  endToEndId: string;
  amount: string;
  currency: string;
  creditorName: string;
  account: Account;
  remittance: string | null;
}

/**
 * The pain.001 document (UTF-8 text) for a batch: one PmtInf per currency, in the order the
 * currencies first appear, each debiting the same debtor account; NbOfTxs and CtrlSum at group
 * and payment level. Free text is cut to the schema's limits by characters; identifiers and
 * amounts are refused rather than altered.
 *
 * @throws Error for an empty batch, a transfer amount that is not positive or has more decimals
 * than its currency's minor unit, an account without IBAN or account number, a malformed IBAN,
 * BIC or CNAPS code, an identifier longer than the schema allows, or a repeated end-to-end id
 */
export function buildPain001(batch: PaymentBatch, version: Pain001Version): string {
  const rules = VERSIONS[version];
  if (!rules) throw new Error(`Unsupported pain.001 version ${String(version)}`);
  const messageId = isoIdentifier(batch.messageId, 35, 'The message id');
  const createdAt = isoDateTime(batch.createdAt, 'The creation time');
  if (!isIsoDate(batch.requestedExecutionDate)) {
    throw new Error(
      `The requested execution date ${JSON.stringify(batch.requestedExecutionDate)} is not a YYYY-MM-DD date`,
    );
  }
  const initiatingName = requiredName(batch.initiatingParty?.name, 'The initiating party');
  const registrationId =
    batch.initiatingParty.registrationId === undefined
      ? null
      : isoIdentifier(
          batch.initiatingParty.registrationId,
          rules.organisationIdMax,
          "The initiating party's registration id",
        );
  const debtorName = requiredName(batch.debtor?.name, 'The debtor');
  const debtorAccount = readAccount(batch.debtor.account, rules, "The debtor's account");

  if (!Array.isArray(batch.transfers) || batch.transfers.length === 0)
    throw new Error('The payment batch has no transfers');
  const transfers = batch.transfers.map((transfer, index) => readTransfer(transfer, index, rules));
  const seen = new Set<string>();
  for (const transfer of transfers) {
    if (seen.has(transfer.endToEndId))
      throw new Error(`The end-to-end id ${transfer.endToEndId} appears twice in the batch`);
    seen.add(transfer.endToEndId);
  }

  const byCurrency = new Map<string, Transfer[]>();
  for (const transfer of transfers) {
    const group = byCurrency.get(transfer.currency) ?? [];
    group.push(transfer);
    byCurrency.set(transfer.currency, group);
  }
  const groupScale = Math.max(...[...byCurrency.keys()].map(minorUnit));
  const groupSum = controlSum(
    transfers.map((t) => t.amount),
    groupScale,
  );

  const paymentInfos = [...byCurrency].map(([currency, group]) =>
    node(
      'PmtInf',
      leaf('PmtInfId', paymentInfoId(messageId, currency)),
      leaf('PmtMtd', 'TRF'),
      leaf('NbOfTxs', String(group.length)),
      leaf(
        'CtrlSum',
        controlSum(
          group.map((t) => t.amount),
          minorUnit(currency),
        ),
      ),
      rules.requestedExecutionDate(batch.requestedExecutionDate),
      node('Dbtr', leaf('Nm', debtorName)),
      accountElement('DbtrAcct', debtorAccount),
      // DbtrAgt is mandatory in both versions; FinInstnId with no BIC and no clearing code gets
      // the NOTPROVIDED convention so the bank takes its own identity from the account.
      agentElement('DbtrAgt', debtorAccount, rules) ??
        node('DbtrAgt', node('FinInstnId', node('Othr', leaf('Id', NOT_PROVIDED)))),
      ...group.map((transfer) =>
        node(
          'CdtTrfTxInf',
          node('PmtId', leaf('EndToEndId', transfer.endToEndId)),
          node('Amt', leaf('InstdAmt', transfer.amount, { Ccy: transfer.currency })),
          // CdtrAgt is optional in both versions: left out when there is nothing to name it by.
          agentElement('CdtrAgt', transfer.account, rules),
          node('Cdtr', leaf('Nm', transfer.creditorName)),
          accountElement('CdtrAcct', transfer.account),
          transfer.remittance !== null && node('RmtInf', leaf('Ustrd', transfer.remittance)),
        ),
      ),
    ),
  );

  return renderXmlDocument({
    name: 'Document',
    attributes: { xmlns: rules.namespace },
    children: [
      node(
        'CstmrCdtTrfInitn',
        node(
          'GrpHdr',
          leaf('MsgId', messageId),
          leaf('CreDtTm', createdAt),
          leaf('NbOfTxs', String(transfers.length)),
          leaf('CtrlSum', groupSum),
          node(
            'InitgPty',
            leaf('Nm', initiatingName),
            registrationId !== null &&
              node('Id', node('OrgId', node('Othr', leaf('Id', registrationId)))),
          ),
        ),
        ...paymentInfos,
      ),
    ],
  });
}

function readTransfer(transfer: CreditTransfer, index: number, rules: VersionRules): Transfer {
  const what = `Transfer ${index + 1}`;
  const endToEndId = isoIdentifier(transfer?.endToEndId, 35, `${what}: the end-to-end id`);
  const label = `${what} (${endToEndId})`;
  const currency = transfer.currency;
  if (!isTradeCurrency(currency))
    throw new Error(`${label}: ${JSON.stringify(currency)} is not an ISO 4217 trade currency`);
  const amount = transfer.amount;
  if (!isDecimalString(amount))
    throw new Error(`${label}: the amount ${JSON.stringify(amount)} is not a decimal string`);
  if (!new Decimal(amount).gt(new Decimal('0')))
    throw new Error(`${label}: the amount ${amount} is not positive`);
  if (!fitsMinorUnit(amount, currency)) {
    throw new Error(
      `${label}: the amount ${amount} has more decimals than ${currency} allows (${minorUnit(currency)})`,
    );
  }
  const written = formatMoney(amount, currency);
  checkDigits(written, `${label}: the amount`);
  return {
    endToEndId,
    amount: written,
    currency,
    creditorName: requiredName(transfer.creditor?.name, `${label}: the creditor`),
    account: readAccount(transfer.creditor.account, rules, `${label}: the creditor's account`),
    remittance: isoText(transfer.remittanceInformation ?? '', 140),
  };
}

function readAccount(account: SettlementAccount, rules: VersionRules, what: string): Account {
  if (!account) throw new Error(`${what} is missing`);
  const iban = present(account.iban) ? normaliseIban(account.iban, `${what}: the IBAN`) : null;
  const other =
    iban === null && present(account.accountNumber)
      ? isoIdentifier(account.accountNumber, 34, `${what}: the account number`)
      : null;
  if (iban === null && other === null)
    throw new Error(`${what} has neither an IBAN nor an account number`);
  let bic: string | null = null;
  if (present(account.bic)) {
    bic = account.bic.trim().toUpperCase();
    if (!rules.bicPattern.test(bic))
      throw new Error(`${what}: ${JSON.stringify(account.bic)} is not a BIC`);
  }
  let bankCode: string | null = null;
  if (present(account.bankCode)) {
    bankCode = account.bankCode.trim();
    if (!CNAPS_BANK_CODE.test(bankCode)) {
      throw new Error(
        `${what}: the bank code ${JSON.stringify(account.bankCode)} is not a 12-digit CNAPS code`,
      );
    }
  }
  if (!isTradeCurrency(account.currency))
    throw new Error(`${what}: ${JSON.stringify(account.currency)} is not an ISO 4217 currency`);
  return {
    iban,
    other,
    bankCode,
    bic,
    currency: account.currency,
    holderName: isoText(account.holderName ?? '', 70),
  };
}

/** CashAccount16 (.03) / CashAccount40 (.12): Id, Ccy, Nm in schema order. */
function accountElement(name: string, account: Account): XmlElement {
  return node(
    name,
    node(
      'Id',
      account.iban !== null
        ? leaf('IBAN', account.iban)
        : node('Othr', leaf('Id', account.other as string)),
    ),
    leaf('Ccy', account.currency),
    account.holderName !== null && leaf('Nm', account.holderName),
  );
}

/** The account's bank by BIC and/or CNAPS member id; null when neither is known. */
function agentElement(name: string, account: Account, rules: VersionRules): XmlElement | null {
  if (account.bic === null && account.bankCode === null) return null;
  return node(
    name,
    node(
      'FinInstnId',
      account.bic !== null && leaf(rules.bicElement, account.bic),
      account.bankCode !== null &&
        node('ClrSysMmbId', node('ClrSysId', leaf('Cd', CNAPS)), leaf('MmbId', account.bankCode)),
    ),
  );
}

/** The sum written with `scale` decimals; refused when DecimalNumber cannot hold it. */
function controlSum(amounts: string[], scale: number): string {
  const total = sum(amounts).toFixed(scale);
  checkDigits(total, 'The control sum');
  return total;
}

function checkDigits(value: string, what: string): void {
  const digits = value.replace(/[^0-9]/g, '').length;
  if (digits > MAX_TOTAL_DIGITS)
    throw new Error(`${what} ${value} has ${digits} digits; the schema allows ${MAX_TOTAL_DIGITS}`);
}

/**
 * `<messageId>-<currency>`; when that exceeds Max35Text, the message id is shortened and a hash of
 * it keeps payment ids of different messages apart.
 */
function paymentInfoId(messageId: string, currency: string): string {
  const plain = `${messageId}-${currency}`;
  if (characterCount(plain) <= 35) return plain;
  const hash = createHash('sha256').update(messageId, 'utf8').digest('hex').slice(0, 6);
  return `${Array.from(messageId).slice(0, 25).join('')}${hash}-${currency}`;
}

function requiredName(name: string | undefined, what: string): string {
  const text = isoText(name ?? '', 140);
  if (text === null) throw new Error(`${what} has no name`);
  return text;
}

function present(value: string | undefined | null): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
