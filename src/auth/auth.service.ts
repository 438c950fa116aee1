import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '../common/auth/actor';
import { AuditTrail } from '../common/audit/audit-trail';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionHost } from '../database/transaction-host';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import { UsersRepository } from '../users/users.repository';
import type { MeView } from './dto/me.view';
import type { AccessTokenClaims } from './access-token';
import { LoginLimiter } from './login-limiter';
import { PasswordHasher } from '../users/password-hasher';

@Injectable()
export class AuthService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginLimiter,
    private readonly jwt: JwtService,
    private readonly audit: AuditTrail,
    private readonly organizations: OrganizationsRepository,
    private readonly apiKeys: ApiKeysRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Exchanges e-mail and password for a short-lived access token. */
  async login(
    email: string,
    password: string,
    address: string,
  ): Promise<{ accessToken: string; expiresIn: number; tokenType: 'Bearer' }> {
    await this.limiter.beforeAttempt(email, address);
    const found = await this.users.findActiveByEmail(email);
    const valid = await this.hasher.verify(found?.user.passwordHash ?? null, password);
    if (!found || !valid) {
      await this.limiter.recordFailure(email, address);
      if (found) {
        await this.tx.run(() =>
          this.audit.record({
            actor: systemActorFor(found.user.organizationId, found.organizationKind),
            action: 'auth.login_failed',
            entityType: 'user',
            entityId: found.user.id,
            data: { address },
          }),
        );
      }
      throw new DomainError(
        ErrorCode.INVALID_CREDENTIALS,
        'The e-mail or password is not correct.',
      );
    }
    await this.limiter.recordSuccess(email, address);
    const { user } = found;
    await this.tx.run(async () => {
      await this.users.recordLogin(user.id);
      await this.audit.record({
        actor: {
          type: 'USER',
          userId: user.id,
          apiKeyId: null,
          organizationId: user.organizationId,
          organizationKind: found.organizationKind,
          roles: user.roles,
        },
        action: 'auth.login_succeeded',
        entityType: 'user',
        entityId: user.id,
        data: { address },
      });
    });
    const claims: AccessTokenClaims = { sub: user.id, org: user.organizationId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, expiresIn: this.config.jwt.ttlSeconds, tokenType: 'Bearer' };
  }

  /** The caller as GET /me shows it. */
  async describe(actor: Actor): Promise<MeView> {
    const organization = await this.organizations.findByIdInternal(actor.organizationId);
    const org = {
      id: actor.organizationId,
      kind: actor.organizationKind,
      name: organization?.name ?? '',
    };
    if (actor.type === 'API_KEY' && actor.apiKeyId) {
      const key = await this.apiKeys.findVisible(actor, actor.apiKeyId);
      return {
        user: null,
        apiKey: { id: actor.apiKeyId, name: key?.name ?? '', roles: [...actor.roles] },
        organization: org,
      };
    }
    const found = actor.userId ? await this.users.findActiveById(actor.userId) : null;
    return {
      user: found
        ? {
            id: found.user.id,
            email: found.user.email,
            name: found.user.name,
            roles: found.user.roles,
          }
        : null,
      organization: org,
    };
  }
}

function systemActorFor(
  organizationId: string,
  organizationKind: Actor['organizationKind'],
): Actor {
  return {
    type: 'SYSTEM',
    userId: null,
    apiKeyId: null,
    organizationId,
    organizationKind,
    roles: [],
  };
}
