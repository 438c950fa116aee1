import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../common/auth/actor';
import { Role } from '../common/auth/roles';
import { AuditTrail } from '../common/audit/audit-trail';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import type { Page, PageQuery } from '../common/pagination/page';
import { foundOr404 } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import { NotificationType, Notifier } from '../notifications/notifier';
import type { ApiKey } from './api-key.entity';
import { mintApiKey } from './api-key-secret';
import { ApiKeysRepository } from './api-keys.repository';
import type { CreateApiKeyDto } from './dto/api-key.dto';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async create(actor: Actor, dto: CreateApiKeyDto): Promise<{ apiKey: ApiKey; key: string }> {
    const minted = mintApiKey();
    return this.tx.run(async () => {
      const apiKey = await this.keys.insert({
        organizationId: actor.organizationId,
        name: dto.name,
        prefix: minted.prefix,
        secretSha256: minted.secretSha256,
        roles: [...new Set(dto.roles ?? [Role.OPERATOR])],
        createdBy: actorId(actor) as string,
      });
      const eventId = await this.audit.record({
        actor,
        action: 'api_key.created',
        entityType: 'api_key',
        entityId: apiKey.id,
        data: { name: apiKey.name, prefix: apiKey.prefix, roles: apiKey.roles },
      });
      await this.notifier.notify({
        organizationId: actor.organizationId,
        eventId,
        type: NotificationType.API_KEY_CREATED,
        title: `API key "${apiKey.name}" (scf_${apiKey.prefix}_…) was created`,
        data: { apiKeyId: apiKey.id },
      });
      return { apiKey, key: minted.key };
    });
  }

  async revoke(actor: Actor, id: string): Promise<ApiKey> {
    return this.tx.run(async () => {
      const apiKey = foundOr404(await this.keys.findVisibleForUpdate(actor, id), 'API key', id);
      if (apiKey.revokedAt) {
        throw new DomainError(
          ErrorCode.API_KEY_ALREADY_REVOKED,
          `API key ${id} was already revoked at ${apiKey.revokedAt.toISOString()}.`,
        );
      }
      const revoked = await this.keys.markRevoked(id, actorId(actor) as string);
      const eventId = await this.audit.record({
        actor,
        action: 'api_key.revoked',
        entityType: 'api_key',
        entityId: id,
        data: { name: apiKey.name, prefix: apiKey.prefix },
      });
      await this.notifier.notify({
        organizationId: actor.organizationId,
        eventId,
        type: NotificationType.API_KEY_REVOKED,
        title: `API key "${apiKey.name}" (scf_${apiKey.prefix}_…) was revoked`,
        data: { apiKeyId: id },
      });
      return revoked;
    });
  }

  list(actor: Actor, query: PageQuery): Promise<Page<ApiKey>> {
    return this.keys.listVisible(actor, query);
  }
}
