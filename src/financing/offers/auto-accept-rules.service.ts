import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { notFound } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import type { AutoAcceptRuleDto } from '../dto/financing-request.dto';

export interface AutoAcceptRuleView {
  programId: string;
  maxEffectiveRate: string;
  active: boolean;
  updatedAt: string;
}

/** A supplier's standing instruction for one program, replaced whole by PUT. */
@Injectable()
export class AutoAcceptRules {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditTrail,
  ) {}

  async put(actor: Actor, dto: AutoAcceptRuleDto): Promise<AutoAcceptRuleView> {
    return this.tx.run(async () => {
      const [member] = (await this.tx.manager.query(
        `SELECT 1 FROM program_suppliers WHERE program_id = $1 AND supplier_id = $2`,
        [dto.programId, actor.organizationId],
      )) as unknown[];
      if (!member) throw notFound('Program', dto.programId);
      const [row] = (await this.tx.manager.query(
        `INSERT INTO auto_accept_rules (supplier_id, program_id, max_effective_rate, active, set_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (supplier_id, program_id) DO UPDATE
            SET max_effective_rate = EXCLUDED.max_effective_rate, active = EXCLUDED.active,
                set_by = EXCLUDED.set_by, updated_at = now()
         RETURNING max_effective_rate::text AS rate, active, updated_at`,
        [actor.organizationId, dto.programId, dto.maxEffectiveRate, dto.active, actorId(actor)],
      )) as Array<{ rate: string; active: boolean; updated_at: Date }>;
      await this.audit.record({
        actor,
        action: 'auto_accept_rule.set',
        entityType: 'program',
        entityId: dto.programId,
        data: { maxEffectiveRate: dto.maxEffectiveRate, active: dto.active },
      });
      return {
        programId: dto.programId,
        maxEffectiveRate: dto.maxEffectiveRate,
        active: row.active,
        updatedAt: row.updated_at.toISOString(),
      };
    });
  }
}
