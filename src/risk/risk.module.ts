import { Module } from '@nestjs/common';
import { ProfileRefreshJobs } from './profile/profile-refresh.jobs';
import { ProfileRefresher } from './profile/profile-refresher';
import { ProfilesController } from './profile/profiles.controller';
import { ProfilesRepository } from './profile/profiles.repository';
import { ProfilesService } from './profile/profiles.service';
import { ScoresController } from './score/scores.controller';
import { ScoresService } from './score/scores.service';
import { SupplierSubLimitsController } from './score/sub-limits/supplier-sub-limits.controller';
import { SupplierSubLimits } from './score/sub-limits/supplier-sub-limits.service';

/**
 * Risk and trust (issue 6): enterprise profiles and credit scores, per-supplier sub-limits.
 * Reads the trade, financing and pledge tables by SQL only, so it imports none of their modules.
 */
@Module({
  controllers: [ProfilesController, ScoresController, SupplierSubLimitsController],
  providers: [
    ProfilesRepository,
    ProfileRefresher,
    ProfileRefreshJobs,
    ProfilesService,
    ScoresService,
    SupplierSubLimits,
  ],
  exports: [ProfileRefresher],
})
export class RiskModule {}
