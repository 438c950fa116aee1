import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { foundOr404 } from '../common/tenancy/not-found';
import { PledgeView } from './dto/pledge.view';
import type { Pledge } from './pledge.entity';
import { PledgesRepository } from './pledges.repository';

/** Pledges as their parties see them: the row, its goods, receipts, documents and debt. */
@Injectable()
export class PledgeReader {
  constructor(private readonly pledges: PledgesRepository) {}

  async view(actor: Actor, id: string): Promise<PledgeView> {
    const pledge = foundOr404(await this.pledges.findVisible(actor, id), 'Pledge', id);
    const [view] = await this.views([pledge]);
    return view;
  }

  async views(pledges: readonly Pledge[]): Promise<PledgeView[]> {
    if (pledges.length === 0) return [];
    const ids = pledges.map((pledge) => pledge.id);
    const [items, extras] = await Promise.all([this.pledges.items(ids), this.pledges.extras(ids)]);
    return pledges.map((pledge) =>
      PledgeView.of(
        pledge,
        items.filter((item) => item.pledgeId === pledge.id),
        extras.get(pledge.id)!,
      ),
    );
  }
}
