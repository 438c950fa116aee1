import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsTradeCurrency } from '../../../common/money/money.validators';
import { Trim, TrimUpper } from '../../../common/validation/trim.decorator';
import { ACCOUNT_NUMBER_RULE, BIC_RULE, CNAPS_RULE, IBAN_RULE } from '../account-identifier';
import { AccountIdentifierChoice, IsAccountPart } from './account-identifier.validators';

/**
 * A settlement account: `iban`, or `accountNumber` + `bankCode` (a Chinese domestic account),
 * never both. Identifiers are normalised (spaces removed, upper case) before they are checked.
 */
export class RegisterBankAccountDto {
  @ApiProperty({
    example: 'EUR',
    description: 'ISO 4217 currency the account receives; need not match the IBAN country',
  })
  @TrimUpper()
  @IsTradeCurrency()
  currency: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'DE89 3704 0044 0532 0130 00',
    description:
      'ISO 13616 IBAN, spaces allowed; checked for its country length and check digits. Not with accountNumber/bankCode.',
  })
  @IsAccountPart(IBAN_RULE)
  @AccountIdentifierChoice('iban')
  iban?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '6222020200001234567',
    description: 'Chinese domestic account number, 8–30 digits (spaces ignored); needs bankCode',
  })
  @IsAccountPart(ACCOUNT_NUMBER_RULE)
  @AccountIdentifierChoice('accountNumber')
  accountNumber?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '102100099996',
    description:
      'The 12-digit CNAPS code (大额支付系统行号) of the account branch; needs accountNumber',
  })
  @IsAccountPart(CNAPS_RULE)
  @AccountIdentifierChoice('bankCode')
  bankCode?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'COBADEFFXXX',
    description: 'ISO 9362 BIC, 8 or 11 characters',
  })
  @IsAccountPart(BIC_RULE)
  bic?: string | null;

  @ApiProperty({ example: '苏州恒信精密电子有限公司', maxLength: 140 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(140)
  holderName: string;
}
