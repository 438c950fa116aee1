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
import type {
  CreateOrganizationDto,
  OrganizationIdentifierDto,
} from './dto/create-organization.dto';
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
            ErrorCode.DUPLICATE_IDENTIFIER,
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

  /**
   * Registers a further identifier (ISO 6523 scheme + value) of an organisation, by its own ADMIN
   * or the platform's. One identifier names one organisation platform-wide: naming another one is
   * 409; the same identifier on this organisation again changes nothing (`added: false`).
   */
  async addIdentifier(
    actor: Actor,
    organizationId: string,
    identifier: OrganizationIdentifierDto,
  ): Promise<{ organization: Organization; added: boolean }> {
    return this.tx.run(async () => {
      const organization = await this.findManaged(actor, organizationId);
      const wanted = { scheme: identifier.scheme, value: identifier.value };
      if (!(await this.organizations.insertIdentifier(organizationId, wanted))) {
        const ownerId = await this.organizations.findIdentifierOwnerId(wanted);
        if (ownerId === organizationId) return { organization, added: false };
        throw new DomainError(
          ErrorCode.DUPLICATE_IDENTIFIER,
          `The identifier ${wanted.scheme}:${wanted.value} is registered to another organisation.`,
          {
            errors: [
              {
                field: 'value',
                code: 'DUPLICATE',
                message: 'identifier is registered to another organisation',
              },
            ],
          },
        );
      }
      const eventId = await this.audit.record({
        actor,
        organizationId,
        action: 'organization.identifier_added',
        entityType: 'organization',
        entityId: organizationId,
        data: wanted,
      });
      await this.notifier.notify({
        organizationId,
        eventId,
        type: NotificationType.ORGANIZATION_IDENTIFIER_ADDED,
        title: `Identifier ${wanted.scheme}:${wanted.value} was registered for ${organization.name}`,
        data: { organizationId, ...wanted },
      });
      const updated = await this.organizations.findByIdInternal(organizationId);
      return { organization: updated ?? organization, added: true };
    });
  }

  /**
   * The organisation the actor administers: its own, or any for the platform. Another tenant's
   * organisation it cannot see is 404 (it must not learn it exists); one it can see (a program
   * counterpart) is 403.
   */
  private async findManaged(actor: Actor, organizationId: string): Promise<Organization> {
    const organization = foundOr404(
      await this.organizations.findVisible(actor, organizationId),
      'Organization',
      organizationId,
    );
    if (
      actor.organizationId !== organizationId &&
      actor.organizationKind !== OrganizationKind.PLATFORM
    ) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        "Only the organisation's own ADMIN or the platform's registers its identifiers.",
      );
    }
    return organization;
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
