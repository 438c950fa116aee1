import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { OrganizationKind, Role } from '../common/auth/roles';
import { AuditTrail } from '../common/audit/audit-trail';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { isUniqueViolation } from '../common/errors/constraint-violation';
import type { Page, PageQuery } from '../common/pagination/page';
import { foundOr404 } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import { NotificationType, Notifier } from '../notifications/notifier';
import { PasswordHasher } from '../users/password-hasher';
import { UsersService } from '../users/users.service';
import type { CreateOrganizationDto } from './dto/create-organization.dto';
import type { Organization } from './organization.entity';
import { OrganizationsRepository } from './organizations.repository';
import { normalizeRegistrationId, registrationScheme } from './registration-id/registration-id';

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly organizations: OrganizationsRepository,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  /** Onboards an organisation with its first ADMIN, in one transaction. */
  async create(actor: Actor, dto: CreateOrganizationDto): Promise<Organization> {
    const registrationId = normalizeRegistrationId(dto.registrationId);
    // Hash before this transaction opens: argon2 takes ~20 ms and should not hold row locks. (With an
    // Idempotency-Key the request's transaction is already open, but holds no row locks yet.)
    const passwordHash = await this.hasher.hash(dto.admin.password);
    return this.tx.run(async () => {
      const existingId = await this.organizations.findIdByRegistrationId(registrationId);
      if (existingId) throw duplicateRegistration(registrationId, existingId);
      let organization: Organization;
      try {
        organization = await this.organizations.insert({
          kind: dto.kind,
          name: dto.name,
          registrationId,
          registrationScheme: registrationScheme(registrationId),
          industry: dto.industry ?? null,
          identifiers: dedupeIdentifiers(dto.identifiers ?? []),
        });
      } catch (error) {
        if (isUniqueViolation(error, 'organizations_registration_id_key'))
          throw duplicateRegistration(registrationId, null);
        if (isUniqueViolation(error, 'organization_identifiers_scheme_value_key')) {
          throw new DomainError(
            ErrorCode.CONFLICT,
            'One of the identifiers already names another organisation.',
            {
              errors: [
                {
                  field: 'identifiers',
                  code: 'DUPLICATE_IDENTIFIER',
                  message: 'identifier is registered to another organisation',
                },
              ],
            },
          );
        }
        throw error;
      }
      const eventId = await this.audit.record({
        actor,
        organizationId: organization.id,
        action: 'organization.created',
        entityType: 'organization',
        entityId: organization.id,
        data: {
          kind: organization.kind,
          name: organization.name,
          registrationId,
          identifiers: dto.identifiers ?? [],
        },
      });
      await this.users.addWithHash(actor, organization.id, {
        email: dto.admin.email,
        name: dto.admin.name,
        roles: [Role.ADMIN],
        passwordHash,
      });
      await this.notifier.notify({
        organizationId: organization.id,
        eventId,
        type: NotificationType.ORGANIZATION_ONBOARDED,
        title: `${organization.name} is onboarded to scf-portal`,
        data: { organizationId: organization.id, kind: organization.kind },
      });
      return organization;
    });
  }

  async get(actor: Actor, id: string): Promise<Organization> {
    return foundOr404(await this.organizations.findVisible(actor, id), 'Organization', id);
  }

  list(
    actor: Actor,
    filter: { kind?: OrganizationKind; registrationId?: string },
    query: PageQuery,
  ): Promise<Page<Organization>> {
    return this.organizations.listVisible(actor, filter, query);
  }
}

function duplicateRegistration(registrationId: string, existingId: string | null): DomainError {
  return new DomainError(
    ErrorCode.DUPLICATE_REGISTRATION_ID,
    `An organisation with registration id ${registrationId} already exists.`,
    {
      errors: [
        {
          field: 'registrationId',
          code: 'DUPLICATE',
          message: 'registrationId is already registered',
        },
      ],
      ...(existingId ? { existingOrganizationId: existingId } : {}),
    },
  );
}

function dedupeIdentifiers(
  identifiers: Array<{ scheme: string; value: string }>,
): Array<{ scheme: string; value: string }> {
  const seen = new Map(
    identifiers.map((identifier) => [`${identifier.scheme}:${identifier.value}`, identifier]),
  );
  return [...seen.values()];
}
