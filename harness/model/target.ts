/**
 * Targets: a targets.yaml entry after loading (secrets already taken from the environment),
 * and the target once discovery resolved its endpoints (schema: harness/config/targets.schema.json).
 */

/** How the harness obtains an initial access token (IAT) for registration. */
export type IatStrategy =
  | { strategy: 'none' }
  | { strategy: 'static'; token: string }
  | { strategy: 'command'; command: string; timeout_ms?: number }
  | {
      strategy: 'client_credentials'
      client_id: string
      client_secret: string
      /** Default `client_secret_basic`. */
      auth_method?: 'client_secret_basic' | 'client_secret_post'
      /** Default `dcr`. */
      scope?: string
      /** A scope this client may obtain that does not allow registration (insufficient_scope tests). */
      other_scope?: string
    }
  | {
      strategy: 'authorization_code'
      client_id: string
      client_secret?: string
      redirect_uri?: string
      scope?: string
    }

/** A declarative login step of a recipe. */
export type LoginStep =
  | { fill: { label?: string; selector?: string; value: string } }
  | { click: { role?: string; name?: string; selector?: string; optional?: boolean } }
  | { wait: { url?: string; selector?: string; timeout_ms?: number } }

/** How to log in at the target's authorization endpoint. */
export interface LoginRecipe {
  username?: string
  password?: string
  steps?: LoginStep[]
  /**
   * An ES module exporting `login(page, ctx)` for unusual login pages: JavaScript, or TypeScript
   * on a Node.js that strips types (22.18 or newer).
   */
  script?: string
  /** Name of a consent button clicked when present. */
  consent?: { role?: string; name?: string; selector?: string }
}

/** A target as configured in targets.yaml (after environment substitution). */
export interface TargetConfig {
  name: string
  /** Empty in targets.yaml when `mcp_server` is given: then found by MCP discovery. */
  issuer: string
  /**
   * The MCP server (protected resource) in front of the authorization server: the suites/mcp/
   * group discovers from it (harness/config/mcp-discovery.ts); without `issuer` the issuer too.
   */
  mcp_server?: string
  /** Overrides of discovered endpoints (`registration_endpoint`, `token_endpoint`, ...). */
  endpoints?: Record<string, string>
  registration?: { iat?: IatStrategy }
  capabilities?: string[]
  /**
   * Scope the test clients register and ask for (`target.scope` in scenarios). Default: `openid`
   * when the target declares capability `oidc`; else the first `scopes_supported` value of the
   * discovery document other than `openid`; else unset, and a scenario using `target.scope`
   * errors naming it (E_TEMPLATE). Never an empty string by default.
   * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
   */
  scope?: string
  login?: LoginRecipe
  /**
   * Authorization requests of this target: extra query parameters sent with every request
   * (scenario parameters win), e.g. `{ prompt: consent }` where refresh tokens need consent.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
   */
  authorization?: { params?: Record<string, string> }
  /** The loopback callback server: a fixed port for servers that register an exact port. */
  callback?: { port?: number }
  /**
   * Origins besides the issuer's that may receive the target's credentials (IAT client secret,
   * IATs, RATs, client secrets, codes, refresh tokens, passwords): e.g. a token endpoint or login
   * page on another host. Discovery alone never makes an origin trusted.
   */
  credential_origins?: string[]
  /** Allow link-local and cloud metadata addresses (refused by default, for every request). */
  allow_link_local?: boolean
  tls?: { ca?: string; insecure?: boolean }
  limits?: { max_response_bytes?: number; request_timeout_ms?: number; concurrency?: number }
  expectations?: string
  /**
   * Where the harness publishes Client ID Metadata Documents (harness/cimd/target-publisher.ts):
   * the listener, the https URL the target's server fetches them at, the listener's TLS files.
   */
  cimd?: { listen?: string; public_base_url?: string; tls?: { cert: string; key: string } }
  /** Path to a Chrome/Chromium executable for this target's browser steps. */
  browser?: string
  /**
   * Target-specific test data scenarios may read as `${{ target.data.NAME }}`: template client
   * ids, software-statement keys, management-client credentials, privileged scopes, ...
   */
  data?: Record<string, unknown>
}

/** A target ready to run against: discovery done, endpoints resolved. */
export interface ResolvedTarget extends TargetConfig {
  /** The discovery document (OpenID form if found, else RFC 8414). */
  metadata: Record<string, unknown>
  /** Endpoints by metadata name, e.g. `registration_endpoint`, `token_endpoint`. */
  endpoints: Record<string, string>
  capabilities: string[]
}
