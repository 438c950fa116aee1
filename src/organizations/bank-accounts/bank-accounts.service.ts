import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { OrganizationKind } from '../../common/auth/roles';
import { AuditTrail } from '../../common/audit/audit-trail';
import { isUniqueViolation } from '../../common/errors/constraint-violation';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { Page, PageQuery } from '../../common/pagination/page';
import { foundOr404, notFound } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import type { Organization } from '../organization.entity';
import { OrganizationsRepository } from '../organizations.repository';
import { maskedAccount } from './account-identifier';
import type { BankAccount } from './bank-account.entity';
import { BankAccountsRepository, DUPLICATE_BANK_ACCOUNT_INDEXES } from './bank-accounts.repository';
import type { RegisterBankAccountDto } from './dto/register-bank-account.dto';

@Injectable()
export class BankAccountsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly accounts: BankAccountsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  /**
   * Registers a settlement account of an organisation (its ADMIN, or the platform's; the route
   * checks the role). The same account in the same currency again is 409; the newest account
   * in a currency becomes the one it is paid to (`BankAccountsRepository.settlementAccount`).
   * Audited into the organisation's own chain with the full account details, and announced to it:
   * a new settlement account is what a payment fraud would register.
   */
  async register(
    actor: Actor,
    organizationId: string,
    dto: RegisterBankAccountDto,
  ): Promise<BankAccount> {
    return this.tx.run(async () => {
      const organization = await this.findOwn(actor, organizationId);
      const values = {
        organizationId,
        currency: dto.currency,
        iban: dto.iban ?? null,
        accountNumber: dto.accountNumber ?? null,
        bankCode: dto.bankCode ?? null,
        bic: dto.bic ?? null,
        holderName: dto.holderName,
      };
      let account: BankAccount;
      try {
        account = await this.accounts.insert(values);
      } catch (error) {
        if (DUPLICATE_BANK_ACCOUNT_INDEXES.some((index) => isUniqueViolation(error, index)))
          throw duplicateAccount(values);
        throw error;
      }
      const eventId = await this.audit.record({
        actor,
        organizationId,
        action: 'organization.bank_account_registered',
        entityType: 'bank_account',
        entityId: account.id,
        data: {
          currency: account.currency,
          iban: account.iban,
          accountNumber: account.accountNumber,
          bankCode: account.bankCode,
          bic: account.bic,
          holderName: account.holderName,
        },
      });
      const masked = maskedAccount(account.iban ?? account.accountNumber ?? '');
      await this.notifier.notify({
        organizationId,
        eventId,
        type: NotificationType.BANK_ACCOUNT_REGISTERED,
        title: `A ${account.currency} bank account ${masked} was registered for ${organization.name}; payments in ${account.currency} now go to it`,
        data: { bankAccountId: account.id, currency: account.currency, account: masked },
      });
      return account;
    });
  }

  async list(actor: Actor, organizationId: string, query: PageQuery): Promise<Page<BankAccount>> {
    await this.findOwn(actor, organizationId);
    return this.accounts.listInOrganization(actor, organizationId, query);
  }

  /**
   * Bank accounts are the business of their organisation and of the platform only. Any other
   * organisation gets 404, a program counterpart that can see the organisation itself included:
   * it must not learn whether or where the organisation banks.
   */
  private async findOwn(actor: Actor, organizationId: string): Promise<Organization> {
    if (
      actor.organizationId !== organizationId &&
      actor.organizationKind !== OrganizationKind.PLATFORM
    )
      throw notFound('Organization', organizationId);
    return foundOr404(
      await this.organizations.findVisible(actor, organizationId),
      'Organization',
      organizationId,
    );
  }
}

function duplicateAccount(account: { currency: string; iban: string | null }): DomainError {
  const fields = account.iban ? ['iban'] : ['accountNumber', 'bankCode'];
  return new DomainError(
    ErrorCode.DUPLICATE_BANK_ACCOUNT,
    `This ${account.currency} account is already registered for the organisation.`,
    {
      errors: fields.map((field) => ({
        field,
        code: 'DUPLICATE',
        message: `the ${account.currency} account is already registered`,
      })),
    },
  );
}
