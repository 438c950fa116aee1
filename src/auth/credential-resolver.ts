import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { parseApiKey, secretMatches } from '../api-keys/api-key-secret';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import type { Actor } from '../common/auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { UsersRepository } from '../users/users.repository';
import { ACCESS_TOKEN_ALGORITHM, type AccessTokenClaims } from './access-token';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const unauthenticated = (detail: string): DomainError =>
  new DomainError(ErrorCode.UNAUTHENTICATED, detail);

/** Turns a request's credentials (Bearer token or X-Api-Key) into an Actor, or refuses with 401. */
@Injectable()
export class CredentialResolver {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersRepository,
    private readonly apiKeys: ApiKeysRepository,
  ) {}

  async resolve(request: Request): Promise<Actor> {
    const apiKey = request.header('x-api-key');
    if (apiKey !== undefined) return this.fromApiKey(apiKey);
    const authorization = request.header('authorization');
    if (authorization === undefined)
      throw unauthenticated('This endpoint needs a Bearer token or an X-Api-Key.');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <accessToken>".');
    return this.fromAccessToken(match[1]);
  }

  /** For the queue dashboard, whose browser session carries the token in a cookie. */
  async fromAccessToken(token: string): Promise<Actor> {
    let claims: AccessTokenClaims;
    try {
      // issuer, audience and expiry are checked by the verify options set in AuthModule.
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
      });
    } catch (error) {
      throw unauthenticated(`The access token is not valid: ${(error as Error).message}.`);
    }
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || !UUID.test(claims.sub)) {
      throw unauthenticated('The access token is not an access token of this portal.');
    }
    const found = await this.users.findActiveMembership(claims.sub);
    if (!found || found.organizationId !== claims.org) {
      throw unauthenticated('The user of this token no longer exists or is deactivated.');
    }
    return {
      type: 'USER',
      userId: claims.sub,
      apiKeyId: null,
      organizationId: found.organizationId,
      organizationKind: found.organizationKind,
      roles: found.roles,
    };
  }

  private async fromApiKey(raw: string): Promise<Actor> {
    const parsed = parseApiKey(raw);
    const found = parsed ? await this.apiKeys.findActiveByPrefix(parsed.prefix) : null;
    if (!parsed || !found || !secretMatches(parsed.secret, found.key.secretSha256)) {
      throw unauthenticated('The API key is not valid or was revoked.');
    }
    // Record use at most once a minute: ERP traffic must not become a write per request.
    if (!found.key.lastUsedAt || found.key.lastUsedAt.getTime() < Date.now() - 60_000)
      await this.apiKeys.touch(found.key.id);
    return {
      type: 'API_KEY',
      userId: null,
      apiKeyId: found.key.id,
      organizationId: found.key.organizationId,
      organizationKind: found.organizationKind,
      roles: found.key.roles,
    };
  }
}
