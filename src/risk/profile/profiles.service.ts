import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { TransactionHost } from '../../database/transaction-host';
import type { Organization } from '../../organizations/organization.entity';
import { audienceOf } from './profile-audience';
import { ProfileRefresher } from './profile-refresher';
import { profileView, type ProfileView } from './profile.view';
import { ProfilesRepository } from './profiles.repository';

/** Enterprise profiles (企业画像): read as stored, refreshed on demand. */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly profiles: ProfilesRepository,
    private readonly refresher: ProfileRefresher,
    private readonly audit: AuditTrail,
  ) {}

  /** The stored profile: a GET never recomputes it (docs/risk.md). */
  async get(actor: Actor, id: string): Promise<ProfileView> {
    const supplier = await this.profiles.visibleSupplier(actor, id);
    return this.view(actor, supplier);
  }

  /**
   * Recomputes this supplier's profile and score now, in one transaction, and answers the fresh
   * profile. Recorded in the caller's audit chain (who asked, and the grade it gave).
   */
  async refresh(actor: Actor, id: string): Promise<ProfileView> {
    return this.tx.run(async () => {
      const supplier = await this.profiles.visibleSupplier(actor, id);
      const [score] = await this.refresher.refresh([supplier.id], actor);
      await this.audit.record({
        actor,
        action: 'supplier_profile.refreshed',
        entityType: 'organization',
        entityId: supplier.id,
        data: { score: score.score, grade: score.grade, previousGrade: score.previousGrade },
      });
      return this.view(actor, supplier);
    });
  }

  private async view(actor: Actor, supplier: Organization): Promise<ProfileView> {
    return profileView(
      supplier,
      await this.profiles.profileOf(supplier.id),
      await this.profiles.relationshipsOf(supplier.id),
      audienceOf(actor, supplier.id),
    );
  }
}
