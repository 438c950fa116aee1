import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { BankAccountsController } from './bank-accounts/bank-accounts.controller';
import { BankAccountsRepository } from './bank-accounts/bank-accounts.repository';
import { BankAccountsService } from './bank-accounts/bank-accounts.service';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsRepository } from './organizations.repository';
import { OrganizationsService } from './organizations.service';
import { PlatformBootstrap } from './platform-bootstrap';

@Module({
  imports: [UsersModule, NotificationsModule],
  controllers: [OrganizationsController, BankAccountsController],
  providers: [
    OrganizationsRepository,
    OrganizationsService,
    PlatformBootstrap,
    BankAccountsRepository,
    BankAccountsService,
  ],
  exports: [OrganizationsRepository, BankAccountsRepository],
})
export class OrganizationsModule {}
