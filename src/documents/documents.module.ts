import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { NotificationsModule } from '../notifications/notifications.module';
import { AssignmentNoticeSource } from './assignment-notice/assignment-notice-source';
import { DocumentReadyHooks } from './document-ready-hooks';
import { DocumentRecords } from './document-records';
import { DocumentRenderer } from './document-renderer';
import { DOCUMENT_STORAGE, LocalFolderStorage } from './document-storage';
import { DocumentJobs } from './documents.jobs';
import { DocumentsController } from './documents.controller';
import { PledgeAgreementSource } from './pledge-agreement/pledge-agreement-source';
import { PledgeFactsSource } from './pledge-facts/pledge-facts-source';
import { ReleaseCertificateSource } from './release-certificate/release-certificate-source';
import { S3CompatibleStorage } from './s3-compatible-storage';
import { FinancingConfirmationSource } from './financing-confirmation/financing-confirmation-source';
import { FinancingFactsSource } from './financing-facts/financing-facts-source';
import { SettlementStatementSource } from './settlement-statement/settlement-statement-source';

/**
 * Documents (issue 5): records queued by other modules' events, rendered to PDF on
 * the `documents` queue, stored behind DocumentStorage (a local folder, DOCUMENTS_DIR), served
 * to their parties.
 */
@Module({
  imports: [NotificationsModule],
  controllers: [DocumentsController],
  providers: [
    DocumentRecords,
    DocumentReadyHooks,
    DocumentRenderer,
    AssignmentNoticeSource,
    FinancingFactsSource,
    FinancingConfirmationSource,
    SettlementStatementSource,
    PledgeFactsSource,
    PledgeAgreementSource,
    ReleaseCertificateSource,
    DocumentJobs,
    {
      provide: DOCUMENT_STORAGE,
      inject: [APP_CONFIG],
      useFactory: ({ documentStorage: storage }: AppConfig) =>
        storage.kind === 's3'
          ? new S3CompatibleStorage(storage)
          : new LocalFolderStorage(storage.dir),
    },
  ],
  exports: [DocumentRecords, DocumentReadyHooks, DOCUMENT_STORAGE, DocumentRenderer],
})
export class DocumentsModule {}
