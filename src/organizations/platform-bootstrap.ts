import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { OrganizationKind, Role } from '../common/auth/roles';
import { AuditTrail } from '../common/audit/audit-trail';
import { APP_CONFIG, PROCESS_ROLE, type AppConfig, type ProcessRole } from '../config/app-config';
import { TransactionHost } from '../database/transaction-host';
import { PasswordHasher } from '../users/password-hasher';
import { UsersRepository } from '../users/users.repository';
import { OrganizationsRepository } from './organizations.repository';

/** Serialises the first-start check across API instances starting together. */
const BOOTSTRAP_LOCK = 'scf:platform-bootstrap';

/**
 * On an API process's start: if no platform ADMIN exists and BOOTSTRAP_ADMIN_EMAIL/PASSWORD are
 * set, create the platform organisation (when missing) and that ADMIN. Does nothing otherwise.
 */
@Injectable()
export class PlatformBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('PlatformBootstrap');

  constructor(
    private readonly tx: TransactionHost,
    private readonly organizations: OrganizationsRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (this.role !== 'api' || !admin) return;
    const passwordHash = await this.hasher.hash(admin.password);
    await this.tx.run(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        BOOTSTRAP_LOCK,
      ]);
      if (await this.users.platformAdminExists()) return;
      let platformId = await this.organizations.findPlatformOrganizationId();
      const system = (organizationId: string): Actor => ({
        type: 'SYSTEM',
        userId: null,
        apiKeyId: null,
        organizationId,
        organizationKind: OrganizationKind.PLATFORM,
        roles: [],
      });
      if (!platformId) {
        const platform = await this.organizations.insert({
          kind: OrganizationKind.PLATFORM,
          name: this.config.platformOrganizationName,
          registrationId: null,
          registrationScheme: null,
          industry: null,
          identifiers: [],
        });
        platformId = platform.id;
        await this.audit.record({
          actor: system(platformId),
          action: 'organization.created',
          entityType: 'organization',
          entityId: platformId,
          data: { kind: OrganizationKind.PLATFORM, name: platform.name, bootstrap: true },
        });
      }
      const user = await this.users.insert({
        organizationId: platformId,
        email: admin.email,
        name: 'Platform administrator',
        passwordHash,
        roles: [Role.ADMIN],
      });
      await this.audit.record({
        actor: system(platformId),
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        data: { email: user.email, roles: user.roles, bootstrap: true },
      });
      this.logger.log(`created the platform ADMIN ${user.email} from BOOTSTRAP_ADMIN_EMAIL`);
    });
  }
}
