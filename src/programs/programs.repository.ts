import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/auth/actor';
import { paginate, type Page, type PageQuery } from '../common/pagination/page';
import { visibleTo } from '../common/tenancy/visibility';
import { TransactionHost } from '../database/transaction-host';
import { ProgramFinancier } from './program-financier.entity';
import type { FinancierMember, ProgramMembers, SupplierMember } from './program-members';
import { ProgramSupplier } from './program-supplier.entity';
import { Program } from './program.entity';

/** The columns of a new program (id, active and timestamps come from the database). */
export type NewProgram = Omit<Program, 'id' | 'anchor' | 'active' | 'createdAt' | 'updatedAt'>;

/** The columns a program change may write. */
export type ProgramChanges = Partial<
  Omit<NewProgram, 'anchorId' | 'currency'> & { active: boolean }
>;

export interface FinancierTerms {
  limitAmount: string;
  supplierSubLimit: string | null;
  marginBps: number;
  minTenorDays: number;
  maxTenorDays: number;
  active: boolean;
}

/**
 * Programs and their memberships. Reads go through visibleTo(Program): members are read only
 * within programs the actor can see. Writes are called by the service after such a read, in
 * the same transaction.
 */
@Injectable()
export class ProgramsRepository {
  constructor(private readonly tx: TransactionHost) {}

  async insert(program: NewProgram): Promise<string> {
    const manager = this.tx.manager;
    const saved = await manager.save(manager.create(Program, program));
    return saved.id;
  }

  findVisible(actor: Actor, id: string): Promise<Program | null> {
    return visibleTo(this.tx.manager, Program, 'p', actor).andWhere('p.id = :id', { id }).getOne();
  }

