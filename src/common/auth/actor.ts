import type { OrganizationKind, Role } from './roles';

/**
 * Who is acting: a person (JWT), an ERP system (API key) or the platform itself (jobs).
 * Every service call that reads or writes tenant data takes one, so scoping is never optional.
 */
export interface Actor {
  readonly type: 'USER' | 'API_KEY' | 'SYSTEM';
  readonly userId: string | null;
  readonly apiKeyId: string | null;
  readonly organizationId: string;
  readonly organizationKind: OrganizationKind;
  readonly roles: readonly Role[];
}

/** The actor id recorded in audit events and maker/checker columns. */
export function actorId(actor: Actor): string | null {
  return actor.userId ?? actor.apiKeyId;
}

/** The platform acting for an organisation (a job, a sweep): recorded as SYSTEM in its audit chain. */
export function systemActor(organizationId: string, organizationKind: OrganizationKind): Actor {
  return {
    type: 'SYSTEM',
    userId: null,
    apiKeyId: null,
    organizationId,
    organizationKind,
    roles: [],
  };
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((role) => actor.roles.includes(role));
}

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}
