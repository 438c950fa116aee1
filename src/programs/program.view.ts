import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor';
import { OrganizationKind } from '../common/auth/roles';
import { formatMoneyOrNull } from '../common/money/money';
import { PageOf } from '../common/pagination/page';
import { DAY_COUNTS, RECOURSE } from './dto/create-program.dto';
import { RiskSpreadBpsDto, type RiskSpreadBps } from './dto/risk-spread.dto';
import type { FinancierMember, ProgramMembers, SupplierMember } from './program-members';
import { programTermsOf } from './program-terms';
import type { DayCount, Program, Recourse } from './program.entity';

const STATUSES = ['INVITED', 'ACTIVE'];

export class ProgramSupplierView {
  @ApiProperty({ format: 'uuid' })
  supplierId: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: STATUSES })
  status: string;
  @ApiProperty({ format: 'date-time' })
  invitedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acceptedAt: string | null;

  static of(member: SupplierMember): ProgramSupplierView {
    return {
      supplierId: member.supplierId,
      name: member.name,
      status: member.status,
      invitedAt: member.invitedAt.toISOString(),
      acceptedAt: member.acceptedAt?.toISOString() ?? null,
    };
  }
}

/** Optional fields are left out for callers who may not see them (see ProgramView). */
export class ProgramFinancierView {
  @ApiProperty({ format: 'uuid' })
  financierId: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: STATUSES, description: 'INVITED until the financier sets its terms' })
  status: string;
  @ApiPropertyOptional({ format: 'date-time' })
  invitedAt?: string;
  @ApiPropertyOptional({ description: 'false: the financier pauses new offers' })
  active?: boolean;
  @ApiPropertyOptional({ type: 'integer', nullable: true })
  minTenorDays?: number | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true })
  maxTenorDays?: number | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  termsUpdatedAt?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'platform and the financier only',
  })
  limit?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'platform and the financier only',
  })
  supplierSubLimit?: string | null;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'platform and the financier only',
  })
  marginBps?: number | null;
}

type FinancierDetail = 'identity' | 'operational' | 'commercial';
type Audience = 'platform' | 'anchor' | 'financier' | 'supplier' | 'none';

const FINANCIER_DETAIL: Record<Audience, FinancierDetail> = {
  platform: 'commercial',
  anchor: 'operational',
  financier: 'commercial',
  supplier: 'identity',
  none: 'identity',
};

function financierView(
  member: FinancierMember,
  currency: string,
  detail: FinancierDetail,
): ProgramFinancierView {
  const identity = { financierId: member.financierId, name: member.name, status: member.status };
  if (detail === 'identity') return identity;
  const operational = {
    ...identity,
    invitedAt: member.invitedAt.toISOString(),
    active: member.active,
    minTenorDays: member.minTenorDays,
    maxTenorDays: member.maxTenorDays,
    termsUpdatedAt: member.termsUpdatedAt?.toISOString() ?? null,
  };
  if (detail === 'operational') return operational;
  return {
    ...operational,
    limit: formatMoneyOrNull(member.limitAmount, currency),
    supplierSubLimit: formatMoneyOrNull(member.supplierSubLimit, currency),
    marginBps: member.marginBps,
  };
}

/**
 * A program as one caller sees it. Every caller who can see the program (program.entity.ts)
 * sees all its own fields; its membership is shown by need to know:
 *
 * - the platform operator: every supplier, every financier with all its terms;
 * - the anchor: every supplier, every financier with status, active flag and tenor range, but
 *   not the financiers' commercial terms (limit, supplierSubLimit, marginBps): those are the
 *   financier's business with the platform, and the anchor could play financiers off;
 * - a supplier: only itself among the suppliers (suppliers of one anchor are often competitors),
 *   and the financiers by name and status only;
 * - a financier: only itself among the financiers (with its own terms), every supplier (it lends
 *   to them).
 */
export class ProgramView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  anchorId: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ example: 'CNY' })
  currency: string;
  @ApiProperty({ example: '0.8' })
  advanceRate: string;
  @ApiProperty({ enum: DAY_COUNTS })
  dayCount: DayCount;
  @ApiProperty({ enum: RECOURSE })
  recourse: Recourse;
  @ApiProperty({ type: 'integer' })
  maxTenorDays: number;
  @ApiProperty({ type: String, nullable: true, example: '10000.00' })
  minInvoiceAmount: string | null;
  @ApiProperty({ type: String, nullable: true, example: '5000000.00' })
  maxInvoiceAmount: string | null;
  @ApiProperty({ type: String, nullable: true })
  perFinancingCap: string | null;
  @ApiProperty({ example: '0.02' })
  matchTolerance: string;
  @ApiProperty({ example: '0.0345' })
  baseRate: string;
  @ApiProperty({ type: 'integer' })
  platformFeeBps: number;
  @ApiProperty({ type: 'integer' })
  offerTtlHours: number;
  @ApiProperty({ type: 'integer' })
  graceDays: number;
  @ApiProperty({ example: 'Asia/Shanghai' })
  timezone: string;
  @ApiProperty({ type: [String], format: 'date' })
  holidays: string[];
  @ApiProperty({
    type: RiskSpreadBpsDto,
    description: "Basis points an offer adds for the supplier's credit grade",
  })
  riskSpreadBps: RiskSpreadBps;
  @ApiProperty()
  active: boolean;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
  @ApiProperty({ type: [ProgramSupplierView] })
  suppliers: ProgramSupplierView[];
  @ApiProperty({ type: [ProgramFinancierView] })
  financiers: ProgramFinancierView[];

  static of(program: Program, members: ProgramMembers, actor: Actor): ProgramView {
    const me = actor.organizationId;
    const audience: Audience =
      actor.organizationKind === OrganizationKind.PLATFORM
        ? 'platform'
        : program.anchorId === me
          ? 'anchor'
          : members.financiers.some((member) => member.financierId === me)
            ? 'financier'
            : members.suppliers.some((member) => member.supplierId === me)
              ? 'supplier'
              : 'none';
    const suppliers = members.suppliers.filter((member) =>
      audience === 'supplier' ? member.supplierId === me : audience !== 'none',
    );
    const financiers = members.financiers
      .filter((member) =>
        audience === 'financier' ? member.financierId === me : audience !== 'none',
      )
      .map((member) => financierView(member, program.currency, FINANCIER_DETAIL[audience]));
    return {
      id: program.id,
      anchorId: program.anchorId,
      currency: program.currency,
      ...programTermsOf(program),
      createdAt: program.createdAt.toISOString(),
      updatedAt: program.updatedAt.toISOString(),
      suppliers: suppliers.map((member) => ProgramSupplierView.of(member)),
      financiers,
    };
  }
}

export class ProgramPage extends PageOf(ProgramView) {}
