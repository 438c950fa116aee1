import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../../../common/auth/actor';
import { AuditTrail } from '../../../common/audit/audit-trail';
import { DomainError } from '../../../common/errors/domain-error';
import { ErrorCode } from '../../../common/errors/error-code';
import { Decimal } from '../../../common/money/decimal';
import { formatMoneyOrNull } from '../../../common/money/money';
import { notFound } from '../../../common/tenancy/not-found';
import { visibleTo } from '../../../common/tenancy/visibility';
import { TransactionHost } from '../../../database/transaction-host';
import { AT_MOST_FIELD } from '../../../programs/dto/program-validators';
import { amountScaleErrors, throwIfInvalid } from '../../../programs/program-rules';
import { Program } from '../../../programs/program.entity';
import type { SupplierSubLimitDto, SupplierSubLimitView } from './supplier-sub-limit.dto';

interface Membership {
  currency: string;
  status: 'INVITED' | 'ACTIVE';
  limit_amount: string | null;
  program_sub_limit: string | null;
  own_sub_limit: string | null;
  supplier_member: boolean;
}

/**
 * A financier sets (or removes) its sub-limit for one supplier of a program: how it adopts the
 * scorecard's suggestion, or any amount of its own. Same access as its terms: its ADMIN, its
 * own membership only.
 */
@Injectable()
export class SupplierSubLimits {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditTrail,
  ) {}

  async set(
    actor: Actor,
    ids: { programId: string; financierId: string; supplierId: string },
    dto: SupplierSubLimitDto,
  ): Promise<SupplierSubLimitView> {
    const { programId, financierId, supplierId } = ids;
    if (financierId !== actor.organizationId) throw notFound('Program financier', financierId);
    return this.tx.run(async () => {
      const program = await visibleTo(this.tx.manager, Program, 'p', actor)
        .andWhere('p.id = :programId', { programId })
        .getOne();
      if (!program) throw notFound('Program', programId);
      // The membership row is locked: a change is computed from what is read here.
      const [membership] = (await this.tx.manager.query(
        `SELECT p.currency, pf.status, pf.limit_amount::text AS limit_amount,
                pf.supplier_sub_limit::text AS program_sub_limit,
                (SELECT s.amount::text FROM supplier_sub_limits s
                  WHERE s.program_id = pf.program_id AND s.financier_id = pf.financier_id AND s.supplier_id = $3) AS own_sub_limit,
                EXISTS (SELECT 1 FROM program_suppliers ps
                         WHERE ps.program_id = pf.program_id AND ps.supplier_id = $3) AS supplier_member
           FROM program_financiers pf JOIN programs p ON p.id = pf.program_id
          WHERE pf.program_id = $1 AND pf.financier_id = $2
          FOR UPDATE OF pf`,
        [programId, financierId, supplierId],
      )) as Membership[];
      if (!membership) throw notFound('Program financier', financierId);
      if (!membership.supplier_member) throw notFound('Program supplier', supplierId);
      const currency = membership.currency.trim();
      if (membership.status !== 'ACTIVE' || membership.limit_amount === null)
        throw new DomainError(
          ErrorCode.CONFLICT,
          'Set your terms in this program (PUT …/terms) before a sub-limit for one supplier.',
        );
      const amount = dto.supplierSubLimit;
      throwIfInvalid(amountScaleErrors({ supplierSubLimit: amount }, currency));
      if (amount !== null && new Decimal(amount).gt(membership.limit_amount))
        throwIfInvalid([
          {
            field: 'supplierSubLimit',
            code: AT_MOST_FIELD,
            message: `supplierSubLimit must be at most your limit in the program (${formatMoneyOrNull(membership.limit_amount, currency)})`,
          },
        ]);
      const before = formatMoneyOrNull(membership.own_sub_limit, currency);
      const after = formatMoneyOrNull(amount, currency);
      if (before !== after) {
        if (amount === null)
          await this.tx.manager.query(
            `DELETE FROM supplier_sub_limits WHERE program_id = $1 AND financier_id = $2 AND supplier_id = $3`,
            [programId, financierId, supplierId],
          );
        else
          await this.tx.manager.query(
            `INSERT INTO supplier_sub_limits (program_id, financier_id, supplier_id, amount, set_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, now())
             ON CONFLICT (program_id, financier_id, supplier_id)
             DO UPDATE SET amount = EXCLUDED.amount, set_by = EXCLUDED.set_by, updated_at = now()`,
            [programId, financierId, supplierId, amount, actorId(actor)],
          );
        // A retried PUT of the same amount changes nothing and leaves no trace.
        await this.audit.record({
          actor,
          action: 'program.supplier_sub_limit_set',
          entityType: 'program',
          entityId: programId,
          data: { financierId, supplierId, before, after },
        });
      }
      return {
        programId,
        financierId,
        supplierId,
        supplierSubLimit: after,
        effectiveSubLimit: after ?? formatMoneyOrNull(membership.program_sub_limit, currency),
      };
    });
  }
}
