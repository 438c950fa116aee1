import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../common/auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { JobName } from '../common/jobs/job-registry';
import { formatMoney } from '../common/money/money';
import { Outbox } from '../common/outbox/outbox';
import { foundOr404 } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import { DocumentRecords } from '../documents/document-records';
import { DocumentKind } from '../documents/document.entity';
import { NotificationType } from '../notifications/notifier';
import { assessRelease } from './collateral';
import type { PledgeReleaseDto } from './dto/pledge-requests.dto';
import type { PledgeView } from './dto/pledge.view';
import { fieldError, pledgeNotReady } from './pledge-errors';
import { PledgeEvents } from './pledge-events';
import { PledgeReader } from './pledge-reader';
import { PledgeStatus } from './pledge-status';
import { pledgeActionFrom } from './pledge-transitions';
import { PledgesRepository } from './pledges.repository';

/**
 * Goods let out of the warehouse: allowed only while the LTV after the release stays at or
 * below the pledge's approval LTV (1 − haircut), or when nothing is outstanding. Asked for by
 * the supplier or the financier; a release certificate is queued for each.
 */
@Injectable()
export class PledgeReleases {
  constructor(
    private readonly tx: TransactionHost,
    private readonly pledges: PledgesRepository,
    private readonly reader: PledgeReader,
    private readonly events: PledgeEvents,
    private readonly documents: DocumentRecords,
    private readonly outbox: Outbox,
  ) {}

  async release(actor: Actor, id: string, dto: PledgeReleaseDto): Promise<PledgeView> {
    await this.tx.run(async () => {
      const pledge = foundOr404(
        await this.pledges.findVisible(actor, id, { lock: true }),
        'Pledge',
        id,
      );
      if (!pledgeActionFrom('release').includes(pledge.status))
        throw pledgeNotReady(pledge, 'release');
      const currency = pledge.currency.trim();
      const items = await this.pledges.items([id]);
      const outstanding = await this.pledges.outstanding(id);
      const assessment = assessRelease({
        items: items.map((item) => ({
          sku: item.sku,
          quantity: item.quantity,
          marketUnitPrice: item.marketUnitPrice,
        })),
        release: dto.items,
        outstanding,
        approvalLtv: pledge.approvalLtv!,
        currency,
      });
      const refusal = assessment.refusal;
      if (refusal?.code === 'UNKNOWN_SKU')
        throw fieldError('items', 'UNKNOWN_SKU', `SKU ${refusal.sku} is not pledged`);
      if (refusal?.code === 'MORE_THAN_PLEDGED')
        throw fieldError(
          'items',
          'MORE_THAN_PLEDGED',
          `SKU ${refusal.sku}: ${refusal.asked} asked, ${refusal.pledged} pledged`,
        );
      if (refusal?.code === 'LTV_TOO_HIGH')
        throw new DomainError(
          ErrorCode.RELEASE_REFUSED,
          `Releasing these goods would leave ${currency} ${formatMoney(outstanding, currency)} outstanding against ${currency} ${formatMoney(assessment.collateralAfter, currency)} of collateral: LTV ${refusal.ltvAfter ?? '∞'} above the approved ${refusal.limit}. Repay first or release less.`,
          {
            outstandingAmount: formatMoney(outstanding, currency),
            collateralAfter: formatMoney(assessment.collateralAfter, currency),
            ltvAfter: refusal.ltvAfter,
            approvalLtv: refusal.limit,
          },
        );
      const [{ count }] = (await this.tx.manager.query(
        `SELECT count(*)::int AS count FROM pledge_releases WHERE pledge_id = $1`,
        [id],
      )) as Array<{ count: number }>;
      const number = `RC-${pledge.reference}-${count + 1}`;
      const [{ id: releaseId }] = (await this.tx.manager.query(
        `INSERT INTO pledge_releases (pledge_id, number, lines, collateral_before, collateral_after,
                                      outstanding_amount, ltv_after, "full", released_by)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          id,
          number,
          JSON.stringify(dto.items.map((line) => ({ sku: line.sku, quantity: line.quantity }))),
          assessment.collateralBefore,
          assessment.collateralAfter,
          outstanding,
          assessment.ltvAfter,
          assessment.full,
          actorId(actor),
        ],
      )) as Array<{ id: string }>;
      await this.pledges.releaseItems(id, dto.items);
      const to = assessment.full ? PledgeStatus.RELEASED : PledgeStatus.PARTIALLY_RELEASED;
      const moved = await this.pledges.transition(id, pledgeActionFrom('release'), to, {
        ...(assessment.full ? { released_at: new Date() } : {}),
      });
      if (!moved) throw pledgeNotReady(pledge, 'release');
      if (assessment.full) await this.pledges.freeReceipts(id);
      else await this.outbox.enqueue(JobName.REVALUE_PLEDGES, { pledgeIds: [id] });
      const documentId = await this.documents.queue({
        kind: DocumentKind.RELEASE_CERTIFICATE,
        subjectType: 'pledge_release',
        subjectId: releaseId,
        partyIds: [pledge.supplierId, pledge.financierId],
        number,
      });
      const other =
        actor.organizationId === pledge.supplierId ? pledge.financierId : pledge.supplierId;
      await this.events.record({
        actor,
        action: assessment.full ? 'pledge.released' : 'pledge.partially_released',
        pledgeId: id,
        data: {
          releaseId,
          releaseCertificateId: documentId,
          items: dto.items.map((line) => ({ sku: line.sku, quantity: line.quantity })),
          collateralAfter: formatMoney(assessment.collateralAfter, currency),
          ltvAfter: assessment.ltvAfter,
        },
        notify: [
          {
            organizationId: other,
            type: NotificationType.PLEDGE_RELEASED,
            title: assessment.full
              ? `Pledge ${pledge.reference} released in full; receipt ${pledge.receiptNumber} is free`
              : `Goods released from pledge ${pledge.reference}; ${currency} ${formatMoney(assessment.collateralAfter, currency)} of collateral remains`,
          },
        ],
      });
    });
    return this.reader.view(actor, id);
  }
}
