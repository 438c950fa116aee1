import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { OrganizationKind, type Role } from '../common/auth/roles';
import { AuditTrail } from '../common/audit/audit-trail';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { isUniqueViolation } from '../common/errors/constraint-violation';
import type { Page, PageQuery } from '../common/pagination/page';
import { notFound } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import { NotificationType, Notifier } from '../notifications/notifier';
import { PasswordHasher } from './password-hasher';
import type { CreateUserDto } from './dto/new-user.dto';
import type { User } from './user.entity';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  /** An organisation's ADMIN adds a colleague. */
  async add(actor: Actor, organizationId: string, dto: CreateUserDto): Promise<User> {
    this.assertOwnOrganization(actor, organizationId);
    const passwordHash = await this.hasher.hash(dto.password);
    return this.tx.run(() =>
      this.addWithHash(actor, organizationId, {
        email: dto.email,
        name: dto.name,
        roles: dto.roles,
        passwordHash,
      }),
    );
  }

  /** Inserts, audits and announces a user; runs inside the caller's transaction. */
  async addWithHash(
    actor: Actor,
    organizationId: string,
    input: { email: string; name: string; roles: Role[]; passwordHash: string },
  ): Promise<User> {
    let user: User;
    try {
      user = await this.users.insert({
        organizationId,
        ...input,
        roles: [...new Set(input.roles)],
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw new DomainError(
          ErrorCode.DUPLICATE_EMAIL,
          `A user with e-mail ${input.email.toLowerCase()} already exists.`,
          {
            errors: [{ field: 'email', code: 'DUPLICATE', message: 'email is already registered' }],
          },
        );
      }
      throw error;
    }
    const eventId = await this.audit.record({
      actor,
      organizationId,
      action: 'user.created',
      entityType: 'user',
      entityId: user.id,
      data: { email: user.email, name: user.name, roles: user.roles },
    });
    await this.notifier.notify({
      organizationId,
      eventId,
      type: NotificationType.USER_ADDED,
      title: `${user.name} <${user.email}> was added with roles ${user.roles.join(', ')}`,
      data: { userId: user.id, roles: user.roles },
    });
    return user;
  }

  list(actor: Actor, organizationId: string, query: PageQuery): Promise<Page<User>> {
    this.assertOwnOrganization(actor, organizationId);
    return this.users.listInOrganization(actor, organizationId, query);
  }

  /**
   * Users are managed by their own organisation's ADMIN only. Another tenant gets 404 (it must
   * not learn the organisation exists); the platform operator, who can see it, gets 403.
   */
  private assertOwnOrganization(actor: Actor, organizationId: string): void {
    if (actor.organizationId === organizationId) return;
    if (actor.organizationKind === OrganizationKind.PLATFORM) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        "Only the organisation's own ADMIN manages its users.",
      );
    }
    throw notFound('Organization', organizationId);
  }
}
