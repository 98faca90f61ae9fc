/**
 * The reference server's policy: defaults modelled on Curity's DCR settings, overridable by
 * `options.config` (a deep partial) and `serve --config FILE`. Objects merge, arrays and scalars
 * replace.
 */
import { readFileSync } from 'node:fs'
import { fixtureKeyPath } from './fixture-keys.ts'

/** How registration requests are authorised (Curity `authenticate-client-by` / `-user-by` / none). */
export type RegistrationAuthentication = 'client' | 'user' | 'none'

/** Which registration styles the endpoint accepts. */
export type RegistrationMode = 'both' | 'non-templatized' | 'templatized'

/** A test user of the login page. */
export interface UserConfig {
  username: string
  password: string
  /** Claims returned by UserInfo (and `sub`; default: the username). */
  claims?: Record<string, unknown>
}

/** A client configured in the server (not dynamically registered). */
export interface StaticClientConfig {
  client_id: string
  /** Default: random at start. */
  client_secret?: string
  scope: string
  grant_types?: string[]
  redirect_uris?: string[]
  [member: string]: unknown
}

/** A template client for templatized registration (`{"software_id": "<client_id>"}`). */
export interface TemplateConfig {
  client_id: string
  redirect_uris: string[]
  scope: string
  grant_types: string[]
  response_types?: string[]
  token_endpoint_auth_method?: string
  [member: string]: unknown
}

/**
 * Fetching Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document-02). Keys
 * are snake_case as the harness passes them (`trusted_origins`).
 */
export interface CimdConfig {
  /** Accept https client_id URLs and advertise `client_id_metadata_document_supported`. */
  enabled: boolean
  /**
   * Origins (`https://127.0.0.1:PORT`) fetched although they are loopback (never other
   * special-use addresses): the testing relaxation of the SSRF rule (§8.6). Never in production.
   */
  trusted_origins: string[]
  /**
   * An extra CA (PEM) trusted for document fetches besides the system roots: the test CA of a
   * testing deployment (its key is public in fixtures/tls, so never in production).
   */
  ca?: string
  /** The whole fetch: connect, TLS, headers and body (ms). */
  timeout_ms: number
  /** Bytes read at most; a longer document is an error (§8.7 recommends 5 KB). */
  max_bytes: number
  /** Upper bound of a cached document's lifetime, and the lifetime without cache headers (s). */
  cache_seconds: number
}

