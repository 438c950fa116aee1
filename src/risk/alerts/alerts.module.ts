import { Module } from '@nestjs/common';
import { NotificationsModule } from '../../notifications/notifications.module';
import { AlertConditions } from './alert-conditions.repository';
import { AlertSweepJobs } from './alert-sweep.jobs';
import { RiskAlertsController } from './risk-alerts.controller';
import { RiskAlertsRepository } from './risk-alerts.repository';
import { RiskAlertsService } from './risk-alerts.service';

/** Early warnings: the sweep that raises and resolves them, and the alerts endpoints (issue 6). */
@Module({
  imports: [NotificationsModule],
  controllers: [RiskAlertsController],
  providers: [AlertConditions, RiskAlertsRepository, RiskAlertsService, AlertSweepJobs],
})
export class AlertsModule {}
