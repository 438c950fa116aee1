import type { MembershipStatus } from './program-supplier.entity';

/** A supplier of a program as read with its organisation's name. */
export interface SupplierMember {
  programId: string;
  supplierId: string;
  name: string;
  status: MembershipStatus;
  invitedAt: Date;
  acceptedAt: Date | null;
}

/** A financier of a program with its name and its own terms (null until it sets them). */
export interface FinancierMember {
  programId: string;
  financierId: string;
  name: string;
  status: MembershipStatus;
  limitAmount: string | null;
  supplierSubLimit: string | null;
  marginBps: number | null;
  minTenorDays: number | null;
  maxTenorDays: number | null;
  active: boolean;
  invitedAt: Date;
  termsUpdatedAt: Date | null;
}

export interface ProgramMembers {
  suppliers: SupplierMember[];
  financiers: FinancierMember[];
}

export const NO_MEMBERS: ProgramMembers = { suppliers: [], financiers: [] };
