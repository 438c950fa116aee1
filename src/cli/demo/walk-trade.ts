import { calendarOf, onOrAfterBusinessDay, todayIn } from '../../common/calendar/business-calendar';
import { Role } from '../../common/auth/roles';
import type { CreatedApiKeyView, ApiKeyPage } from '../../api-keys/dto/api-key.dto';
import type { ProgramPage, ProgramView } from '../../programs/program.view';
import type { BulkResult } from '../../trade/bulk/bulk-result';
import type { EligibilityView } from '../../trade/invoices/invoice-detail.view';
import type { InvoiceView } from '../../trade/invoices/invoice.view';
import type { PurchaseOrderPage } from '../../trade/purchase-orders/purchase-order.view';
import { ApiError, type ApiClient, type OrganizationView } from './api-client';
import {
  adaptInvoiceResponse,
  adaptUblInvoice,
  INVOICE_RESPONSE_SAMPLE,
  readUblSample,
  UBL_INVOICE_SAMPLE,
  type PartyIdentifier,
} from './demo-ubl';
import {
  demoOrganization,
  demoUser,
  type DemoOrganization,
  type DemoSeed,
} from './seed-organizations';
import {
  ANCHOR_GLN,
  approvedPayablesCsv,
  DEMO_PROGRAM,
  FINANCIER_TERMS,
  goodsReceiptsCsv,
  invoicesCsv,
  orderValue,
  PROGRAM_TIME_ZONE,
  purchaseOrdersCsv,
  runSuffix,
  SUPPLIER_KEYS,
  tradePlan,
  type DemoInvoicePlan,
  type DemoOrder,
  type InvoiceChannel,
  type SupplierKey,
} from './trade-data';

/** Names of the ERP keys the demo creates; older ones are revoked on the next run. */
const ERP_KEY_NAME = 'Demo ERP (SAP S/4HANA) — purchase orders and goods receipts';

/** How the anchor confirmed an invoice, in the summary's words. */
export type ConfirmationWay = 'single call' | 'approved-payables list' | 'Invoice Response AP';

export interface WalkedInvoice {
  id: string;
  number: string;
  supplierName: string;
  channel: InvoiceChannel;
  purchaseOrderNumber: string;
  totalAmount: string;
  currency: string;
  status: string;
  verification: InvoiceView['verification'];
  confirmation: InvoiceView['confirmation'];
  confirmedBy: ConfirmationWay | null;
}

export interface WalkedOrder {
  number: string;
  supplierName: string;
  totalAmount: string;
  receivedAmount: string;
}

export interface TradeWalk {
  runId: string;
  today: string;
  program: { id: string; name: string; currency: string; created: boolean };
  apiKey: { prefix: string; key: string; roles: string[] };
  anchorIdentifier: PartyIdentifier;
  orders: WalkedOrder[];
  receipts: number;
  invoices: WalkedInvoice[];
  /** The invoice that ended in EXCEPTION, with its eligibility answer (asked by its supplier). */
  exception: { invoice: WalkedInvoice; eligibility: EligibilityView };
  /** A confirmed invoice and its eligibility answer (eligible). */
  eligible: { invoice: WalkedInvoice; eligibility: EligibilityView };
}

export interface TradeWalkOptions {
  log?: (line: string) => void;
  /** Suffix of this run's order and invoice numbers (default: from the clock). */
  runId?: string;
  now?: Date;
  /** Longest wait for the worker to verify the invoices (default 60 s). */
  verificationTimeoutMs?: number;
  /** Called before each step; throws to stop the walk-through there (e.g. on Ctrl-C). */
  checkpoint?: () => void;
}

