import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination/page';
import { JournalEntryKind, LedgerAccount } from '../ledger-account';
import type { AccountBalance, LedgerEntry, LedgerEntryPosting } from '../ledger.repository';

export class ListLedgerEntriesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the entries of this financing' })
  @IsOptional()
  @IsUUID()
  financingId?: string;
}

export class AccountBalanceView {
  @ApiProperty({ enum: LedgerAccount, enumName: 'LedgerAccount' })
  code: LedgerAccount;
  @ApiProperty({ example: 'CNY' })
  currency: string;
  @ApiProperty({
    example: '90000.00',
    description:
      'Sum of the postings at the currency minor unit: debit positive, credit negative (income and payables are negative)',
  })
  balance: string;

  static of(balance: AccountBalance): AccountBalanceView {
    return { code: balance.code, currency: balance.currency, balance: balance.balance };
  }
}

export class LedgerPostingView {
  @ApiProperty({
    format: 'uuid',
    description: 'Whose account: always the caller’s own, except for the platform operator',
  })
  organizationId: string;
  @ApiProperty({ enum: LedgerAccount, enumName: 'LedgerAccount' })
  account: LedgerAccount;
  @ApiProperty({ example: 'CNY' })
  currency: string;
  @ApiProperty({ example: '-88965.00', description: 'Debit positive, credit negative' })
  amount: string;

  static of(posting: LedgerEntryPosting): LedgerPostingView {
    return {
      organizationId: posting.organizationId,
      account: posting.account,
      currency: posting.currency,
      amount: posting.amount,
    };
  }
}

export class LedgerEntryView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: JournalEntryKind, enumName: 'JournalEntryKind' })
  kind: JournalEntryKind;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  financingId: string | null;
  @ApiProperty()
  memo: string;
  @ApiProperty({ example: '2026-12-01', description: 'Business date of the money movement' })
  effectiveDate: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({
    type: [LedgerPostingView],
    description:
      'The caller’s own postings in this entry (every posting for the platform operator)',
  })
  postings: LedgerPostingView[];

  static of(entry: LedgerEntry): LedgerEntryView {
    return {
      id: entry.id,
      kind: entry.kind,
      financingId: entry.financingId,
      memo: entry.memo,
      effectiveDate: entry.effectiveDate,
      createdAt: entry.createdAt.toISOString(),
      postings: entry.postings.map((posting) => LedgerPostingView.of(posting)),
    };
  }
}

export class LedgerEntryPage extends PageOf(LedgerEntryView) {}
