/**
 * The per-server cache of clients built from Client ID Metadata Documents, and the fetches in
 * flight (concurrent authorizations of one new client share one fetch). Only valid documents are
 * stored (draft-ietf-oauth-client-id-metadata-document-02 §5.2: never errors or invalid
 * documents), each until its lifetime (cache-lifetime.ts) ends. Bounded like the store.
 */
import type { ClientRecord } from '../store.ts'

interface Entry {
  client: ClientRecord
  /** Seconds since the epoch; Infinity under the `cimd-cache-ignores-headers` fault. */
  expiresAt: number
}

/** Far above what a conformance run fetches; keeps a long-running `serve` small. */
const MAX_ENTRIES = 1_000

export class DocumentCache {
  readonly #entries = new Map<string, Entry>()
  /** Fetches under way, by URL (their outcome type is the resolver's). */
  readonly pending = new Map<string, Promise<unknown>>()

  /** The cached client of `url`, while fresh at `now`. */
  get(url: string, now: number): ClientRecord | undefined {
    const entry = this.#entries.get(url)
    if (!entry) return undefined
    if (now < entry.expiresAt) return entry.client
    this.#entries.delete(url)
    return undefined
  }

  /** Stores a client for `lifetime` seconds from `now` (0 or less: not stored). */
  set(url: string, client: ClientRecord, now: number, lifetime: number): void {
    this.#entries.delete(url)
    if (lifetime <= 0) return
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    this.#entries.set(url, { client, expiresAt: now + lifetime })
  }

  get size(): number {
    return this.#entries.size
  }
}