/** A step of the walk-through failed; the message names the step. */
export class TradeStepError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(
      `trade walk-through, step "${step}": ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'TradeStepError';
  }
}

/**
 * The trade walk-through, through the HTTP API as each party would do it: the anchor sets up a
 * program and its ERP loads purchase orders and goods receipts; the suppliers invoice by form,
 * CSV and UBL e-invoice; the worker verifies each invoice against the anchor's records; the anchor
 * confirms by a single call, an approved-payables list and a Peppol Invoice Response; one invoice
 * ends in EXCEPTION, and its supplier asks why it cannot be financed.
 *
 * Re-runnable on the same database: the program, memberships, terms and identifier are reused,
 * and this run's orders and invoices are new (numbers carry the run suffix).
 */
export async function walkTrade(
  client: ApiClient,
  seed: DemoSeed,
  options: TradeWalkOptions = {},
): Promise<TradeWalk> {
  const log = options.log ?? (() => undefined);
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    options.checkpoint?.();
    try {
      return await run();
    } catch (error) {
      throw new TradeStepError(name, error);
    }
  };
  const as = (key: string, role: Role): ApiClient =>
    client.withToken(demoUser(seed, key, role).token);
  const anchor = demoOrganization(seed, 'anchor');
  const anchorAdmin = as('anchor', Role.ADMIN);
  const anchorApprover = as('anchor', Role.APPROVER);
  const supplier = (key: SupplierKey): DemoOrganization => demoOrganization(seed, key);
  const runId = options.runId ?? runSuffix(options.now);
  const today = todayIn(PROGRAM_TIME_ZONE, options.now);
  const plan = tradePlan(runId, today);
  const orderOf = (key: string): DemoOrder =>
    plan.orders.find((order) => order.key === key) as DemoOrder;
  log(`trade walk-through, run ${runId} (today is ${today} in ${PROGRAM_TIME_ZONE})`);

  // 1. The program, its members and their terms.
  const program = await step('the anchor ADMIN creates (or finds) the CNY program', () =>
    findOrCreateProgram(anchorAdmin, anchor.id),
  );
  log(
    `${program.created ? 'created' : 'found  '} program ${program.view.name} (${program.view.id})`,
  );
  const programPath = `/api/v1/programs/${program.view.id}`;
  // What a re-run finds done is not asked again (a 409 would only add a warning to the API log);
  // ALREADY_MEMBER and INVALID_STATE_TRANSITION are still tolerated, should it race another run.
  await step('the anchor ADMIN invites the suppliers and financiers', async () => {
    const current = await anchorAdmin.get<ProgramView>(programPath);
    const members = new Set([
      ...current.suppliers.map((member) => member.supplierId),
      ...current.financiers.map((member) => member.financierId),
    ]);
    for (const key of [...SUPPLIER_KEYS, ...Object.keys(FINANCIER_TERMS)]) {
      const member = demoOrganization(seed, key);
      const kind = key.startsWith('supplier') ? 'suppliers' : 'financiers';
      const invited =
        !members.has(member.id) &&
        (await tolerate(
          anchorAdmin.post(`${programPath}/${kind}`, {
            [kind === 'suppliers' ? 'supplierId' : 'financierId']: member.id,
          }),
          'ALREADY_MEMBER',
        )) !== null;
      log(`${invited ? 'invited' : 'already in the program:'} ${member.name}`);
    }
  });
  await step("the suppliers' ADMINs accept the invitation", async () => {
    for (const key of SUPPLIER_KEYS) {
      const member = supplier(key);
      const admin = as(key, Role.ADMIN);
      const own = await admin.get<ProgramView>(programPath);
      const status = own.suppliers.find((entry) => entry.supplierId === member.id)?.status;
      const accepted =
        status !== 'ACTIVE' &&
        (await tolerate(
          admin.post(`${programPath}/suppliers/${member.id}/accept`, undefined),
          'INVALID_STATE_TRANSITION',
        )) !== null;
      log(`${member.name} ${accepted ? 'accepted the invitation' : 'is already an active member'}`);
    }
  });
  await step("each financier's ADMIN sets its terms", async () => {
    for (const [key, terms] of Object.entries(FINANCIER_TERMS)) {
      const financier = demoOrganization(seed, key);
      await as(key, Role.ADMIN).put(`${programPath}/financiers/${financier.id}/terms`, terms);
      log(
        `${financier.name} set its terms: limit CNY ${String(terms.limit)}, margin ${String(terms.marginBps)} bps`,
      );
    }
  });
  const holidays = calendarOf(program.view.holidays);

  // 2. The anchor's identity for e-invoices, and its ERP's access.
  await step("the anchor ADMIN registers the anchor's GLN (0088) for e-invoices", () =>
    anchorAdmin.post<OrganizationView>(
      `/api/v1/organizations/${anchor.id}/identifiers`,
      ANCHOR_GLN,
    ),
  );
  log(`the anchor is known by GLN ${ANCHOR_GLN.scheme}:${ANCHOR_GLN.value}`);
  const apiKey = await step('the anchor ADMIN creates an OPERATOR API key for its ERP', () =>
    createErpKey(anchorAdmin, runId),
  );
  log(`ERP API key scf_${apiKey.prefix}_… (OPERATOR) created; earlier demo ERP keys revoked`);
  const erp = client.withApiKey(apiKey.key);

  // 3. The ERP loads purchase orders and goods receipts as CSV.
  const registrationIdOf = (key: SupplierKey): string => {
    const id = supplier(key).registrationId;
    if (!id) throw new Error(`${supplier(key).name} has no registration id`);
    return id;
  };
  await step('the ERP uploads purchase orders (POST /purchase-orders/bulk, CSV)', async () => {
    const result = await erp.postDocument<BulkResult>('/api/v1/purchase-orders/bulk', {
      text: purchaseOrdersCsv(plan.orders, registrationIdOf),
      contentType: 'text/csv; charset=utf-8',
    });
    expectAccepted(result, plan.orders.length, 'purchase orders');
  });
  const receiptCsv = goodsReceiptsCsv(plan.orders);
  const receiptCount = plan.orders.filter((order) =>
    order.lines.some((l) => l.received !== '0'),
  ).length;
  await step('the ERP uploads goods receipts (POST /goods-receipts/bulk, CSV)', async () => {
    const result = await erp.postDocument<BulkResult>('/api/v1/goods-receipts/bulk', {
      text: receiptCsv,
      contentType: 'text/csv; charset=utf-8',
    });
    expectAccepted(result, receiptCount, 'goods receipts');
  });
  const orders = await step('the ERP reads the orders back (GET /purchase-orders)', async () => {
    const read: WalkedOrder[] = [];
    for (const order of plan.orders) {
      const page = await erp.get<PurchaseOrderPage>('/api/v1/purchase-orders', {
        number: order.number,
        limit: 1,
      });
      const found = page.items[0];
      if (!found) throw new Error(`purchase order ${order.number} is not listed`);
      const expected = orderValue(order, 'received');
      if (found.receivedAmount !== expected)
        throw new Error(
          `${order.number} shows ${found.receivedAmount} received, expected ${expected}`,
        );
      read.push({
        number: found.number,
        supplierName: supplier(order.supplier).name,
        totalAmount: found.totalAmount,
        receivedAmount: found.receivedAmount,
      });
    }
    return read;
  });
  log(`the ERP loaded ${orders.length} purchase orders and ${receiptCount} goods receipts (CSV)`);

  // 4. The suppliers invoice: 恒信 by form and by CSV, Northwind by UBL e-invoice.
  const hengxin = as('supplier-hengxin', Role.OPERATOR);
  const northwind = as('supplier-northwind', Role.OPERATOR);
  const submitted = new Map<string, { plan: DemoInvoicePlan; id: string }>();
  const formInvoice = plan.invoices.find(
    (invoice) => invoice.channel === 'form',
  ) as DemoInvoicePlan;
  await step('苏州恒信电子 submits an invoice by form (POST /invoices)', async () => {
    const order = orderOf(formInvoice.orderKey);
    const invoice = await hengxin.post<InvoiceView>('/api/v1/invoices', {
      number: formInvoice.number,
      anchorId: anchor.id,
      programId: program.view.id,
      purchaseOrderNumber: order.number,
      issueDate: formInvoice.issueDate,
      dueDate: formInvoice.dueDate,
      currency: 'CNY',
      totalAmount: formInvoice.totalAmount,
      taxAmount: formInvoice.taxAmount,
      lines: order.lines.map((line) => ({
        sku: line.sku,
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        amount: orderValue({ ...order, lines: [line] }),
      })),
    });
    submitted.set(formInvoice.number, { plan: formInvoice, id: invoice.id });
  });
  const csvInvoices = plan.invoices.filter((invoice) => invoice.channel === 'CSV');
  await step('苏州恒信电子 uploads invoices (POST /invoices/bulk, CSV)', async () => {
    const result = await hengxin.postDocument<BulkResult>('/api/v1/invoices/bulk', {
      text: invoicesCsv(csvInvoices, {
        anchorId: anchor.id,
        programId: program.view.id,
        orderNumberOf: (key) => orderOf(key).number,
      }),
      contentType: 'text/csv; charset=utf-8',
    });
    expectAccepted(result, csvInvoices.length, 'invoices');
    // The ids come in row order.
    csvInvoices.forEach((invoice, index) =>
      submitted.set(invoice.number, { plan: invoice, id: result.ids[index] }),
    );
  });
  log(
    `苏州恒信电子 submitted ${1 + csvInvoices.length} invoices (1 by form, ${csvInvoices.length} by CSV)`,
  );
  const ublInvoice = plan.invoices.find((invoice) => invoice.channel === 'UBL') as DemoInvoicePlan;
  const northwindOrg = supplier('supplier-northwind');
  const northwindEndpoint: PartyIdentifier = {
    scheme: '0199',
    value: registrationIdOf('supplier-northwind'),
  };
  await step(
    `Northwind submits a UBL e-invoice adapted from ${UBL_INVOICE_SAMPLE} (POST /invoices/ubl)`,
    async () => {
      const order = orderOf(ublInvoice.orderKey);
      const xml = adaptUblInvoice(readUblSample(UBL_INVOICE_SAMPLE), {
        number: ublInvoice.number,
        issueDate: ublInvoice.issueDate,
        dueDate: ublInvoice.dueDate,
        currency: 'CNY',
        orderNumber: order.number,
        deliveryDate: order.receivedDate,
        seller: {
          name: northwindOrg.name,
          endpoint: northwindEndpoint,
          companyId: { scheme: '0199', value: northwindEndpoint.value },
          street: '12 Canal Street',
          city: 'Manchester',
          postalZone: 'M1 3HE',
          country: 'GB',
          contact: { name: 'Ben Hughes', email: 'operator@northwind.demo' },
        },
        buyer: {
          name: anchor.name,
          endpoint: ANCHOR_GLN,
          companyId: { value: anchor.registrationId ?? '' },
          street: '浦东新区张江路 1888 号',
          city: '上海',
          postalZone: '201203',
          country: 'CN',
          contact: { name: '王建国', email: 'admin@anchor.demo' },
        },
      });
      const invoice = await northwind.postDocument<InvoiceView>(
        `/api/v1/invoices/ubl?programId=${program.view.id}`,
        { text: xml, contentType: 'application/xml' },
      );
      if (invoice.totalAmount !== ublInvoice.totalAmount || invoice.currency !== 'CNY')
        throw new Error(
          `the portal read ${invoice.currency} ${invoice.totalAmount}, expected CNY ${ublInvoice.totalAmount}`,
        );
      submitted.set(ublInvoice.number, { plan: ublInvoice, id: invoice.id });
    },
  );
  log(
    `Northwind Components submitted UBL e-invoice ${ublInvoice.number} (CNY ${ublInvoice.totalAmount})`,
  );

  // 5. The worker verifies every invoice against the anchor's records.
  const verified = await step(
    'the worker verifies the invoices (GET /invoices/:id until not PENDING)',
    () =>
      waitForVerification(
        anchorApprover,
        [...submitted.values()].map((entry) => entry.id),
        options.verificationTimeoutMs ?? 60_000,
      ),
  );
  await step('verification outcomes are as planned', async () => {
    for (const { plan: invoicePlan, id } of submitted.values()) {
      const invoice = verified.get(id) as InvoiceView;
      if (invoice.status !== invoicePlan.expect)
        throw new Error(
          `${invoice.number} is ${invoice.status}, expected ${invoicePlan.expect}` +
            (invoice.verification.reasons.length > 0
              ? ` (${invoice.verification.reasons.map((r) => `${r.code}: ${r.message}`).join('; ')})`
              : ''),
        );
      if (
        invoicePlan.expect === 'EXCEPTION' &&
        !invoice.verification.reasons.some((r) => r.code === 'EXCEEDS_RECEIVED')
      )
        throw new Error(`${invoice.number} is in EXCEPTION without EXCEEDS_RECEIVED`);
    }
  });
  log(
    `verified: ${[...verified.values()].map((invoice) => `${invoice.number} ${invoice.status}`).join(', ')}`,
  );

  // 6. The anchor confirms, three ways.
  const confirmedBy = new Map<string, ConfirmationWay>();
  const idOf = (invoice: DemoInvoicePlan): string =>
    (submitted.get(invoice.number) as { id: string }).id;
  const formId = idOf(formInvoice);
  await step('the anchor confirms the form invoice (POST /invoices/:id/confirm)', async () => {
    const paymentDate = onOrAfterBusinessDay(formInvoice.dueDate, holidays);
    const invoice = await anchorApprover.post<InvoiceView>(`/api/v1/invoices/${formId}/confirm`, {
      confirmedAmount: formInvoice.totalAmount,
      paymentDate,
    });
    expectStatus(invoice, 'CONFIRMED');
    confirmedBy.set(formId, 'single call');
    log(`confirmed ${invoice.number}: CNY ${formInvoice.totalAmount} payable on ${paymentDate}`);
  });
  const verifiedCsv = csvInvoices
    .map((invoice) => ({ plan: invoice, view: verified.get(idOf(invoice)) as InvoiceView }))
    .filter((entry) => entry.view.status === 'VERIFIED');
  await step(
    'the anchor confirms by its approved-payables list (POST /confirmations/bulk, CSV)',
    async () => {
      const answer = await anchorApprover.postDocument<{
        rows: Array<{ row: number; invoiceId?: string; result: string; message?: string }>;
      }>('/api/v1/confirmations/bulk', {
        text: approvedPayablesCsv(
          verifiedCsv.map(({ plan: invoice }) => ({
            supplierRegistrationId: registrationIdOf(invoice.supplier),
            invoiceNumber: invoice.number,
            amount: invoice.totalAmount,
            paymentDate: onOrAfterBusinessDay(invoice.dueDate, holidays),
          })),
        ),
        contentType: 'text/csv; charset=utf-8',
      });
      const refused = answer.rows.filter((row) => row.result !== 'CONFIRMED');
      if (refused.length > 0 || answer.rows.length !== verifiedCsv.length)
        throw new Error(
          `rows not confirmed: ${refused.map((row) => `row ${row.row} ${row.result} ${row.message ?? ''}`).join('; ') || `${answer.rows.length} rows answered`}`,
        );
      for (const row of answer.rows)
        confirmedBy.set(row.invoiceId as string, 'approved-payables list');
      log(
        `the approved-payables list confirmed ${answer.rows.length} invoices (every row CONFIRMED)`,
      );
    },
  );
  const ublId = idOf(ublInvoice);
  await step(
    `the anchor accepts the e-invoice by a Peppol Invoice Response adapted from ${INVOICE_RESPONSE_SAMPLE}`,
    async () => {
      const xml = adaptInvoiceResponse(readUblSample(INVOICE_RESPONSE_SAMPLE), {
        documentId: `IR-${runId}-${ublInvoice.key}`,
        issueDate: today,
        sender: { name: anchor.name, endpoint: ANCHOR_GLN },
        receiver: { name: northwindOrg.name, endpoint: northwindEndpoint },
        invoiceNumber: ublInvoice.number,
      });
      const answer = await anchorApprover.postDocument<{
        invoiceId: string;
        responseCode: string;
        result: string;
      }>('/api/v1/confirmations/invoice-response', { text: xml, contentType: 'application/xml' });
      if (
        answer.invoiceId !== ublId ||
        answer.responseCode !== 'AP' ||
        answer.result !== 'CONFIRMED'
      )
        throw new Error(`the response answered ${JSON.stringify(answer)}`);
      confirmedBy.set(ublId, 'Invoice Response AP');
      log(`Invoice Response AP confirmed ${ublInvoice.number}`);
    },
  );

  // 7. Where everything stands, and why the exception cannot be financed.
  const invoices = await step(
    'read the invoices after confirmation (GET /invoices/:id)',
    async () => {
      const result: WalkedInvoice[] = [];
      for (const { plan: invoicePlan, id } of submitted.values()) {
        const invoice = await anchorApprover.get<InvoiceView>(`/api/v1/invoices/${id}`);
        const way = confirmedBy.get(id) ?? null;
        if (way && invoice.status !== 'CONFIRMED')
          throw new Error(`${invoice.number} was confirmed by ${way} but is ${invoice.status}`);
        result.push({
          id,
          number: invoice.number,
          supplierName: supplier(invoicePlan.supplier).name,
          channel: invoicePlan.channel,
          purchaseOrderNumber: invoice.purchaseOrderNumber ?? '',
          totalAmount: invoice.totalAmount,
          currency: invoice.currency,
          status: invoice.status,
          verification: invoice.verification,
          confirmation: invoice.confirmation,
          confirmedBy: way,
        });
      }
      return result;
    },
  );
  const exceptionInvoice = invoices.find(
    (invoice) => invoice.status === 'EXCEPTION',
  ) as WalkedInvoice;
  const exceptionEligibility = await step(
    `苏州恒信电子 asks why ${exceptionInvoice.number} cannot be financed (GET /invoices/:id/eligibility)`,
    async () => {
      const answer = await hengxin.get<EligibilityView>(
        `/api/v1/invoices/${exceptionInvoice.id}/eligibility`,
      );
      if (answer.eligible || !answer.reasons.some((reason) => reason.code === 'EXCEEDS_RECEIVED'))
        throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
      return answer;
    },
  );
  const eligibleInvoice = invoices.find((invoice) => invoice.id === formId) as WalkedInvoice;
  const eligibleAnswer = await step(
    `苏州恒信电子 asks whether ${eligibleInvoice.number} can be financed`,
    async () => {
      const answer = await hengxin.get<EligibilityView>(
        `/api/v1/invoices/${eligibleInvoice.id}/eligibility`,
      );
      if (!answer.eligible)
        throw new Error(
          `not eligible: ${answer.reasons.map((r) => `${r.code}: ${r.message}`).join('; ')}`,
        );
      return answer;
    },
  );
  log(
    `${exceptionInvoice.number} is not eligible (${exceptionEligibility.reasons.map((r) => r.code).join(', ')}); ${eligibleInvoice.number} is eligible`,
  );

  return {
    runId,
    today,
    program: {
      id: program.view.id,
      name: program.view.name,
      currency: program.view.currency,
      created: program.created,
    },
    apiKey: { prefix: apiKey.prefix, key: apiKey.key, roles: apiKey.roles },
    anchorIdentifier: ANCHOR_GLN,
    orders,
    receipts: receiptCount,
    invoices,
    exception: { invoice: exceptionInvoice, eligibility: exceptionEligibility },
    eligible: { invoice: eligibleInvoice, eligibility: eligibleAnswer },
  };
}

/** The anchor's program of the demo's name (reused on a re-run), or a new one. */
async function findOrCreateProgram(
  anchorAdmin: ApiClient,
  anchorId: string,
): Promise<{ view: ProgramView; created: boolean }> {
  let cursor: string | undefined;
  do {
    const page = await anchorAdmin.get<ProgramPage>('/api/v1/programs', {
      currency: DEMO_PROGRAM.currency,
      limit: 100,
      cursor,
    });
    const found = page.items.find(
      (program) => program.anchorId === anchorId && program.name === DEMO_PROGRAM.name,
    );
    if (found) {
      if (!found.active)
        throw new Error(
          `the program "${found.name}" (${found.id}) is paused; resume it with PATCH /programs/:id {"active": true}`,
        );
      return { view: found, created: false };
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return {
    view: await anchorAdmin.post<ProgramView>('/api/v1/programs', DEMO_PROGRAM),
    created: true,
  };
}

/** A new OPERATOR key for the anchor's ERP (its secret is shown once); earlier demo keys are revoked. */
async function createErpKey(anchorAdmin: ApiClient, runId: string): Promise<CreatedApiKeyView> {
  const created = await anchorAdmin.post<CreatedApiKeyView>('/api/v1/api-keys', {
    name: `${ERP_KEY_NAME} (run ${runId})`,
    roles: [Role.OPERATOR],
  });
  let cursor: string | undefined;
  do {
    const page = await anchorAdmin.get<ApiKeyPage>('/api/v1/api-keys', { limit: 100, cursor });
    for (const key of page.items) {
      if (key.id !== created.id && key.revokedAt === null && key.name.startsWith(ERP_KEY_NAME))
        await tolerate(
          anchorAdmin.json('DELETE', `/api/v1/api-keys/${key.id}`),
          'API_KEY_ALREADY_REVOKED',
        );
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return created;
}

/** Polls each invoice until verification has spoken, within `timeoutMs` for all of them. */
async function waitForVerification(
  client: ApiClient,
  ids: readonly string[],
  timeoutMs: number,
): Promise<Map<string, InvoiceView>> {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, InvoiceView>();
  for (;;) {
    for (const id of ids) {
      if (done.has(id)) continue;
      const invoice = await client.get<InvoiceView>(`/api/v1/invoices/${id}`);
      if (invoice.verification.status !== 'PENDING') done.set(id, invoice);
    }
    if (done.size === ids.length) return done;
    if (Date.now() > deadline) {
      const pending = ids.filter((id) => !done.has(id));
      throw new Error(
        `${pending.length} invoice(s) still PENDING after ${Math.round(timeoutMs / 1000)} s (${pending.join(', ')}); is the worker running?`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The call's answer, or null when it failed with `code` (already done on an earlier run). */
async function tolerate<T>(call: Promise<T>, code: string): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.code === code) return null;
    throw error;
  }
}

function expectAccepted(result: BulkResult, expected: number, what: string): void {
  if (result.accepted !== expected || result.rejectedCount > 0)
    throw new Error(
      `${result.accepted} of ${expected} ${what} accepted, ${result.rejectedCount} rejected` +
        (result.rejected.length > 0
          ? `: ${result.rejected.map((r) => `row ${r.row} ${r.field} ${r.code}`).join('; ')}`
          : ''),
    );
}

function expectStatus(invoice: InvoiceView, status: string): void {
  if (invoice.status !== status)
    throw new Error(`${invoice.number} is ${invoice.status}, expected ${status}`);
}
