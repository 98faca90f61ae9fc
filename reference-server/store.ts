/**
 * State behind one interface so a persistent store can replace the in-memory one without touching
 * handlers. Compound operations that must be atomic (use a token once) are store methods, never a
 * get-then-save in a handler.
 */

/** A client: configured (static), a template, or dynamically registered. */
export interface ClientRecord {
  client_id: string
  client_secret?: string
  /** Seconds since the epoch. */
  client_id_issued_at: number
  client_secret_expires_at?: number
  /** `cimd`: described by a fetched Client ID Metadata Document (cimd/), never stored. */
  kind: 'static' | 'template' | 'dynamic' | 'cimd'
  /** Registered metadata (redirect_uris, grant_types, scope, ...), without the server-managed members. */
  metadata: Record<string, unknown>
  /** Rotated-out secrets, kept only to model the `rotation-old-still-valid` fault. */
  previousSecrets?: string[]
  /** Soft-deleted, only under the faults `delete-keeps-refresh-tokens`, `deleted-client-authenticates`. */
  deleted?: boolean
}

/** Kinds of stored tokens and short-lived server state. */
export type TokenKind =
  | 'access_token'
  | 'refresh_token'
  | 'authorization_code'
  | 'registration_access_token'
  | 'session'
  | 'interaction'
  | 'assertion_jti'

/** A token, code or piece of short-lived state. Times are seconds since the epoch. */
export interface TokenRecord {
  kind: TokenKind
  value: string
  client_id: string
  scope: string
  issuedAt: number
  expiresAt: number
  /** Set once by {@link Store.useToken}. */
  usedAt?: number
  /** The grant type that produced it (`client_credentials`, `authorization_code`, ...). */
  grant?: string
  /** End-user subject (local account name), when a user is involved. */
  sub?: string
  /** Tokens sharing a grant id are revoked together (code replay, refresh reuse). */
  grantId?: string
  authTime?: number
  nonce?: string
  redirectUri?: string
  /** Whether the authorization request carried `redirect_uri`. */
  redirectUriSent?: boolean
  codeChallenge?: string
  codeChallengeMethod?: string
  /** Anything else a handler needs (pending authorization request, ...). */
  data?: Record<string, unknown>
}

export interface Store {
  getClient(clientId: string): Promise<ClientRecord | undefined>
  saveClient(client: ClientRecord): Promise<void>
  /** Deletes the client and revokes all its tokens (unless `keepTokens`). Returns whether it existed. */
  deleteClient(clientId: string, options?: { keepTokens?: boolean }): Promise<boolean>
  saveToken(token: TokenRecord): Promise<void>
  /** A live (unexpired) token, used or not. */
  getToken(kind: TokenKind, value: string): Promise<TokenRecord | undefined>
  /**
   * Atomically marks a live token as used and returns it as it was before (so `usedAt` is
   * undefined exactly for the first caller).
   */
  useToken(kind: TokenKind, value: string, now: number): Promise<TokenRecord | undefined>
  deleteToken(kind: TokenKind, value: string): Promise<void>
  /** Deletes every token of a grant. */
  revokeGrant(grantId: string): Promise<void>
  /** Deletes every token of a client (of the given kinds, default all). */
  revokeClientTokens(clientId: string, kinds?: TokenKind[]): Promise<void>
  close(): Promise<void>
}

function key(kind: TokenKind, value: string): string {
  return `${kind}\u0000${value}`
}

export interface MemoryStoreOptions {
  /** Seconds since the epoch (tests pass a fixed clock). */
  clock?: () => number
  /** Registered clients kept; beyond it the least recently used one goes, with its tokens. */
  maxClients?: number
  /** Tokens, codes, sessions and consumed IATs kept; beyond it the oldest goes. */
  maxTokens?: number
}

/** Far above what a conformance run needs (hundreds), low enough to keep `serve` small. */
export const DEFAULT_MAX_CLIENTS = 10_000
export const DEFAULT_MAX_TOKENS = 50_000

/**
 * The in-memory store: maps plus indexes by grant and client. Memory is bounded the way
 * oidc-provider's memory adapter bounds it: expired entries are swept, and past a size cap the
 * least recently used registered client (with its tokens) and the oldest token are evicted.
 * Configured clients (static, template) are never evicted.
 */
export class MemoryStore implements Store {
  readonly #clients = new Map<string, ClientRecord>()
  /** Registered clients, least recently used first. */
  readonly #dynamic = new Set<string>()
  /** Insertion order is age order: the first key is the oldest token. */
  readonly #tokens = new Map<string, TokenRecord>()
  readonly #byGrant = new Map<string, Set<string>>()
  readonly #byClient = new Map<string, Set<string>>()
  readonly #sweeper: NodeJS.Timeout
  readonly #clock: () => number
  readonly #maxClients: number
  readonly #maxTokens: number

