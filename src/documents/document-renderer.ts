import { Inject, Injectable, Logger } from '@nestjs/common';
import { PermanentJobError } from '../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AssignmentNoticeSource } from './assignment-notice/assignment-notice-source';
import { assignmentNoticeLayout } from './assignment-notice/assignment-notice-layout';
import { DocumentKind, type DocumentRecord } from './document.entity';
import { financingConfirmationLayout } from './financing-confirmation/financing-confirmation-layout';
import { FinancingConfirmationSource } from './financing-confirmation/financing-confirmation-source';
import { loadCjkFont } from './pdf/cjk-font';
import type { DocumentLayout } from './pdf/document-layout';
import { MissingGlyphError, renderDocumentPdf, type RenderedPdf } from './pdf/render-pdf';
import { settlementStatementLayout } from './settlement-statement/settlement-statement-layout';
import { SettlementStatementSource } from './settlement-statement/settlement-statement-source';
import { pledgeAgreementLayout } from './pledge-agreement/pledge-agreement-layout';
import { PledgeAgreementSource } from './pledge-agreement/pledge-agreement-source';
import { releaseCertificateLayout } from './release-certificate/release-certificate-layout';
import { ReleaseCertificateSource } from './release-certificate/release-certificate-source';

/** Turns a document record into its PDF: the kind's layout from its subject, drawn with pdfkit. */
@Injectable()
export class DocumentRenderer {
  private readonly logger = new Logger('DocumentRenderer');

  constructor(
    private readonly assignmentNotices: AssignmentNoticeSource,
    private readonly financingConfirmations: FinancingConfirmationSource,
    private readonly settlementStatements: SettlementStatementSource,
    private readonly pledgeAgreements: PledgeAgreementSource,
    private readonly releaseCertificates: ReleaseCertificateSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** @throws PermanentJobError when no retry can help (unknown kind, missing subject, no glyph) */
  async render(document: DocumentRecord): Promise<RenderedPdf> {
    const layout = await this.layout(document);
    const font = await loadCjkFont({
      install: this.config.installSystemPackages,
      log: (line) => this.logger.log(line),
    });
    try {
      return await renderDocumentPdf(layout, font);
    } catch (error) {
      if (error instanceof MissingGlyphError) throw new PermanentJobError(error.message);
      throw error;
    }
  }

  private async layout(document: DocumentRecord): Promise<DocumentLayout> {
    switch (document.kind) {
      case DocumentKind.ASSIGNMENT_NOTICE:
        return assignmentNoticeLayout(await this.assignmentNotices.load(document));
      case DocumentKind.FINANCING_CONFIRMATION:
        return financingConfirmationLayout(await this.financingConfirmations.load(document));
      case DocumentKind.SETTLEMENT_STATEMENT:
        return settlementStatementLayout(await this.settlementStatements.load(document));
      case DocumentKind.PLEDGE_AGREEMENT:
        return pledgeAgreementLayout(await this.pledgeAgreements.load(document));
      case DocumentKind.RELEASE_CERTIFICATE:
        return releaseCertificateLayout(await this.releaseCertificates.load(document));
      default:
        throw new PermanentJobError(
          `document ${document.id}: no renderer for kind ${document.kind} yet`,
        );
    }
  }
}
