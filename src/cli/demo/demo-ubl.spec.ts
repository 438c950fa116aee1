import { silentLog } from '../../infra/local-services/log';
import { parseInvoiceResponse } from '../../trade/ubl/parse-invoice-response';
import { parseUblBillingDocument } from '../../trade/ubl/parse-ubl-invoice';
import { totalsAreConsistent, totalsDiscrepancies } from '../../trade/ubl/ubl-amounts';
import { ensureXmllint, validateUblXsd } from '../../trade/ubl/xsd-validator';
import {
  adaptInvoiceResponse,
  adaptUblInvoice,
  INVOICE_RESPONSE_SAMPLE,
  readUblSample,
  UBL_INVOICE_SAMPLE,
  withGs1CheckDigit,
  type DemoUblInvoice,
} from './demo-ubl';
import { ANCHOR_GLN } from './trade-data';

const NORTHWIND_LEI = 'DEMO00NORTHWIND00193';
const ANCHOR_USCC = '91310000MA1K8D3M0Q';

const invoiceValues: DemoUblInvoice = {
  number: 'NW-TEST01-001',
  issueDate: '2026-11-28',
  dueDate: '2027-01-29',
  currency: 'CNY',
  orderNumber: 'PO-TEST01-NW1',
  deliveryDate: '2026-11-20',
  seller: {
    name: 'Northwind Components Ltd',
    endpoint: { scheme: '0199', value: NORTHWIND_LEI },
    companyId: { scheme: '0199', value: NORTHWIND_LEI },
    street: '12 Canal Street',
    city: 'Manchester',
    postalZone: 'M1 3HE',
    country: 'GB',
    contact: { name: 'Ben Hughes', email: 'operator@northwind.demo' },
  },
  buyer: {
    name: '华东精密制造集团有限公司 (East China Precision Manufacturing Group)',
    endpoint: ANCHOR_GLN,
    companyId: { value: ANCHOR_USCC },
    street: '浦东新区张江路 1888 号',
    city: '上海',
    postalZone: '201203',
    country: 'CN',
  },
};

beforeAll(async () => {
  // Never apt-get from a unit test: a machine without xmllint fails here, saying what to install.
  await ensureXmllint({ install: false, log: silentLog });
});

describe('the demo UBL invoice (base-example.xml adapted to the demo parties)', () => {
  const xml = adaptUblInvoice(readUblSample(UBL_INVOICE_SAMPLE), invoiceValues);

  it('passes the UBL 2.1 XSD', async () => {
    await expect(validateUblXsd(Buffer.from(xml, 'utf8'))).resolves.toEqual({
      valid: true,
      documentType: 'Invoice',
    });
  });

  it("keeps the sample's amounts, which still add up (EN 16931 BR-CO-10 … 16)", () => {
    const document = parseUblBillingDocument(xml);
    expect(totalsDiscrepancies(document)).toEqual([]);
    expect(totalsAreConsistent(document)).toBe(true);
    expect(document.totals).toMatchObject({
      lineExtension: '1300',
      taxExclusive: '1325',
      taxInclusive: '1656.25',
      payable: '1656.25',
    });
    expect(document.taxTotal).toBe('331.25');
  });

  it('is in CNY throughout, with the new number, dates and order reference', () => {
    expect(xml).not.toMatch(/EUR/);
    const document = parseUblBillingDocument(xml);
    expect(document).toMatchObject({
      kind: 'INVOICE',
      number: 'NW-TEST01-001',
      issueDate: '2026-11-28',
      dueDate: '2027-01-29',
      currency: 'CNY',
      orderReference: 'PO-TEST01-NW1',
      payee: null,
      negative: false,
    });
  });

  it('names Northwind by its LEI (0199) as seller and the anchor by its GLN (0088) as buyer', () => {
    const document = parseUblBillingDocument(xml);
    expect(document.seller.endpoint).toEqual({ scheme: '0199', value: NORTHWIND_LEI });
    expect(document.seller.name).toBe('Northwind Components Ltd');
    expect(document.buyer.endpoint).toEqual(ANCHOR_GLN);
    expect(document.buyer.identifiers.map((id) => id.value)).toEqual([
      ANCHOR_GLN.value,
      ANCHOR_USCC,
    ]);
    // Nothing of the sample's own parties is left to be matched to someone else.
    expect(xml).not.toMatch(/SupplierTradingName|BuyerTradingName|9482348239847239874|FR23342/);
  });
});

describe('the demo Invoice Response (T111 "Invoice is accepted" adapted)', () => {
  const xml = adaptInvoiceResponse(readUblSample(INVOICE_RESPONSE_SAMPLE), {
    documentId: 'IR-TEST01-001',
    issueDate: '2026-11-30',
    sender: { name: '华东精密制造集团有限公司', endpoint: ANCHOR_GLN },
    receiver: {
      name: 'Northwind Components Ltd',
      endpoint: { scheme: '0199', value: NORTHWIND_LEI },
    },
    invoiceNumber: 'NW-TEST01-001',
  });

  it('passes the UBL 2.1 XSD', async () => {
    await expect(validateUblXsd(Buffer.from(xml, 'utf8'))).resolves.toEqual({
      valid: true,
      documentType: 'ApplicationResponse',
    });
  });

  it('accepts (AP) the demo invoice, from the anchor to Northwind', () => {
    const response = parseInvoiceResponse(xml);
    expect(response).toMatchObject({
      id: 'IR-TEST01-001',
      issueDate: '2026-11-30',
      responseCode: 'AP',
      invoiceNumber: 'NW-TEST01-001',
    });
    expect(response.sender.endpoint).toEqual(ANCHOR_GLN);
    expect(response.sender.legalName).toBe('华东精密制造集团有限公司');
    expect(response.receiver.endpoint).toEqual({ scheme: '0199', value: NORTHWIND_LEI });
  });
});

describe('withGs1CheckDigit', () => {
  it('appends the GS1 check digit', () => {
    expect(withGs1CheckDigit('400638133393')).toBe('4006381333931'); // a well-known EAN-13
    expect(withGs1CheckDigit('579000043610')).toBe('5790000436101');
    expect(ANCHOR_GLN.value).toHaveLength(13);
    expect(withGs1CheckDigit(ANCHOR_GLN.value.slice(0, 12))).toBe(ANCHOR_GLN.value);
  });

  it('refuses what is not digits', () => {
    expect(() => withGs1CheckDigit('69400A')).toThrow(/digits only/);
  });
});
