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
  kind: 'static' | 'template' | 'dynamic'
  /** Registered metadata (redirect_uris, grant_types, scope, ...), without the server-managed members. */
  metadata: Record<string, unknown>
  /** Rotated-out secrets, kept only to model the `rotation-old-still-valid` fault. */
  previousSecrets?: string[]
  /** Soft-deleted, only under the `delete-keeps-refresh-tokens` fault. */
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

/** The in-memory store: maps plus indexes by grant and client; expired entries swept lazily. */
export class MemoryStore implements Store {
  readonly #clients = new Map<string, ClientRecord>()
  readonly #tokens = new Map<string, TokenRecord>()
  readonly #byGrant = new Map<string, Set<string>>()
  readonly #byClient = new Map<string, Set<string>>()
  readonly #sweeper: NodeJS.Timeout
  readonly #clock: () => number

  constructor(clock: () => number = () => Math.floor(Date.now() / 1000)) {
    this.#clock = clock
    this.#sweeper = setInterval(() => this.#sweep(), 30_000)
    this.#sweeper.unref()
  }

  async getClient(clientId: string): Promise<ClientRecord | undefined> {
    return this.#clients.get(clientId)
  }

  async saveClient(client: ClientRecord): Promise<void> {
    this.#clients.set(client.client_id, client)
  }

  async deleteClient(clientId: string, options: { keepTokens?: boolean } = {}): Promise<boolean> {
    const existed = this.#clients.delete(clientId)
    this.#revokeClient(clientId, options.keepTokens ? ['registration_access_token'] : undefined)
    return existed
  }

  async saveToken(token: TokenRecord): Promise<void> {
    const k = key(token.kind, token.value)
    this.#tokens.set(k, token)
    if (token.grantId) this.#index(this.#byGrant, token.grantId, k)
    this.#index(this.#byClient, token.client_id, k)
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
    this.#tokens.delete(key(kind, value))
  }

  async revokeGrant(grantId: string): Promise<void> {
    for (const k of this.#byGrant.get(grantId) ?? []) this.#tokens.delete(k)
    this.#byGrant.delete(grantId)
  }

  async revokeClientTokens(clientId: string, kinds?: TokenKind[]): Promise<void> {
    this.#revokeClient(clientId, kinds)
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper)
  }

  #revokeClient(clientId: string, kinds?: TokenKind[]): void {
    const keys = this.#byClient.get(clientId)
    if (!keys) return
    for (const k of keys) {
      const record = this.#tokens.get(k)
      if (!record || !kinds || kinds.includes(record.kind)) {
        this.#tokens.delete(k)
        keys.delete(k)
      }
    }
    if (keys.size === 0) this.#byClient.delete(clientId)
  }

  #live(k: string): TokenRecord | undefined {
    const record = this.#tokens.get(k)
    if (!record) return undefined
    if (record.expiresAt <= this.#clock()) {
      this.#tokens.delete(k)
      return undefined
    }
    return record
  }

  #index(index: Map<string, Set<string>>, id: string, k: string): void {
    let set = index.get(id)
    if (!set) index.set(id, (set = new Set()))
    set.add(k)
  }

  #sweep(): void {
    const now = this.#clock()
    for (const [k, record] of this.#tokens) {
      // Keep used codes a while after expiry is irrelevant: an expired code is invalid anyway.
      if (record.expiresAt <= now) this.#tokens.delete(k)
    }
    for (const index of [this.#byGrant, this.#byClient]) {
      for (const [id, keys] of index) {
        for (const k of keys) if (!this.#tokens.has(k)) keys.delete(k)
        if (keys.size === 0) index.delete(id)
      }
    }
  }
}