export interface ReferenceConfig {
  /** Users of the HTML login page. */
  users: UserConfig[]
  tokens: {
    /** Access token lifetime (s) unless the client registered `access_token_ttl`. */
    accessTokenTtl: number
    /** Lifetime (s) of an initial access token (scope `dcr`). */
    iatTtl: number
    /** ID token lifetime (s). */
    idTokenTtl: number
    /** Authorization code lifetime (s). */
    codeTtl: number
    /**
     * Grant types the token endpoint supports at all (default: authorization_code,
     * client_credentials, refresh_token). Another grant gets `unsupported_grant_type` (RFC 6749
     * §5.2), also for clients that did not register it.
     */
    grantTypes?: string[]
    /**
     * Issue refresh tokens only when the granted scope contains this scope (e.g.
     * `offline_access`, as better-auth does); default: whenever the client has the grant.
     */
    refreshTokenScope?: string
    /**
     * Every code redemption comes with a refresh token, also for a client registered without the
     * refresh_token grant, which registration then does not add; such a client's refresh is
     * refused with `unauthorized_client` (RFC 6749 §5.2). Conformant; default false.
     */
    refreshTokenWithoutGrant?: boolean
    /**
     * Put `auth_time` in ID tokens only when the client registered require_auth_time true or a
     * default_max_age (as better-auth does; OIDC Core §2 makes it OPTIONAL otherwise). Default:
     * always. A max_age request parameter is not considered: for variants without one only.
     */
    authTimeOnlyWhenRequired?: boolean
    /**
     * Every authorization_code token request must carry `code_verifier`: without one it is refused
     * with `invalid_request` (a required parameter is missing, RFC 6749 §5.2) before the code is
     * looked up, as the MCP TypeScript SDK's server does (it requires PKCE of every client).
     */
    codeVerifierRequired?: boolean
    /**
     * A plain OAuth 2.0 server, not an OpenID Provider (the target then does not declare `oidc`):
     * a client registered for client_secret_basic may also authenticate with client_secret_post
     * and the other way round. RFC 6749 §2.3 lets the server accept any method meeting its
     * security requirements and RFC 7591 §2 calls the member a "requested" method; only OpenID
     * Connect Core §9 ties the token endpoint to the registered method. Default false.
     */
    secretMethodsInterchangeable?: boolean
    /**
     * An authorization_code request with an unknown code gets 400 invalid_grant before the client
     * is authenticated, so a wrong secret with a made-up code is answered about the code. RFC 6749
     * §4.1.3 lists client authentication and the code check in no order, and both errors apply.
     * Default false.
     */
    codeCheckedBeforeClient?: boolean
  }
  /** Conformant variants of the authorization endpoint (real servers differ in these). */
  authorize: {
    /**
     * How a request whose client or redirect URI cannot be trusted is refused (RFC 6749
     * §4.1.2.1 only forbids redirecting to that URI): the server's HTML error page with 400
     * (default) or 200, or a 302 to the server's own error page.
     */
    errorPage: 'status-400' | 'status-200' | 'redirect-own-page'
    /**
     * Approve every valid request at once as this user (a username of `users`), without any
     * login or consent page (servers with ambient authentication, or auto-approval).
     */
    approveWithoutPage?: string
    /**
     * How the login form POST sends the browser back to the client: 303 (default), 302, or a
     * page whose form submits itself to the redirect URI (never 307, RFC 9700 §4.12).
     */
    afterLogin: 'redirect-303' | 'redirect-302' | 'page'
  }
  pkce: {
    /** Accept `code_challenge_method=plain` (advertised only when true). */
    allowPlain: boolean
    /** Public clients (`none`) must send a code challenge. */
    requireForPublicClients: boolean
    /** Every client must send a code challenge (the target then declares `pkce_required`). */
    requireForAllClients?: boolean
  }
  registration: {
    /** `client`: IAT by client_credentials; `user`: IAT by a user code flow; `none`: open. */
    authentication: RegistrationAuthentication
    /** Clients allowed to obtain an IAT (scope `dcr`). */
    initialClients: string[]
    /** The scope an IAT must carry. */
    iatScope: string
    /** A pre-shared, reusable initial access token (like node-oidc-provider's string IAT). */
    staticInitialAccessToken?: string
    /** Consume the IAT also when the registration fails (Curity documents true). */
    consumeIatOnFailure: boolean
    mode: RegistrationMode
    /** Grant types a dynamic client may register (Curity capabilities). */
    allowedGrantTypes: string[]
    /** Scopes a dynamic client may register. */
    allowedScopes: string[]
    /** Scopes the server knows but never gives to dynamic clients. */
    privilegedScopes: string[]
    /**
     * Scope outside the allowed list: reject (`invalid_client_metadata`), remove it, or accept it
     * as a free-form scope (registered and echoed, but never granted in a token).
     */
    scopePolicy: 'reject' | 'remove' | 'accept'
    /** Scope given when the request has none (default: all allowed scopes). */
    defaultScope?: string
    /**
     * Scopes added to every registered scope, also when the client asked for fewer (RFC 7591
     * §3.2.1 lets the server substitute; better-auth registers `openid profile email
     * offline_access` for a client asking `openid`). Echoed like the rest of the scope.
     */
    addedScopes?: string[]
    /** Allowed authenticators, exposed as `default_acr_values`. */
    defaultAcrValues: string[]
    /** Token endpoint auth methods a dynamic client may register. */
    allowedAuthMethods: string[]
    /**
     * The method an omitted `token_endpoint_auth_method` registers (default
     * `client_secret_basic`, RFC 7591 §2). A server that does not support that one may
     * substitute another and echo it (RFC 7591 §2, §3.2.1), as a public-clients-only server does
     * with `none`.
     */
    defaultAuthMethod?: string
    /**
     * A `*` in a redirect URI: `reject` (invalid_redirect_uri) or `literal` (stored as the literal
     * string and, like every redirect URI, matched by exact string comparison only).
     */
    wildcardRedirectUris?: 'reject' | 'literal'
    /**
     * The code of a refused redirect URI: `invalid_redirect_uri` (default, the most specific) or
     * `invalid_client_metadata`, the other code RFC 7591 §3.2.2 defines that fits (redirect_uris
     * is a metadata field), as some servers answer.
     */
    redirectUriErrorCode?: 'invalid_redirect_uri' | 'invalid_client_metadata'
    /**
     * Leave grant_types, response_types and token_endpoint_auth_method out of the client
     * information response when they hold the RFC 7591 §2 defaults (authorization_code, code,
     * client_secret_basic), which their absence means (default false: every member is echoed).
     */
    omitDefaultMembers?: boolean
    /**
     * An `access_token` query parameter on the registration endpoint: `refuse` (default: any
     * query token gets 400 invalid_request), `accept` (the RFC 6750 §2.3 query method is
     * supported, and a request that also carries the header gets 400 invalid_request, RFC 6750
     * §3.1), or `ignore` (the query method is not supported: the parameter is not read at all).
     */
    queryToken?: 'refuse' | 'ignore' | 'accept'
    /** Add `Cache-Control: no-store` to registration error responses (default true). */
    noStoreOnErrors?: boolean
    /**
     * Registration error descriptions keep double quotes and backslashes (RFC 7591 §3.2.2 asks
     * only for ASCII, not for the RFC 6749 §5.2 character set); default: replaced.
     */
    plainErrorDescriptions?: boolean
    /**
     * Which authorization_code clients must register redirect URIs: `all` (default), or
     * `public-and-implicit`, exactly those RFC 6749 §3.1.2.2 makes a MUST (public clients and
     * implicit clients); a confidential code client may then register none (the SHOULD).
     */
    redirectUrisRequired?: 'all' | 'public-and-implicit'
    /**
     * A `none` client asking for client_credentials: `reject` (default, invalid_client_metadata)
     * or `accept`: registered as sent, the token endpoint then refuses the grant with
     * `unauthorized_client` (RFC 6749 §4.4 is about using the grant), as better-auth does.
     */
    noneWithClientCredentials?: 'reject' | 'accept'
    /** Web clients may use http loopback redirect URIs (127.0.0.1, [::1], localhost). */
    allowHttpLoopbackForWeb: boolean
    /** Members whose host must equal a redirect URI's host (Curity: client_uri). */
    sameHostMembers: string[]
    /** Rotate the RAT and client secret on every GET/PUT of the configuration endpoint. */
    rotateOnRead: boolean
    /** `registration_access_token_expires_in` (s). */
    registrationAccessTokenTtl: number
    /** `refresh_token_ttl` of a client that does not ask for one. */
    defaultRefreshTokenTtl: number
    /**
     * Optional metadata members the server does not understand: dropped from registration and
     * update requests before validation, never stored or echoed (RFC 7591 §2: "MUST ignore"), as
     * by better-auth for e.g. `token_endpoint_auth_signing_alg`, `initiate_login_uri`,
     * `require_auth_time`, `default_max_age`, `userinfo_signed_response_alg`. Ignoring
     * `userinfo_signed_response_alg` also drops `userinfo_signing_alg_values_supported` from
     * discovery (UserInfo is then JSON only). Default: none.
     */
    ignoredMembers?: string[]
  }
  /** The client that obtains IATs (`server`); secret from DCR_REFERENCE_CLIENT_SECRET else random. */
  registrationClient: StaticClientConfig & { other_scope: string }
  /** Curity management clients (scope `dcrm`). */
  managementClients: StaticClientConfig[]
  /** Other configured clients. */
  clients: StaticClientConfig[]
  templates: TemplateConfig[]
  softwareStatements: {
    /** Public JWKs (with `kid`) of trusted statement issuers. */
    trustedKeys: Record<string, unknown>[]
  }
  limits: {
    /** Request body limit (bytes); larger bodies get 413. */
    bodyBytes: number
    /** Whole-request timeout (ms) for slow clients. */
    requestTimeoutMs: number
    headersTimeoutMs: number
  }
  /** How long the `iat-race` fault yields between check and consume (ms). */
  iatRaceWindowMs: number
  /** Client ID Metadata Documents (reference-server/cimd/): https URLs as client_id. */
  cimd: CimdConfig
  /**
   * JSON log lines on stderr: `errors` (handler exceptions, default), `requests` (also every
   * request and response) or `off`. The environment variable DCR_REFERENCE_LOG overrides it.
   */
  log: 'errors' | 'requests' | 'off'
}

