import { OrganizationKind } from '../common/auth/roles';
import type { VisibilityRule } from '../common/tenancy/visibility';

/**
 * The organisations `:visibleOrganizationId` does business with through a program, in either
 * direction: an anchor and the suppliers and financiers it invited, and a supplier and the
 * financiers of its programs (who lend to it). Suppliers of one program do not see each other,
 * nor do financiers (competitors). Invited members count: an invitation must say who sent it.
 * One uncorrelated subquery, evaluated once per statement, not once per organisation row.
 */
const COUNTERPARTS = `
  SELECT ps.supplier_id FROM programs p JOIN program_suppliers ps ON ps.program_id = p.id
   WHERE p.anchor_id = :visibleOrganizationId
  UNION ALL
  SELECT pf.financier_id FROM programs p JOIN program_financiers pf ON pf.program_id = p.id
   WHERE p.anchor_id = :visibleOrganizationId
  UNION ALL
  SELECT p.anchor_id FROM programs p JOIN program_suppliers ps ON ps.program_id = p.id
   WHERE ps.supplier_id = :visibleOrganizationId
  UNION ALL
  SELECT p.anchor_id FROM programs p JOIN program_financiers pf ON pf.program_id = p.id
   WHERE pf.financier_id = :visibleOrganizationId
  UNION ALL
  SELECT pf.financier_id FROM program_suppliers ps
    JOIN program_financiers pf ON pf.program_id = ps.program_id
   WHERE ps.supplier_id = :visibleOrganizationId
  UNION ALL
  SELECT ps.supplier_id FROM program_financiers pf
    JOIN program_suppliers ps ON ps.program_id = pf.program_id
   WHERE pf.financier_id = :visibleOrganizationId`;

/** An organisation sees itself and its program counterparts; the platform operator sees all. */
export const organizationVisibility: VisibilityRule = (alias, actor) =>
  actor.organizationKind === OrganizationKind.PLATFORM
    ? null
    : {
        sql: `${alias}.id = :visibleOrganizationId OR ${alias}.id IN (${COUNTERPARTS})`,
        params: { visibleOrganizationId: actor.organizationId },
      };