  /** Locks the program row until the transaction ends: its change is computed from what is read. */
  findVisibleForUpdate(actor: Actor, id: string): Promise<Program | null> {
    return visibleTo(this.tx.manager, Program, 'p', actor)
      .andWhere('p.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  listVisible(
    actor: Actor,
    filter: { active?: boolean; currency?: string },
    query: PageQuery,
  ): Promise<Page<Program>> {
    const qb = visibleTo(this.tx.manager, Program, 'p', actor);
    if (filter.active !== undefined) qb.andWhere('p.active = :active', { active: filter.active });
    if (filter.currency) qb.andWhere('p.currency = :currency', { currency: filter.currency });
    return paginate(qb, { alias: 'p', column: 'created_at', property: 'createdAt', query });
  }

  async update(id: string, changes: ProgramChanges): Promise<void> {
    await this.tx.manager.update(Program, { id }, changes);
  }

  /** The members of the given programs with their names, two statements for any page size. */
  async membersOf(actor: Actor, programIds: string[]): Promise<Map<string, ProgramMembers>> {
    const members = new Map<string, ProgramMembers>(
      programIds.map((id) => [id, { suppliers: [], financiers: [] }]),
    );
    if (programIds.length === 0) return members;
    const suppliers = await this.withinVisiblePrograms(
      this.tx.manager
        .createQueryBuilder(ProgramSupplier, 'ps')
        .innerJoinAndSelect('ps.supplier', 'o')
        .where('ps.program_id IN (:...programIds)', { programIds })
        .orderBy('ps.invited_at')
        .addOrderBy('ps.supplier_id'),
      'ps',
      actor,
    ).getMany();
    const financiers = await this.withinVisiblePrograms(
      this.tx.manager
        .createQueryBuilder(ProgramFinancier, 'pf')
        .innerJoinAndSelect('pf.financier', 'o')
        .where('pf.program_id IN (:...programIds)', { programIds })
        .orderBy('pf.invited_at')
        .addOrderBy('pf.financier_id'),
      'pf',
      actor,
    ).getMany();
    for (const row of suppliers) members.get(row.programId)?.suppliers.push(supplierMember(row));
    for (const row of financiers) members.get(row.programId)?.financiers.push(financierMember(row));
    return members;
  }

  /** Whom a program change concerns besides its anchor: every supplier and financier in it. */
  async memberOrganizationIds(programId: string): Promise<string[]> {
    const rows = (await this.tx.manager.query(
      `SELECT supplier_id AS id FROM program_suppliers WHERE program_id = $1
       UNION SELECT financier_id FROM program_financiers WHERE program_id = $1`,
      [programId],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** Invites a supplier; null when it is already in the program (invited or active). */
  async insertSupplier(programId: string, supplierId: string): Promise<{ invitedAt: Date } | null> {
    const [row] = (await this.tx.manager.query(
      `INSERT INTO program_suppliers (program_id, supplier_id, status) VALUES ($1, $2, 'INVITED')
       ON CONFLICT (program_id, supplier_id) DO NOTHING
       RETURNING invited_at`,
      [programId, supplierId],
    )) as Array<{ invited_at: Date }>;
    return row ? { invitedAt: row.invited_at } : null;
  }

  /**
   * INVITED → ACTIVE as one conditional statement: of two simultaneous accepts, the second waits
   * for the first's row lock, then finds the status no longer INVITED and changes nothing (null).
   */
  async activateSupplier(
    programId: string,
    supplierId: string,
  ): Promise<{ acceptedAt: Date } | null> {
    const [rows] = (await this.tx.manager.query(
      `UPDATE program_suppliers SET status = 'ACTIVE', accepted_at = now()
        WHERE program_id = $1 AND supplier_id = $2 AND status = 'INVITED'
       RETURNING accepted_at`,
      [programId, supplierId],
    )) as [Array<{ accepted_at: Date }>, number];
    return rows[0] ? { acceptedAt: rows[0].accepted_at } : null;
  }

  findSupplier(
    actor: Actor,
    programId: string,
    supplierId: string,
  ): Promise<ProgramSupplier | null> {
    return this.withinVisiblePrograms(
      this.tx.manager
        .createQueryBuilder(ProgramSupplier, 'ps')
        .where('ps.program_id = :programId AND ps.supplier_id = :supplierId', {
          programId,
          supplierId,
        }),
      'ps',
      actor,
    ).getOne();
  }

  /** Invites a financier; null when it is already in the program. */
  async insertFinancier(
    programId: string,
    financierId: string,
  ): Promise<{ invitedAt: Date } | null> {
    const [row] = (await this.tx.manager.query(
      `INSERT INTO program_financiers (program_id, financier_id, status) VALUES ($1, $2, 'INVITED')
       ON CONFLICT (program_id, financier_id) DO NOTHING
       RETURNING invited_at`,
      [programId, financierId],
    )) as Array<{ invited_at: Date }>;
    return row ? { invitedAt: row.invited_at } : null;
  }

  /** The financier's membership, locked: its terms are replaced from what is read here. */
  findFinancierForUpdate(
    actor: Actor,
    programId: string,
    financierId: string,
  ): Promise<ProgramFinancier | null> {
    return this.withinVisiblePrograms(
      this.tx.manager
        .createQueryBuilder(ProgramFinancier, 'pf')
        .where('pf.program_id = :programId AND pf.financier_id = :financierId', {
          programId,
          financierId,
        })
        .setLock('pessimistic_write'),
      'pf',
      actor,
    ).getOne();
  }

  /** Sets the terms; the first terms make the financier ACTIVE in the program. */
  async saveFinancierTerms(
    programId: string,
    financierId: string,
    terms: FinancierTerms,
  ): Promise<ProgramFinancier> {
    await this.tx.manager.update(
      ProgramFinancier,
      { programId, financierId },
      { ...terms, status: 'ACTIVE', termsUpdatedAt: () => 'now()' },
    );
    return this.tx.manager.findOneByOrFail(ProgramFinancier, { programId, financierId });
  }

  /** Narrows a membership query to programs the actor may see (a subquery, so a lock stays on the membership row). */
  private withinVisiblePrograms<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    actor: Actor,
  ): SelectQueryBuilder<T> {
    const visible = visibleTo(this.tx.manager, Program, 'vp', actor).select('vp.id');
    return qb
      .andWhere(`${alias}.program_id IN (${visible.getQuery()})`)
      .setParameters({ ...qb.getParameters(), ...visible.getParameters() });
  }
}

function supplierMember(row: ProgramSupplier): SupplierMember {
  return {
    programId: row.programId,
    supplierId: row.supplierId,
    name: row.supplier?.name ?? '',
    status: row.status,
    invitedAt: row.invitedAt,
    acceptedAt: row.acceptedAt,
  };
}

function financierMember(row: ProgramFinancier): FinancierMember {
  return {
    programId: row.programId,
    financierId: row.financierId,
    name: row.financier?.name ?? '',
    status: row.status,
    limitAmount: row.limitAmount,
    supplierSubLimit: row.supplierSubLimit,
    marginBps: row.marginBps,
    minTenorDays: row.minTenorDays,
    maxTenorDays: row.maxTenorDays,
    active: row.active,
    invitedAt: row.invitedAt,
    termsUpdatedAt: row.termsUpdatedAt,
  };
}