  constructor(options: MemoryStoreOptions | (() => number) = {}) {
    const given = typeof options === 'function' ? { clock: options } : options
    this.#clock = given.clock ?? (() => Math.floor(Date.now() / 1000))
    this.#maxClients = Math.max(1, given.maxClients ?? DEFAULT_MAX_CLIENTS)
    this.#maxTokens = Math.max(1, given.maxTokens ?? DEFAULT_MAX_TOKENS)
    this.#sweeper = setInterval(() => this.#sweep(), 30_000)
    this.#sweeper.unref()
  }

  /** How many clients and tokens are held (for tests and the memory benchmark). */
  get size(): { clients: number; tokens: number } {
    return { clients: this.#clients.size, tokens: this.#tokens.size }
  }

  async getClient(clientId: string): Promise<ClientRecord | undefined> {
    const client = this.#clients.get(clientId)
    if (client && this.#dynamic.delete(clientId)) this.#dynamic.add(clientId)
    return client
  }

  async saveClient(client: ClientRecord): Promise<void> {
    this.#clients.set(client.client_id, client)
    if (client.kind !== 'dynamic') return
    this.#dynamic.delete(client.client_id)
    this.#dynamic.add(client.client_id)
    for (const oldest of this.#dynamic) {
      if (this.#dynamic.size <= this.#maxClients) break
      this.#dynamic.delete(oldest)
      this.#clients.delete(oldest)
      this.#revokeClient(oldest)
    }
  }

  async deleteClient(clientId: string, options: { keepTokens?: boolean } = {}): Promise<boolean> {
    const existed = this.#clients.delete(clientId)
    this.#dynamic.delete(clientId)
    this.#revokeClient(clientId, options.keepTokens ? ['registration_access_token'] : undefined)
    return existed
  }

  async saveToken(token: TokenRecord): Promise<void> {
    const k = key(token.kind, token.value)
    this.#drop(k)
    this.#tokens.set(k, token)
    if (token.grantId) this.#index(this.#byGrant, token.grantId, k)
    this.#index(this.#byClient, token.client_id, k)
    for (const oldest of this.#tokens.keys()) {
      if (this.#tokens.size <= this.#maxTokens) break
      this.#drop(oldest)
    }
  }

  async getToken(kind: TokenKind, value: string): Promise<TokenRecord | undefined> {
    return this.#live(key(kind, value))
  }

  async useToken(kind: TokenKind, value: string, now: number): Promise<TokenRecord | undefined> {
    const record = this.#live(key(kind, value))
    if (!record) return undefined
    const before = { ...record }
    if (record.usedAt === undefined) record.usedAt = now
    return before
  }

  async deleteToken(kind: TokenKind, value: string): Promise<void> {
    this.#drop(key(kind, value))
  }

  async revokeGrant(grantId: string): Promise<void> {
    for (const k of [...(this.#byGrant.get(grantId) ?? [])]) this.#drop(k)
  }

  async revokeClientTokens(clientId: string, kinds?: TokenKind[]): Promise<void> {
    this.#revokeClient(clientId, kinds)
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper)
  }

  #revokeClient(clientId: string, kinds?: TokenKind[]): void {
    for (const k of [...(this.#byClient.get(clientId) ?? [])]) {
      const record = this.#tokens.get(k)
      if (!record || !kinds || kinds.includes(record.kind)) this.#drop(k)
    }
  }

  #live(k: string): TokenRecord | undefined {
    const record = this.#tokens.get(k)
    if (!record) return undefined
    if (record.expiresAt <= this.#clock()) {
      this.#drop(k)
      return undefined
    }
    return record
  }

  /** Removes a token and its index entries, so no index outlives what it points to. */
  #drop(k: string): void {
    const record = this.#tokens.get(k)
    if (!record) return
    this.#tokens.delete(k)
    if (record.grantId) this.#unindex(this.#byGrant, record.grantId, k)
    this.#unindex(this.#byClient, record.client_id, k)
  }

  #index(index: Map<string, Set<string>>, id: string, k: string): void {
    let set = index.get(id)
    if (!set) index.set(id, (set = new Set()))
    set.add(k)
  }

  #unindex(index: Map<string, Set<string>>, id: string, k: string): void {
    const set = index.get(id)
    if (!set) return
    set.delete(k)
    if (set.size === 0) index.delete(id)
  }

  #sweep(): void {
    const now = this.#clock()
    // An expired code or token is invalid anyway; used or not, it can go.
    for (const [k, record] of this.#tokens) if (record.expiresAt <= now) this.#drop(k)
  }
}
