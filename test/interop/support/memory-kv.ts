/**
 * A Workers KV namespace in memory for test/interop/cloudflare-server.ts: get, put (with
 * expirationTtl, expiration and metadata), delete and list, with the limits KV enforces.
 */
/** Cloudflare KV refuses an expiration less than 60 seconds away. */
const KV_MIN_EXPIRATION_SECONDS = 60
const KV_MAX_LIST_LIMIT = 1000
const KV_MAX_KEY_BYTES = 512
const KV_MAX_METADATA_BYTES = 1024

interface KvEntry {
  value: Uint8Array<ArrayBuffer>
  /** Seconds since the epoch. */
  expiration?: number
  metadata?: unknown
}

type KvGetType = 'text' | 'json' | 'arrayBuffer' | 'stream'

interface KvPutOptions {
  expiration?: number
  expirationTtl?: number
  metadata?: unknown
}

interface KvListOptions {
  prefix?: string | null
  limit?: number
  cursor?: string | null
}

interface KvListKey {
  name: string
  expiration?: number
  metadata?: unknown
}

type KvListResult =
  | { keys: KvListKey[]; list_complete: false; cursor: string; cacheStatus: null }
  | { keys: KvListKey[]; list_complete: true; cacheStatus: null }

/** Byte order of the UTF-8 names, the order KV lists keys in. */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

/**
 * A Workers KV namespace in memory, strongly consistent (as Miniflare's local KV is). Expired
 * entries are gone for get and list; the list cursor is the last name returned, base64url.
 */
export class MemoryKvNamespace {
  readonly #entries = new Map<string, KvEntry>()

  #live(key: string, now = Date.now()): KvEntry | undefined {
    const entry = this.#entries.get(key)
    if (entry?.expiration !== undefined && entry.expiration * 1000 <= now) {
      this.#entries.delete(key)
      return undefined
    }
    return entry
  }

  async get(key: string, options?: KvGetType | { type?: KvGetType }): Promise<unknown> {
    const type = (typeof options === 'string' ? options : options?.type) ?? 'text'
    const entry = this.#live(key)
    if (!entry) return null
    switch (type) {
      case 'text':
        return new TextDecoder().decode(entry.value)
      case 'json':
        return JSON.parse(new TextDecoder().decode(entry.value)) as unknown
      case 'arrayBuffer':
        return entry.value.slice().buffer
      case 'stream':
        return new Blob([entry.value]).stream()
      default:
        throw new TypeError(`KV get: unknown type ${String(type)}`)
    }
  }

  async put(
    key: string,
    value: string | ArrayBuffer | ArrayBufferView,
    options: KvPutOptions = {},
  ): Promise<void> {
    if (key === '' || key === '.' || key === '..' || Buffer.byteLength(key) > KV_MAX_KEY_BYTES) {
      throw new TypeError(`KV put: invalid key ${JSON.stringify(key)}`)
    }
    const now = Date.now() / 1000
    let expiration: number | undefined
    if (options.expirationTtl !== undefined) {
      const ttl = Number(options.expirationTtl)
      if (!Number.isFinite(ttl) || ttl < KV_MIN_EXPIRATION_SECONDS) {
        const least = `${KV_MIN_EXPIRATION_SECONDS} seconds`
        throw new TypeError(`KV put: expirationTtl ${ttl} is less than ${least}`)
      }
      expiration = Math.floor(now + ttl)
    } else if (options.expiration !== undefined) {
      expiration = Math.floor(Number(options.expiration))
      if (!Number.isFinite(expiration) || expiration < now + KV_MIN_EXPIRATION_SECONDS) {
        const least = `${KV_MIN_EXPIRATION_SECONDS} seconds away`
        throw new TypeError(`KV put: expiration ${expiration} is less than ${least}`)
      }
    }
    let metadata: unknown
    if (options.metadata !== undefined && options.metadata !== null) {
      const json = JSON.stringify(options.metadata)
      if (Buffer.byteLength(json) > KV_MAX_METADATA_BYTES) {
        throw new TypeError(`KV put: metadata over ${KV_MAX_METADATA_BYTES} bytes`)
      }
      metadata = JSON.parse(json) as unknown
    }
    const bytes =
      typeof value === 'string'
        ? new TextEncoder().encode(value)
        : ArrayBuffer.isView(value)
          ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice()
          : new Uint8Array(value).slice()
    this.#entries.set(key, {
      value: bytes,
      ...(expiration !== undefined ? { expiration } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
    })
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key)
  }

  async list(options: KvListOptions = {}): Promise<KvListResult> {
    const prefix = options.prefix ?? ''
    const limit = options.limit ?? KV_MAX_LIST_LIMIT
    if (!Number.isInteger(limit) || limit < 1 || limit > KV_MAX_LIST_LIMIT) {
      throw new TypeError(`KV list: limit must be an integer from 1 to ${KV_MAX_LIST_LIMIT}`)
    }
    const after = options.cursor
      ? Buffer.from(options.cursor, 'base64url').toString('utf8')
      : undefined
    const now = Date.now()
    const names = [...this.#entries.keys()]
      .filter((name) => name.startsWith(prefix))
      .filter((name) => after === undefined || byteOrder(name, after) > 0)
      .filter((name) => this.#live(name, now) !== undefined)
      .sort(byteOrder)
    const page = names.slice(0, limit)
    const keys = page.map((name): KvListKey => {
      const entry = this.#entries.get(name)!
      return {
        name,
        ...(entry.expiration !== undefined ? { expiration: entry.expiration } : {}),
        ...(entry.metadata !== undefined ? { metadata: structuredClone(entry.metadata) } : {}),
      }
    })
    if (names.length <= limit) return { keys, list_complete: true, cacheStatus: null }
    const cursor = Buffer.from(page[page.length - 1]!, 'utf8').toString('base64url')
    return { keys, list_complete: false, cursor, cacheStatus: null }
  }
}
