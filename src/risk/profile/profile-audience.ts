import type { Actor } from '../../common/auth/actor';
import { OrganizationKind } from '../../common/auth/roles';
import type { ProfileAudience } from './profile.view';

/**
 * Which part of a supplier's profile the actor reads. Only callers who passed the visibility
 * check get here: the supplier itself, the platform, an anchor or a financier of its programs.
 */
export function audienceOf(actor: Actor, supplierId: string): ProfileAudience {
  if (actor.organizationKind === OrganizationKind.PLATFORM || actor.organizationId === supplierId)
    return { kind: 'full' };
  if (actor.organizationKind === OrganizationKind.FINANCIER)
    return { kind: 'financier', financierId: actor.organizationId };
  return { kind: 'anchor', anchorId: actor.organizationId };
}
