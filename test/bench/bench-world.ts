import { randomBytes, randomInt } from 'node:crypto';
import {
  leiCheckDigits,
  usccCheckCharacter,
} from '../../src/organizations/registration-id/registration-id';
import { BENCH_ADMIN, BENCH_PASSWORD, type BenchApi } from './bench-context';

export interface BenchWorld {
  anchor: { id: string; token: string };
  supplier: { id: string; token: string };
  /** A second supplier, whose rows the raw-COPY baseline writes (and deletes). */
  otherSupplier: { id: string };
  programId: string;
  poNumbers: string[];
}

const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(): string {
  let body = `91${randomInt(110000, 659999)}`;
  for (let i = 0; i < 9; i++) body += USCC[randomInt(USCC.length)];
  return body + usccCheckCharacter(body);
}
const lei = (): string => {
  const body = `5493${randomBytes(7).toString('hex').toUpperCase()}`;
  return body + leiCheckDigits(body);
};

/** Purchase orders per bench world; invoices refer to them round-robin. */
export const BENCH_ORDERS = 1_000;

/**
 * An anchor with a CNY program, a supplier in it, and 1,000 purchase orders fully received (each
 * worth 6,000,000.00), set up through the API with its bulk endpoints, as an ERP would.
 */
export async function seedBenchWorld(api: BenchApi): Promise<BenchWorld> {
  const platform = await api.login(BENCH_ADMIN.email, BENCH_ADMIN.password);
  const tag = randomBytes(3).toString('hex');
  const onboard = async (kind: string, email: string, registrationId: string) =>
    api.call<{ id: string }>('POST', '/api/v1/organizations', platform, {
      kind,
      name: `${kind} bench ${tag}`,
      registrationId,
      admin: { email, password: BENCH_PASSWORD, name: 'Bench' },
    });
  const anchor = await onboard('ANCHOR', `anchor-${tag}@scf.bench`, uscc());
  const supplier = await onboard('SUPPLIER', `supplier-${tag}@scf.bench`, uscc());
  const otherSupplier = await onboard('SUPPLIER', `other-${tag}@scf.bench`, lei());
  const anchorToken = await api.login(`anchor-${tag}@scf.bench`);
  const supplierToken = await api.login(`supplier-${tag}@scf.bench`);
  const program = await api.call<{ id: string }>('POST', '/api/v1/programs', anchorToken, {
    name: 'Bench program',
    currency: 'CNY',
    advanceRate: '0.9',
    recourse: 'WITH',
    maxTenorDays: 180,
    matchTolerance: '0.02',
    baseRate: '0.0345',
    platformFeeBps: 10,
    offerTtlHours: 24,
    graceDays: 5,
  });
  for (const member of [supplier.id, otherSupplier.id]) {
    await api.call('POST', `/api/v1/programs/${program.id}/suppliers`, anchorToken, {
      supplierId: member,
    });
  }
  await api.call(
    'POST',
    `/api/v1/programs/${program.id}/suppliers/${supplier.id}/accept`,
    supplierToken,
  );
  const poNumbers = Array.from({ length: BENCH_ORDERS }, (_, i) => `PO-${tag}-${i}`);
  const orders = [
    'number,supplierId,currency,issueDate,sku,description,quantity,unit,unitPrice',
    ...poNumbers.map(
      (number) => `${number},${supplier.id},CNY,2026-09-01,SKU-1,Bench goods,6000000,PCS,1.00`,
    ),
  ].join('\n');
  await api.call('POST', '/api/v1/purchase-orders/bulk', anchorToken, orders, 'text/csv');
  const receipts = [
    'purchaseOrderNumber,receivedDate,sku,quantityAccepted',
    ...poNumbers.map((number) => `${number},2026-09-20,SKU-1,6000000`),
  ].join('\n');
  await api.call('POST', '/api/v1/goods-receipts/bulk', anchorToken, receipts, 'text/csv');
  return {
    anchor: { id: anchor.id, token: anchorToken },
    supplier: { id: supplier.id, token: supplierToken },
    otherSupplier: { id: otherSupplier.id },
    programId: program.id,
    poNumbers,
  };
}

/** The fields of the i-th bench invoice: amounts spread 1,000–100,000 CNY, due in 106 days. */
export function benchInvoice(world: BenchWorld, prefix: string, i: number) {
  return {
    number: `${prefix}-${i}`,
    purchaseOrderNumber: world.poNumbers[i % world.poNumbers.length],
    issueDate: '2026-10-01',
    dueDate: '2027-01-15',
    totalAmount: `${1000 + ((i * 7919) % 99000)}.${String(i % 100).padStart(2, '0')}`,
    taxAmount: '100.00',
  };
}
