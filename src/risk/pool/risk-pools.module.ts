import { Module } from '@nestjs/common';
import { FinancingModule } from '../../financing/financing.module';
import { LedgerModule } from '../../ledger/ledger.module';
import { NotificationsModule } from '../../notifications/notifications.module';
import { ProgramsModule } from '../../programs/programs.module';
import { RiskPoolsController } from './risk-pools.controller';
import { RiskPoolsRepository } from './risk-pools.repository';
import { RiskPools } from './risk-pools.service';

/** Risk compensation pools: contributions, claims, payouts, all on the ledger (issue 6). */
@Module({
  imports: [NotificationsModule, LedgerModule, ProgramsModule, FinancingModule],
  controllers: [RiskPoolsController],
  providers: [RiskPoolsRepository, RiskPools],
})
export class RiskPoolsModule {}
