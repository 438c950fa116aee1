import { Module } from '@nestjs/common';
import { Ledger } from './ledger';
import { LedgerController } from './ledger.controller';
import { LedgerRepository } from './ledger.repository';

/** The general ledger: Ledger posts journal entries, LedgerRepository reads balances and entries. */
@Module({
  controllers: [LedgerController],
  providers: [Ledger, LedgerRepository],
  exports: [Ledger, LedgerRepository],
})
export class LedgerModule {}
