/** What an organisation is on the platform (API.md: ANCHOR|SUPPLIER|FINANCIER|GUARANTOR|PLATFORM). */
export enum OrganizationKind {
  ANCHOR = 'ANCHOR',
  SUPPLIER = 'SUPPLIER',
  FINANCIER = 'FINANCIER',
  GUARANTOR = 'GUARANTOR',
  PLATFORM = 'PLATFORM',
}

/** What a user (or API key) may do inside its organisation. OPERATOR prepares (maker), APPROVER checks. */
export enum Role {
  ADMIN = 'ADMIN',
  OPERATOR = 'OPERATOR',
  APPROVER = 'APPROVER',
  VIEWER = 'VIEWER',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);
