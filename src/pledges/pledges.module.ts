import { Module, type OnModuleInit } from '@nestjs/common';
import { DocumentReadyHooks } from '../documents/document-ready-hooks';
import { DocumentKind } from '../documents/document.entity';
import { DocumentsModule } from '../documents/documents.module';
import { FinancingModule } from '../financing/financing.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PledgeDrawdowns } from './pledge-drawdowns.service';
import { PledgeEvents } from './pledge-events';
import { PledgeMarks } from './pledge-marks.service';
import { PledgeReader } from './pledge-reader';
import { PledgeReleases } from './pledge-releases.service';
import { PledgeRevaluationJobs } from './pledge-revaluation.jobs';
import { PledgeValuation } from './pledge-valuation.service';
import { PledgesController } from './pledges.controller';
import { PledgesRepository } from './pledges.repository';
import { PledgesService } from './pledges.service';

/** Inventory pledges, their valuation, drawdowns, marks, margin calls and releases (issue 5). */
@Module({
  imports: [NotificationsModule, DocumentsModule, FinancingModule],
  controllers: [PledgesController],
  providers: [
    PledgesRepository,
    PledgeReader,
    PledgeEvents,
    PledgesService,
    PledgeValuation,
    PledgeDrawdowns,
    PledgeMarks,
    PledgeReleases,
    PledgeRevaluationJobs,
  ],
})
export class PledgesModule implements OnModuleInit {
  constructor(
    private readonly hooks: DocumentReadyHooks,
    private readonly valuation: PledgeValuation,
  ) {}

  onModuleInit(): void {
    this.hooks.on(DocumentKind.PLEDGE_AGREEMENT, (document) =>
      this.valuation.activate(document.subjectId, document.id),
    );
  }
}
