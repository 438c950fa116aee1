import type { Actor } from '../common/auth/actor';
import { OrganizationKind } from '../common/auth/roles';
import type { UpdateProgramDto } from './dto/update-program.dto';
import { diffProgram } from './program-changes';
import type { ProgramMembers } from './program-members';
import { formatRate, isoDates } from './program-terms';
import type { Program } from './program.entity';
import { ProgramView } from './program.view';

const program = (overrides: Partial<Program> = {}): Program => ({
  id: 'p1',
  anchorId: 'anchor',
  name: 'CNY program',
  currency: 'CNY',
  advanceRate: '0.80000000',
  dayCount: 'ACT/360',
  recourse: 'WITH',
  maxTenorDays: 180,
  minInvoiceAmount: '10000.0000',
  maxInvoiceAmount: null,
  perFinancingCap: null,
  matchTolerance: '0.02000',
  baseRate: '0.03450000',
  platformFeeBps: 30,
  offerTtlHours: 48,
  graceDays: 5,
  timezone: 'Asia/Shanghai',
  holidays: ['2026-10-02', '2026-10-01'],
  riskSpreadBps: { A: 0, B: 25, C: 60, D: 120, E: 250 },
  active: true,
  createdAt: new Date('2026-11-30T00:00:00Z'),
  updatedAt: new Date('2026-11-30T00:00:00Z'),
  ...overrides,
});

describe('program terms in API form', () => {
  it.each([
    ['0.80000000', '0.8'],
    ['0.03450000', '0.0345'],
    ['0.00000001', '0.00000001'],
    ['1.00000000', '1'],
    ['0.00000', '0'],
  ])('writes the stored rate %s as %s (never in exponent notation)', (stored, shown) => {
    expect(formatRate(stored)).toBe(shown);
  });

  it('reads a date[] column as sorted YYYY-MM-DD, whether node-postgres gave strings or local-midnight Dates', () => {
    expect(isoDates([new Date(2026, 9, 2), '2026-10-01', new Date(2024, 1, 29)])).toEqual([
      '2024-02-29',
      '2026-10-01',
      '2026-10-02',
    ]);
  });
});

describe('diffProgram', () => {
  it('sees no change in the same values written another way', () => {
    const dto: UpdateProgramDto = {
      advanceRate: '0.80',
      minInvoiceAmount: '10000',
      holidays: ['2026-10-01', '2026-10-02'],
      matchTolerance: '0.020',
    };
    expect(diffProgram(program(), dto)).toEqual({ columns: {}, changes: {} });
  });

  it('writes and reports only what changes, before and after in API form', () => {
    const diff = diffProgram(program(), {
      advanceRate: '0.85',
      minInvoiceAmount: null,
      graceDays: 5,
      holidays: ['2026-10-05'],
    });
    expect(diff.columns).toEqual({
      advanceRate: '0.85',
      minInvoiceAmount: null,
      holidays: ['2026-10-05'],
    });
    expect(diff.changes).toEqual({
      advanceRate: { before: '0.8', after: '0.85' },
      minInvoiceAmount: { before: '10000.00', after: null },
      holidays: { before: ['2026-10-01', '2026-10-02'], after: ['2026-10-05'] },
    });
  });
});

describe('diffProgram: risk spreads by grade', () => {
  it('compares them grade by grade, whatever the order of the keys', () => {
    const reordered = { E: 250, D: 120, C: 60, B: 25, A: 0 };
    expect(diffProgram(program(), { riskSpreadBps: reordered })).toEqual({
      columns: {},
      changes: {},
    });
    const diff = diffProgram(program(), { riskSpreadBps: { ...reordered, C: 75 } });
    expect(diff.columns).toEqual({ riskSpreadBps: { A: 0, B: 25, C: 75, D: 120, E: 250 } });
    expect(diff.changes).toEqual({
      riskSpreadBps: {
        before: { A: 0, B: 25, C: 60, D: 120, E: 250 },
        after: { A: 0, B: 25, C: 75, D: 120, E: 250 },
      },
    });
  });
});

describe('ProgramView: who sees which members', () => {
  const members: ProgramMembers = {
    suppliers: ['s1', 's2'].map((supplierId) => ({
      programId: 'p1',
      supplierId,
      name: supplierId,
      status: 'ACTIVE' as const,
      invitedAt: new Date(),
      acceptedAt: new Date(),
    })),
    financiers: ['f1', 'f2'].map((financierId) => ({
      programId: 'p1',
      financierId,
      name: financierId,
      status: 'ACTIVE' as const,
      limitAmount: '1000.0000',
      supplierSubLimit: null,
      marginBps: 100,
      minTenorDays: 10,
      maxTenorDays: 90,
      active: true,
      invitedAt: new Date(),
      termsUpdatedAt: new Date(),
    })),
  };
  const actor = (organizationId: string, kind: OrganizationKind): Actor => ({
    type: 'USER',
    userId: 'u',
    apiKeyId: null,
    organizationId,
    organizationKind: kind,
    roles: [],
  });
  const seen = (who: Actor) => {
    const view = ProgramView.of(program(), members, who);
    return {
      suppliers: view.suppliers.map((s) => s.supplierId),
      financiers: view.financiers.map((f) => `${f.financierId}${'limit' in f ? '+terms' : ''}`),
    };
  };

  it.each([
    [
      'the platform',
      actor('platform', OrganizationKind.PLATFORM),
      ['s1', 's2'],
      ['f1+terms', 'f2+terms'],
    ],
    ['the anchor', actor('anchor', OrganizationKind.ANCHOR), ['s1', 's2'], ['f1', 'f2']],
    ['a supplier', actor('s2', OrganizationKind.SUPPLIER), ['s2'], ['f1', 'f2']],
    ['a financier', actor('f2', OrganizationKind.FINANCIER), ['s1', 's2'], ['f2+terms']],
    ['a non-member', actor('x', OrganizationKind.GUARANTOR), [], []],
  ])('%s', (_who, who, suppliers, financiers) => {
    expect(seen(who)).toEqual({ suppliers, financiers });
  });
});
