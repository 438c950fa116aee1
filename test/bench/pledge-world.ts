import { randomBytes, randomInt } from 'node:crypto';
import type { Pool } from 'pg';
import { usccCheckCharacter } from '../../src/organizations/registration-id/registration-id';
import { BENCH_ADMIN, BENCH_PASSWORD, type BenchApi } from './bench-context';

/** Lines of goods on each bench pledge: a warehouse receipt of a steel and metals trader. */
export const PLEDGE_ITEMS = 20;

const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(): string {
  let body = `91${randomInt(110000, 659999)}`;
  for (let i = 0; i < 9; i++) body += USCC[randomInt(USCC.length)];
  return body + usccCheckCharacter(body);
}

const GOODS = [
  ['HRC-Q235', '热轧钢卷 Q235', 't', '3980.00'],
  ['HRC-Q345', '热轧钢卷 Q345B', 't', '4210.50'],
  ['CRC-SPCC', '冷轧钢卷 SPCC', 't', '4655.333333'],
  ['REBAR-HRB400', '螺纹钢 HRB400', 't', '3520.00'],
  ['CU-CATH-A', '阴极铜 A级', 't', '68450.123456'],
  ['AL-A00', '铝锭 A00', 'kg', '18.75'],
] as const;

/** The i-th line of the template pledge: varied goods, thicknesses and quantities. */
function goodsLine(i: number) {
  const [sku, description, unit, price] = GOODS[i % GOODS.length];
  const size = (1 + (i % 7) * 0.5).toFixed(1);
  return {
    sku: `${sku}-${size}-${i + 1}`,
    description: `${description} ${size}mm 第${i + 1}批`,
    quantity: unit === 'kg' ? `${1200 + i * 37}` : `${(20 + i * 3.25).toFixed(2)}`,
    unit,
    declaredUnitValue: (Number(price) * 1.04).toFixed(2),
    marketUnitPrice: price,
  };
}

export interface PledgeWorld {
  supplierId: string;
  financierId: string;
  /** The pledge created, valued and approved through the API; the others are its copies. */
  templateId: string;
}

/**
 * A supplier and a financier (with a maker and a checker) onboarded through the API, and one
 * pledge of PLEDGE_ITEMS lines requested, valued and approved through it, as the app does it:
 * its agreement is QUEUED with its outbox row, waiting for a worker.
 */
export async function seedPledgeWorld(api: BenchApi): Promise<PledgeWorld> {
  const platform = await api.login(BENCH_ADMIN.email, BENCH_ADMIN.password);
  const tag = randomBytes(3).toString('hex');
  const onboard = async (kind: string, name: string, email: string) =>
    api.call<{ id: string }>('POST', '/api/v1/organizations', platform, {
      kind,
      name,
      registrationId: uscc(),
      admin: { email, password: BENCH_PASSWORD, name: 'Bench' },
    });
  const supplier = await onboard('SUPPLIER', '苏州恒通电子有限公司', `supplier-${tag}@scf.bench`);
  const financier = await onboard('FINANCIER', '上海浦江保理有限公司', `fin-${tag}@scf.bench`);
  const financierAdmin = await api.login(`fin-${tag}@scf.bench`);
  const member = async (role: string) => {
    const email = `${role.toLowerCase()}-${tag}@scf.bench`;
    await api.call('POST', `/api/v1/organizations/${financier.id}/users`, financierAdmin, {
      email,
      password: BENCH_PASSWORD,
      name: role,
      roles: [role],
    });
    return api.login(email);
  };
  const maker = await member('OPERATOR');
  const checker = await member('APPROVER');
  const supplierToken = await api.login(`supplier-${tag}@scf.bench`);
  const goods = Array.from({ length: PLEDGE_ITEMS }, (_, i) => goodsLine(i));
  const pledge = await api.call<{ id: string }>('POST', '/api/v1/pledges', supplierToken, {
    financierId: financier.id,
    currency: 'CNY',
    warehouse: {
      name: '青岛港保税物流仓储有限公司',
      registrationId: uscc(),
      address: '山东省青岛市黄岛区保税港区 12 号库',
    },
    receiptNumber: `QDP-WR-${tag.toUpperCase()}`,
    items: goods.map(({ marketUnitPrice: _price, ...item }) => item),
  });
  await api.call('POST', `/api/v1/pledges/${pledge.id}/valuation`, maker, {
    items: goods.map((item) => ({ sku: item.sku, marketUnitPrice: item.marketUnitPrice })),
    haircut: '0.3',
    marginCallLtv: '0.8',
    liquidationLtv: '0.9',
    warehouseVerifiedAt: new Date(Date.now() - 3_600_000).toISOString(),
    annualRate: '0.058',
  });
  await api.call('POST', `/api/v1/pledges/${pledge.id}/approve`, checker);
  return { supplierId: supplier.id, financierId: financier.id, templateId: pledge.id };
}

