import { SetMetadata } from '@nestjs/common';
import type { OrganizationKind, Role } from './roles';

export const ACCESS_RULE = 'scf:access-rule';

/**
 * Who may call a route. Every route declares one (a test walks all routes and fails on a
 * missing one, and the access guard refuses such a route at run time): deny by default.
 */
export type AccessRule =
  | { readonly public: true }
  | {
      readonly public: false;
      /** Organisation kinds allowed; empty = any kind. */
      readonly kinds: readonly OrganizationKind[];
      /** Roles allowed (any of); empty = any role. */
      readonly roles: readonly Role[];
    };

/** No credentials needed (login, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_RULE, { public: true } satisfies AccessRule);

/** Authenticated callers of the given organisation kinds and roles. */
export const Allow = (rule: {
  kinds?: OrganizationKind[];
  roles?: Role[];
}): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_RULE, {
    public: false,
    kinds: rule.kinds ?? [],
    roles: rule.roles ?? [],
  } satisfies AccessRule);

/** Any authenticated member of any organisation, whatever the role (reads of one's own world). */
export const AnyMember = (): MethodDecorator & ClassDecorator => Allow({});
