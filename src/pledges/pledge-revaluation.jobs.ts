import { Injectable } from '@nestjs/common';
import { systemActor } from '../common/auth/actor';
import { OrganizationKind } from '../common/auth/roles';
import { JobName, type JobPayload } from '../common/jobs/job-registry';
import { OnJob } from '../common/jobs/on-job.decorator';
import { formatMoney } from '../common/money/money';
import { TransactionHost } from '../database/transaction-host';
import { Outbox } from '../common/outbox/outbox';
import { AlertType } from '../risk/alerts/alert-kinds';
import { NotificationType } from '../notifications/notifier';
import { PledgeEvents } from './pledge-events';
import { revalue, type Revaluation } from './pledge-revaluation';
import { PledgeStatus } from './pledge-status';
import { PledgesRepository, type RevaluationRow } from './pledges.repository';

/**
 * The `maintenance` revaluation: every securing pledge (or the ones named) marked to market in
 * one read and one write; margin calls raised and cleared, and the urgent liquidation event
 * once per crossing. A pledge a drawdown or release holds locked is skipped: that action
 * queued its own revaluation, which runs after it commits.
 */
@Injectable()
export class PledgeRevaluationJobs {
  constructor(
    private readonly tx: TransactionHost,
    private readonly pledges: PledgesRepository,
    private readonly events: PledgeEvents,
    private readonly outbox: Outbox,
  ) {}

  @OnJob(JobName.REVALUE_PLEDGES)
  async revalue(
    payload: JobPayload<JobName.REVALUE_PLEDGES>,
  ): Promise<{ revalued: number; marginCalls: number; cleared: number; liquidation: number }> {
    return this.tx.run(async () => {
      const rows = await this.pledges.lockForRevaluation(payload.pledgeIds ?? null);
      const results = rows.map((row) => ({ row, result: revalue(row) }));
      await this.pledges.saveRevaluation(results.map(({ result }) => result));
      await this.pledges.appendLtvHistory(
        results.map(({ row, result }) => ({ ...result, outstanding: row.outstanding })),
      );
      let marginCalls = 0;
      let cleared = 0;
      let liquidation = 0;
      for (const { row, result } of results) {
        if (
          result.status === PledgeStatus.MARGIN_CALL &&
          result.from !== PledgeStatus.MARGIN_CALL
        ) {
          marginCalls += 1;
          await this.announce(
            row,
            result,
            'pledge.margin_call',
            NotificationType.PLEDGE_MARGIN_CALL,
          );
        } else if (
          result.from === PledgeStatus.MARGIN_CALL &&
          result.status !== PledgeStatus.MARGIN_CALL
        ) {
          cleared += 1;
          await this.announce(
            row,
            result,
            'pledge.margin_call_cleared',
            NotificationType.PLEDGE_MARGIN_CLEARED,
          );
        }
        if (result.liquidationCrossed) {
          liquidation += 1;
          await this.announce(
            row,
            result,
            'pledge.liquidation_level',
            NotificationType.PLEDGE_LIQUIDATION_LEVEL,
          );
        }
      }
      if (marginCalls + cleared + liquidation > 0)
        await this.outbox.enqueue(JobName.SWEEP_RISK_ALERTS, {
          types: [AlertType.MARGIN_CALL, AlertType.LIQUIDATION_LEVEL],
        });
      return { revalued: rows.length, marginCalls, cleared, liquidation };
    });
  }

  private async announce(
    row: RevaluationRow,
    result: Revaluation,
    action: string,
    type: NotificationType,
  ): Promise<void> {
    const currency = row.currency.trim();
    const figures = `LTV ${result.ltv ?? '∞'} (outstanding ${currency} ${formatMoney(row.outstanding, currency)}, collateral ${currency} ${formatMoney(result.collateralValue, currency)})`;
    const title = {
      'pledge.margin_call': `Margin call on pledge ${row.reference}: ${figures} is above ${row.margin_call_ltv}. Repay or add goods.`,
      'pledge.margin_call_cleared': `Margin call on pledge ${row.reference} cleared: ${figures}`,
      'pledge.liquidation_level': `URGENT: pledge ${row.reference} is past its liquidation level ${row.liquidation_ltv}: ${figures}`,
    }[action]!;
    await this.events.record({
      actor: systemActor(row.financier_id, OrganizationKind.FINANCIER),
      action,
      pledgeId: row.id,
      data: {
        ltv: result.ltv,
        collateralValue: formatMoney(result.collateralValue, currency),
        outstanding: formatMoney(row.outstanding, currency),
        marginCallLtv: row.margin_call_ltv,
        liquidationLtv: row.liquidation_ltv,
        urgent: action === 'pledge.liquidation_level',
      },
      notify: [row.supplier_id, row.financier_id].map((organizationId) => ({
        organizationId,
        type,
        title,
      })),
    });
  }
}
