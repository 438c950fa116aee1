import { Injectable } from '@nestjs/common';
import { JobName } from '../../common/jobs/job-registry';
import { OnJob } from '../../common/jobs/on-job.decorator';
import { ProfileRefresher } from './profile-refresher';

/**
 * The hourly `maintenance` refresh of every supplier's profile and score. Running it twice
 * recomputes the same figures from the same data: the effect of once.
 */
@Injectable()
export class ProfileRefreshJobs {
  constructor(private readonly refresher: ProfileRefresher) {}

  @OnJob(JobName.REFRESH_SUPPLIER_PROFILES)
  refresh(): Promise<{ suppliers: number; gradesChanged: number }> {
    return this.refresher.refreshAll();
  }
}