/**
 * `count` more APPROVED pledges like the template, set-based in one statement, written as the
 * app writes an approved pledge: the pledge with its valuation figures (collateral Σ quantity ×
 * price rounded half-up once, lending value less the haircut), its receipt (each its own), its
 * goods (quantities varied per copy) and their valuation marks, and its pledge agreement
 * QUEUED with a `render-document` outbox row, as DocumentRecords.queue writes them. Audit
 * events and notifications of the copies' earlier steps are left out: rendering reads none.
 */
export async function copyApprovedPledges(
  pool: Pool,
  templateId: string,
  count: number,
): Promise<number> {
  const { rowCount } = await pool.query(
    `WITH t AS (SELECT * FROM pledges WHERE id = $1::uuid),
     n AS (SELECT g, gen_random_uuid() AS id FROM generate_series(1, $2::int) AS g),
     goods AS (
       SELECT n.id AS pledge_id, i.sku, i.description, i.quantity + n.g % 97 AS quantity, i.unit,
              i.declared_unit_value, i.market_unit_price, i.marked_at, i.position
         FROM n CROSS JOIN pledge_items i WHERE i.pledge_id = $1::uuid
     ),
     figures AS (
       SELECT pledge_id, round(sum(quantity * market_unit_price), 2) AS collateral
         FROM goods GROUP BY pledge_id
     ),
     p AS (
       INSERT INTO pledges (id, reference, status, supplier_id, financier_id, program_id, currency,
                            warehouse_name, warehouse_registration_id, warehouse_address,
                            receipt_number, haircut, margin_call_ltv, liquidation_ltv, approval_ltv,
                            annual_rate, day_count, collateral_value, lending_value, ltv,
                            warehouse_verified_at, created_by, valued_by, valued_at, approved_by,
                            approved_at, revalued_at)
       SELECT n.id, 'PLG-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('pledge_reference_seq')::text, 6, '0'),
              'APPROVED', t.supplier_id, t.financier_id, t.program_id, t.currency, t.warehouse_name,
              t.warehouse_registration_id, t.warehouse_address, t.receipt_number || '-' || n.g,
              t.haircut, t.margin_call_ltv, t.liquidation_ltv, t.approval_ltv, t.annual_rate,
              t.day_count, f.collateral, round(f.collateral * (1 - t.haircut), 2), 0,
              t.warehouse_verified_at, t.created_by, t.valued_by, t.valued_at, t.approved_by,
              now(), now()
         FROM n CROSS JOIN t JOIN figures f ON f.pledge_id = n.id
       RETURNING id, reference, supplier_id, financier_id, warehouse_registration_id, receipt_number
     ),
     receipts AS (
       INSERT INTO pledge_receipts (pledge_id, warehouse_registration_id, receipt_number, live)
       SELECT id, warehouse_registration_id, receipt_number, true FROM p
     ),
     items AS (
       INSERT INTO pledge_items (pledge_id, sku, description, quantity, unit, declared_unit_value,
                                 market_unit_price, marked_at, position)
       SELECT pledge_id, sku, description, quantity, unit, declared_unit_value, market_unit_price,
              marked_at, position
         FROM goods
     ),
     marks AS (
       INSERT INTO pledge_marks (pledge_id, sku, market_unit_price, as_of, source, recorded_by)
       SELECT g.pledge_id, g.sku, g.market_unit_price, t.warehouse_verified_at, 'VALUATION', t.valued_by
         FROM goods g CROSS JOIN t
     ),
     documents AS (
       INSERT INTO documents (kind, status, subject_type, subject_id, party_ids, number)
       SELECT 'PLEDGE_AGREEMENT', 'QUEUED', 'pledge', p.id, ARRAY[p.supplier_id, p.financier_id],
              'PA-' || p.reference
         FROM p
       RETURNING id
     )
     INSERT INTO outbox_messages (queue, job_name, payload, available_at)
     SELECT 'documents', 'render-document', jsonb_build_object('documentId', documents.id), now()
       FROM documents`,
    [templateId, count],
  );
  return rowCount ?? 0;
}
