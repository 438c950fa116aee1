import { ApiProperty } from '@nestjs/swagger';
import { formatMoneyOrNull } from '../../common/money/money';
import type { ProgramFinancier } from '../program-financier.entity';

export class SupplierInvitationView {
  @ApiProperty({ format: 'uuid' })
  programId: string;
  @ApiProperty({ format: 'uuid' })
  supplierId: string;
  @ApiProperty({ enum: ['INVITED'] })
  status: 'INVITED';
  @ApiProperty({ format: 'date-time' })
  invitedAt: string;
}

export class SupplierAcceptanceView {
  @ApiProperty({ format: 'uuid' })
  programId: string;
  @ApiProperty({ format: 'uuid' })
  supplierId: string;
  @ApiProperty({ enum: ['ACTIVE'] })
  status: 'ACTIVE';
  @ApiProperty({ format: 'date-time' })
  acceptedAt: string;
}

export class FinancierInvitationView {
  @ApiProperty({ format: 'uuid' })
  programId: string;
  @ApiProperty({ format: 'uuid' })
  financierId: string;
  @ApiProperty({ enum: ['INVITED'] })
  status: 'INVITED';
  @ApiProperty({ format: 'date-time' })
  invitedAt: string;
}

/** A financier's terms in a program, as the financier (and the platform) see them. */
export class FinancierTermsView {
  @ApiProperty({ format: 'uuid' })
  programId: string;
  @ApiProperty({ format: 'uuid' })
  financierId: string;
  @ApiProperty({ enum: ['INVITED', 'ACTIVE'] })
  status: string;
  @ApiProperty({ type: String, nullable: true, example: '50000000.00' })
  limit: string | null;
  @ApiProperty({ type: String, nullable: true, example: '5000000.00' })
  supplierSubLimit: string | null;
  @ApiProperty({ type: 'integer', nullable: true })
  marginBps: number | null;
  @ApiProperty({ type: 'integer', nullable: true })
  minTenorDays: number | null;
  @ApiProperty({ type: 'integer', nullable: true })
  maxTenorDays: number | null;
  @ApiProperty()
  active: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  termsUpdatedAt: string | null;

  static of(membership: ProgramFinancier, currency: string): FinancierTermsView {
    return {
      programId: membership.programId,
      financierId: membership.financierId,
      status: membership.status,
      limit: formatMoneyOrNull(membership.limitAmount, currency),
      supplierSubLimit: formatMoneyOrNull(membership.supplierSubLimit, currency),
      marginBps: membership.marginBps,
      minTenorDays: membership.minTenorDays,
      maxTenorDays: membership.maxTenorDays,
      active: membership.active,
      termsUpdatedAt: membership.termsUpdatedAt?.toISOString() ?? null,
    };
  }
}
