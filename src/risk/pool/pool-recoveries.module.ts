import { Module } from '@nestjs/common';
import { LedgerModule } from '../../ledger/ledger.module';
import { PoolRecoveries } from './pool-recoveries';

/**
 * What financing needs of the pools: sharing a recovery with a pool that paid. Apart from
 * RiskPoolsModule, which imports financing.
 */
@Module({
  imports: [LedgerModule],
  providers: [PoolRecoveries],
  exports: [PoolRecoveries],
})
export class PoolRecoveriesModule {}
