import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../../common/pagination/page';
import type { BankAccount } from '../bank-account.entity';

export class BankAccountView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  organizationId: string;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'DE89370400440532013000',
    description: 'Electronic form: upper case, no spaces',
  })
  iban: string | null;
  @ApiProperty({ type: String, nullable: true, example: '6222020200001234567' })
  accountNumber: string | null;
  @ApiProperty({ type: String, nullable: true, example: '102100099996' })
  bankCode: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'COBADEFFXXX' })
  bic: string | null;
  @ApiProperty()
  holderName: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  static of(account: BankAccount): BankAccountView {
    return {
      id: account.id,
      organizationId: account.organizationId,
      currency: account.currency,
      iban: account.iban,
      accountNumber: account.accountNumber,
      bankCode: account.bankCode,
      bic: account.bic,
      holderName: account.holderName,
      createdAt: account.createdAt.toISOString(),
    };
  }
}

export class BankAccountPage extends PageOf(BankAccountView) {}
