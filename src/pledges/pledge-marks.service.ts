import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../common/auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { JobName } from '../common/jobs/job-registry';
import { Outbox } from '../common/outbox/outbox';
import { foundOr404 } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import { refuseFutureMoment } from '../financing/past-moment';
import type { PledgePricesDto } from './dto/pledge-requests.dto';
import type { PledgeView } from './dto/pledge.view';
import { fieldError, pledgeNotReady, refuseRepeatedSkus } from './pledge-errors';
import { PledgeReader } from './pledge-reader';
import { pledgeActionFrom } from './pledge-transitions';
import { PledgesRepository } from './pledges.repository';

/**
 * Market prices of pledged goods, from the financier or its price feed (an API key). Marks are
 * kept as facts; an item takes a mark only if it is newer than the one it has. The revaluation
 * job (queued here, and every 15 minutes) turns them into LTV and margin calls.
 */
@Injectable()
export class PledgeMarks {
  constructor(
    private readonly tx: TransactionHost,
    private readonly pledges: PledgesRepository,
    private readonly reader: PledgeReader,
    private readonly outbox: Outbox,
  ) {}

  async record(actor: Actor, id: string, dto: PledgePricesDto): Promise<PledgeView> {
    refuseRepeatedSkus(
      'items',
      dto.items.map((item) => item.sku),
    );
    const asOf = new Date(dto.asOf);
    refuseFutureMoment('asOf', asOf);
    await this.tx.run(async () => {
      const pledge = foundOr404(await this.pledges.findVisible(actor, id), 'Pledge', id);
      if (pledge.financierId !== actor.organizationId)
        throw new DomainError(ErrorCode.FORBIDDEN, 'Only the pledge’s financier marks its goods.');
      if (!pledgeActionFrom('mark').includes(pledge.status)) throw pledgeNotReady(pledge, 'mark');
      const skus = new Set((await this.pledges.items([id])).map((item) => item.sku));
      const unknown = dto.items.find((item) => !skus.has(item.sku));
      if (unknown) throw fieldError('items', 'UNKNOWN_SKU', `SKU ${unknown.sku} is not pledged`);
      await this.pledges.mark(id, dto.items, asOf, 'PRICE_FEED', actorId(actor));
      await this.outbox.enqueue(JobName.REVALUE_PLEDGES, { pledgeIds: [id] });
    });
    return this.reader.view(actor, id);
  }
}
