import { Global, Module } from '@nestjs/common';
import { MetricsCollector } from './metrics-collector';
import { MetricsController } from './metrics.controller';
import { PortalMetrics } from './portal-metrics';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [PortalMetrics, MetricsCollector],
  exports: [PortalMetrics],
})
export class MetricsModule {}
