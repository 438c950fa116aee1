import { Module } from '@nestjs/common';
import { LedgerModule } from '../../ledger/ledger.module';
import { NotificationsModule } from '../../notifications/notifications.module';
import { ProgramsModule } from '../../programs/programs.module';
import { GuaranteeCoverage } from './guarantee-coverage';
import { GuaranteesController } from './guarantees.controller';
import { GuaranteesRepository } from './guarantees.repository';
import { Guarantees } from './guarantees.service';

/**
 * Guarantees on programs' financings (issue 6). Financing imports it for GuaranteeCoverage (the
 * cover at acceptance, the claim at write-off); it reads financings by SQL only, so it imports no
 * financing module.
 */
@Module({
  imports: [NotificationsModule, LedgerModule, ProgramsModule],
  controllers: [GuaranteesController],
  providers: [GuaranteesRepository, Guarantees, GuaranteeCoverage],
  exports: [GuaranteeCoverage, GuaranteesRepository],
})
export class GuaranteesModule {}
