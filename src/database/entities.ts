import { ApiKey } from '../api-keys/api-key.entity';
import type { EntityClass } from '../common/tenancy/visibility';
import { AuditChainHead } from '../common/audit/audit-chain-head.entity';
import { AuditEvent } from '../common/audit/audit-event.entity';
import { IdempotencyRecord } from '../common/idempotency/idempotency-record.entity';
import { JobFailure } from '../common/jobs/job-failure.entity';
import { OutboxMessage } from '../common/outbox/outbox-message.entity';
import { Notification } from '../notifications/notification.entity';
import { OrganizationIdentifier } from '../organizations/organization-identifier.entity';
import { Organization } from '../organizations/organization.entity';
import { User } from '../users/user.entity';

/** Every entity, in one list: the data source, the CLI and the schema-drift test use it. */
export const ENTITIES = [
  Organization,
  OrganizationIdentifier,
  User,
  ApiKey,
  AuditEvent,
  AuditChainHead,
  IdempotencyRecord,
  OutboxMessage,
  JobFailure,
  Notification,
];

/** Platform-internal tables, never read by tenants, so they declare no visibility rule. */
export const INTERNAL_ENTITIES: readonly EntityClass[] = [
  OrganizationIdentifier,
  AuditChainHead,
  IdempotencyRecord,
  OutboxMessage,
  JobFailure,
];
