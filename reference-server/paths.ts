/** Curity's URL layout: the walk-through's curl commands work unchanged apart from host and port. */
export const paths = {
  issuer: '/oauth/v2/oauth-anonymous',
  openidConfiguration: '/oauth/v2/oauth-anonymous/.well-known/openid-configuration',
  /** RFC 8414 §3.1 path insertion for the issuer path. */
  oauthMetadata: '/.well-known/oauth-authorization-server/oauth/v2/oauth-anonymous',
  jwks: '/oauth/v2/oauth-anonymous/jwks',
  token: '/oauth/v2/oauth-token',
  authorize: '/oauth/v2/oauth-authorize',
  login: '/oauth/v2/oauth-authorize/login',
  /** The server's own error page (policy `authorize.errorPage: redirect-own-page`). */
  authorizeError: '/oauth/v2/oauth-authorize/error',
  registration: '/oauth/v2/oauth-dynamic-client-registration',
  userinfo: '/oauth/v2/oauth-userinfo',
  introspect: '/oauth/v2/oauth-introspect',
  revoke: '/oauth/v2/oauth-revoke',
} as const
