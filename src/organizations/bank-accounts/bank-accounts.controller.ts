import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AnyMember } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { PageQuery } from '../../common/pagination/page';
import { BankAccountsService } from './bank-accounts.service';
import { BankAccountPage, BankAccountView } from './dto/bank-account-view';
import { RegisterBankAccountDto } from './dto/register-bank-account.dto';

@ApiTags('Organizations')
@ApiCredentials()
@Controller('organizations/:id/bank-accounts')
export class BankAccountsController {
  constructor(private readonly accounts: BankAccountsService) {}

  @Post()
  @Allow({ roles: [Role.ADMIN] })
  @ApiOperation({
    summary:
      "Register a settlement bank account of an organisation (its ADMIN, or the platform's): an IBAN, or a Chinese account number with its CNAPS code. " +
      'The newest account in a currency is the one the organisation is paid to; 409 DUPLICATE_BANK_ACCOUNT when it is already registered.',
  })
  @ApiCreatedResponse({ type: BankAccountView })
  async register(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Organization')) organizationId: string,
    @Body() dto: RegisterBankAccountDto,
  ): Promise<BankAccountView> {
    return BankAccountView.of(await this.accounts.register(actor, organizationId, dto));
  }

  @Get()
  @AnyMember()
  @ApiOperation({
    summary:
      "An organisation's bank accounts, newest first (its members, any role, and the platform; 404 for anyone else)",
  })
  @ApiOkResponse({ type: BankAccountPage })
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Organization')) organizationId: string,
    @Query() query: PageQuery,
  ): Promise<BankAccountPage> {
    const page = await this.accounts.list(actor, organizationId, query);
    return {
      items: page.items.map((account) => BankAccountView.of(account)),
      nextCursor: page.nextCursor,
    };
  }
}
