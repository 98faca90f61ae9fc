/**
 * The reference server's policy: defaults modelled on Curity's DCR settings, overridable by
 * `options.config` (a deep partial) and `serve --config FILE`. Objects merge, arrays and scalars
 * replace.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

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
  }
  pkce: {
    /** Accept `code_challenge_method=plain` (advertised only when true). */
    allowPlain: boolean
    /** Public clients (`none`) must send a code challenge. */
    requireForPublicClients: boolean
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
    /** Scope outside the allowed list: reject (`invalid_client_metadata`) or remove it. */
    scopePolicy: 'reject' | 'remove'
    /** Scope given when the request has none (default: all allowed scopes). */
    defaultScope?: string
    /** Allowed authenticators, exposed as `default_acr_values`. */
    defaultAcrValues: string[]
    /** Token endpoint auth methods a dynamic client may register. */
    allowedAuthMethods: string[]
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
  /**
   * JSON log lines on stderr: `errors` (handler exceptions, default), `requests` (also every
   * request and response) or `off`. The environment variable DCR_REFERENCE_LOG overrides it.
   */
  log: 'errors' | 'requests' | 'off'
}

const fixtureKeysDir = fileURLToPath(new URL('../fixtures/keys/', import.meta.url))

/** Path of a test key file in fixtures/keys. */
export function fixtureKeyPath(name: string): string {
  return fixtureKeysDir + name
}

function readTrustedKey(): Record<string, unknown>[] {
  try {
    return [JSON.parse(readFileSync(fixtureKeyPath('ssa-trusted.public.jwk.json'), 'utf8'))]
  } catch {
    return []
  }
}

/** The default policy (a fresh object each call). */
export function defaultConfig(): ReferenceConfig {
  return {
    users: [
      {
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
      },
    ],
    tokens: { accessTokenTtl: 300, iatTtl: 300, idTokenTtl: 3600, codeTtl: 60 },
    pkce: { allowPlain: false, requireForPublicClients: true },
    registration: {
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
    },
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
    iatRaceWindowMs: 50,
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
