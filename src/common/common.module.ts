import { Global, Module } from '@nestjs/common';
import { AuditEventsRepository } from './audit/audit-events.repository';
import { AuditTrail } from './audit/audit-trail';
import { AuditVerification } from './audit/audit-verification';
import { AuditController } from './audit/audit.controller';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { ResponseSealer } from './idempotency/response-sealer';
import { JobFailures } from './jobs/job-failures';
import { Outbox } from './outbox/outbox';

/** The cross-cutting services every feature uses: audit trail, outbox, idempotency, job failures. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [
    AuditTrail,
    AuditEventsRepository,
    AuditVerification,
    Outbox,
    IdempotencyStore,
    ResponseSealer,
    JobFailures,
  ],
  exports: [AuditTrail, Outbox, IdempotencyStore, JobFailures],
})
export class CommonModule {}