function readTrustedKey(): Record<string, unknown>[] {
  try {
    return [JSON.parse(readFileSync(fixtureKeyPath('ssa-trusted.public.jwk.json'), 'utf8'))]
  } catch {
    return []
  }
}

/** The login page's user: claims for every standard scope the default policy allows. */
function defaultUser(): UserConfig {
  return {
    username: 'alice',
    password: 'alice-password',
    claims: {
      name: 'Alice Example',
      given_name: 'Alice',
      family_name: 'Example',
      email: 'alice@example.com',
      email_verified: true,
      phone_number: '+1 555 0100',
      address: { country: 'SE' },
    },
  }
}

/** Who may register what: the default registration policy. */
function defaultRegistrationPolicy(): ReferenceConfig['registration'] {
  return {
    authentication: 'client',
    initialClients: ['server'],
    iatScope: 'dcr',
    consumeIatOnFailure: true,
    mode: 'both',
    allowedGrantTypes: ['authorization_code', 'client_credentials', 'refresh_token'],
    allowedScopes: [
      'openid',
      'profile',
      'email',
      'address',
      'phone',
      'offline_access',
      'read',
      'write',
    ],
    privilegedScopes: ['admin'],
    scopePolicy: 'reject',
    defaultAcrValues: ['urn:se:curity:authentication:html-form:username-password'],
    allowedAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    allowHttpLoopbackForWeb: true,
    sameHostMembers: ['client_uri'],
    rotateOnRead: true,
    registrationAccessTokenTtl: 31536000,
    defaultRefreshTokenTtl: 3600,
  }
}

