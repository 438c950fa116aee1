/** Claims of a person's access token. Roles are not in it: they are read fresh on every request. */
export interface AccessTokenClaims {
  sub: string;
  org: string;
  typ: 'access';
}

/** The only algorithm accepted; a token that names another one (or `none`) is refused. */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';
