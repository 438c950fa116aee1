import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../auth/actor';
import { OrganizationKind } from '../auth/roles';

/**
 * Which rows of an entity an actor may see, as a SQL condition on the entity's alias.
 * `null` means every row (the platform operator reading organisations, say).
 */
export type VisibilityRule = (
  alias: string,
  actor: Actor,
) => { sql: string; params: ObjectLiteral } | null;

/** An entity class (abstract-constructible, like the classes TypeORM maps). */
export type EntityClass = abstract new (...args: never[]) => object;

const rules = new Map<EntityClass, VisibilityRule>();

/**
 * Declares who sees an entity's rows. The single mechanism for tenancy: repositories read and
 * lock tenant data only through `visibleTo()`, and an entity without a rule cannot be queried
 * that way at all (deny by default).
 */
export function TenantVisibility(rule: VisibilityRule): ClassDecorator {
  return (target) => {
    rules.set(target as unknown as EntityClass, rule);
  };
}

export function hasVisibilityRule(entity: EntityClass): boolean {
  return rules.has(entity);
}

/** A query over the rows of `entity` that `actor` may see; add conditions, locks, order to it. */
export function visibleTo<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: (abstract new (...args: never[]) => T) & EntityTarget<T>,
  alias: string,
  actor: Actor,
): SelectQueryBuilder<T> {
  const rule = rules.get(entity as EntityClass);
  if (!rule)
    throw new Error(
      `${entity.name} declares no @TenantVisibility rule; it cannot be read by tenants`,
    );
  const qb = manager.createQueryBuilder<T>(entity, alias);
  const condition = rule(alias, actor);
  if (condition) qb.where(`(${condition.sql})`, condition.params);
  return qb;
}

/**
 * The common rule: rows whose `column` is the actor's organisation; with `platformSeesAll`, the
 * platform operator sees every row (it supports and audits all tenants).
 */
export function ownOrganization(
  column: string,
  options: { platformSeesAll: boolean },
): VisibilityRule {
  return (alias, actor) =>
    options.platformSeesAll && actor.organizationKind === OrganizationKind.PLATFORM
      ? null
      : {
          sql: `${alias}.${column} = :visibleOrganizationId`,
          params: { visibleOrganizationId: actor.organizationId },
        };
}