/** The default policy (a fresh object each call). */
export function defaultConfig(): ReferenceConfig {
  return {
    users: [defaultUser()],
    tokens: { accessTokenTtl: 300, iatTtl: 300, idTokenTtl: 3600, codeTtl: 60 },
    authorize: { errorPage: 'status-400', afterLogin: 'redirect-303' },
    pkce: { allowPlain: false, requireForPublicClients: true },
    registration: defaultRegistrationPolicy(),
    registrationClient: {
      client_id: 'server',
      scope: 'dcr read',
      other_scope: 'read',
      grant_types: ['client_credentials', 'authorization_code'],
      redirect_uris: ['http://127.0.0.1/callback'],
    },
    managementClients: [
      { client_id: 'dcr-manager', scope: 'dcrm', grant_types: ['client_credentials'] },
    ],
    clients: [],
    templates: [
      {
        client_id: 'template-web',
        redirect_uris: ['https://localhost/template-callback'],
        scope: 'openid profile',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        client_name: 'Template web client',
      },
    ],
    softwareStatements: { trustedKeys: readTrustedKey() },
    limits: { bodyBytes: 64 * 1024, requestTimeoutMs: 10_000, headersTimeoutMs: 5_000 },
    iatRaceWindowMs: 1000,
    cimd: {
      enabled: true,
      trusted_origins: [],
      timeout_ms: 5_000,
      max_bytes: 5 * 1024,
      cache_seconds: 300,
    },
    log: 'errors',
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Deep-merge `override` into `base` (objects merge; arrays and scalars replace). */
export function mergeConfig<T>(base: T, override: unknown): T {
  if (!isPlainObject(override)) return base
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) }
  for (const [key, value] of Object.entries(override)) {
    const current = out[key]
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeConfig(current, value) : value
  }
  return out as T
}

/** The effective config: defaults, then overrides. */
export function resolveConfig(overrides?: Record<string, unknown>): ReferenceConfig {
  return mergeConfig(defaultConfig(), overrides ?? {})
}
