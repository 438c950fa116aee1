import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyMember } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import {
  AccountBalanceView,
  LedgerEntryPage,
  LedgerEntryView,
  ListLedgerEntriesQuery,
} from './dto/ledger.dto';
import { LedgerRepository } from './ledger.repository';

@ApiTags('Ledger')
@ApiCredentials()
@Controller('ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerRepository) {}

  @Get('accounts')
  @AnyMember()
  @ApiOperation({
    summary: "The caller's organisation's accounts with their balances (sums of its postings)",
  })
  @ApiOkResponse({ type: [AccountBalanceView] })
  async accounts(@CurrentActor() actor: Actor): Promise<AccountBalanceView[]> {
    const balances = await this.ledger.balances(actor.organizationId);
    return balances.map((balance) => AccountBalanceView.of(balance));
  }

  @Get('entries')
  @AnyMember()
  @ApiOperation({
    summary:
      "Journal entries the caller's organisation has postings in, newest first, with only its own postings",
  })
  @ApiOkResponse({ type: LedgerEntryPage })
  async entries(
    @CurrentActor() actor: Actor,
    @Query() query: ListLedgerEntriesQuery,
  ): Promise<LedgerEntryPage> {
    const page = await this.ledger.entries(actor, query);
    return {
      items: page.items.map((entry) => LedgerEntryView.of(entry)),
      nextCursor: page.nextCursor,
    };
  }
}
