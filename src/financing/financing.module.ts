import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { LedgerModule } from '../ledger/ledger.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { GuaranteesModule } from '../risk/guarantees/guarantees.module';
import { PoolRecoveriesModule } from '../risk/pool/pool-recoveries.module';
import { Disbursements } from './financings/disbursements.service';
import { FinancingDecisions } from './financings/financing-decisions.service';
import { FinancingDilution } from './financings/financing-dilution';
import { FinancingLedger } from './financings/financing-ledger';
import { FinancingsController } from './financings/financings.controller';
import { FinancingsRepository } from './financings/financings.repository';
import { OverdueFinancings } from './financings/overdue.service';
import { LimitReservations } from './limits/limit-reservations';
import { AutoAcceptRules } from './offers/auto-accept-rules.service';
import { OfferAcceptance } from './offers/offer-acceptance.service';
import { OfferExpiryJobs } from './offers/offer-expiry.jobs';
import { OfferPricingJobs } from './offers/offer-pricing.jobs';
import { OffersRepository } from './offers/offers.repository';
import { PricingFacts } from './offers/pricing-facts.repository';
import { FinancingRequestsController } from './requests/financing-requests.controller';
import { FinancingRequestsRepository } from './requests/financing-requests.repository';
import { FinancingRequestsService } from './requests/financing-requests.service';
import { Camt054Import } from './settlements/camt054-import.service';
import { SettlementsController } from './settlements/settlements.controller';
import { SettlementsService } from './settlements/settlements.service';
import { FinancierRecordedPayments } from './settlements/financier-recorded-payments';

/** Financing: requests, offers, limits, maker-checker, payout, settlement, overdue (issue 4). */
@Module({
  imports: [
    NotificationsModule,
    LedgerModule,
    OrganizationsModule,
    DocumentsModule,
    GuaranteesModule,
    PoolRecoveriesModule,
  ],
  controllers: [FinancingRequestsController, FinancingsController, SettlementsController],
  providers: [
    FinancingRequestsRepository,
    FinancingRequestsService,
    OffersRepository,
    OfferPricingJobs,
    PricingFacts,
    OfferExpiryJobs,
    OfferAcceptance,
    AutoAcceptRules,
    LimitReservations,
    FinancingsRepository,
    FinancingDecisions,
    FinancingLedger,
    Disbursements,
    SettlementsService,
    FinancierRecordedPayments,
    Camt054Import,
    OverdueFinancings,
    FinancingDilution,
  ],
  exports: [FinancingDilution, FinancingsRepository, LimitReservations],
})
export class FinancingModule {}
