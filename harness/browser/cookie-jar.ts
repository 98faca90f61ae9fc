/**
 * A small cookie jar for the HTTP-form driver: enough for login sessions (host-only and domain
 * cookies, paths, expiry and deletion); no public-suffix list, `Secure` is ignored (loopback).
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.3
 */

export interface StoredCookie {
  name: string
  value: string
  domain: string
  hostOnly: boolean
  path: string
  /** Epoch milliseconds; undefined for a session cookie. */
  expiresAt?: number
}

/**
 * Split `Set-Cookie` values that an HTTP client joined with `, ` (the `Expires` date also
 * contains a comma, so split only where a new `name=` follows).
 */
export function splitSetCookie(joined: string): string[] {
  return joined
    .split(/,\s*(?=[^;,=\s]+=)/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
}

function defaultPath(url: URL): string {
  const path = url.pathname
  if (!path.startsWith('/') || path.lastIndexOf('/') === 0) return '/'
  return path.slice(0, path.lastIndexOf('/'))
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`)
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'
}

export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>()

  /** Copies of the unexpired cookies `keep` selects (a login session for other jars). */
  snapshot(keep: (cookie: StoredCookie) => boolean, now = Date.now()): StoredCookie[] {
    return [...this.#cookies.values()]
      .filter((cookie) => cookie.expiresAt === undefined || cookie.expiresAt > now)
      .filter(keep)
      .map((cookie) => ({ ...cookie }))
  }

  /** Add cookies taken by `snapshot` from another jar. */
  restore(cookies: readonly StoredCookie[]): void {
    for (const cookie of cookies)
      this.#cookies.set(`${cookie.name};${cookie.domain};${cookie.path}`, { ...cookie })
  }

  /** Store the cookies of a response (`set-cookie` header as the client gave it). */
  store(requestUrl: string, setCookie: string | undefined, now = Date.now()): void {
    if (!setCookie) return
    const url = new URL(requestUrl)
    for (const line of splitSetCookie(setCookie)) {
      const [pair = '', ...attributes] = line.split(';')
      const equals = pair.indexOf('=')
      if (equals <= 0) continue
      const cookie: StoredCookie = {
        name: pair.slice(0, equals).trim(),
        value: pair.slice(equals + 1).trim(),
        domain: url.hostname,
        hostOnly: true,
        path: defaultPath(url),
      }
      let maxAgeSeen = false
      for (const attribute of attributes) {
        const [rawName = '', ...rest] = attribute.split('=')
        const name = rawName.trim().toLowerCase()
        const value = rest.join('=').trim()
        if (name === 'domain' && value !== '') {
          const domain = value.replace(/^\./, '').toLowerCase()
          if (!domainMatches(url.hostname, domain)) continue
          cookie.domain = domain
          cookie.hostOnly = false
        } else if (name === 'path' && value.startsWith('/')) {
          cookie.path = value
        } else if (name === 'max-age' && /^-?\d+$/.test(value)) {
          maxAgeSeen = true
          cookie.expiresAt = now + Number(value) * 1000
        } else if (name === 'expires' && !maxAgeSeen) {
          const time = Date.parse(value)
          if (!Number.isNaN(time)) cookie.expiresAt = time
        }
      }
      const key = `${cookie.name};${cookie.domain};${cookie.path}`
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) this.#cookies.delete(key)
      else this.#cookies.set(key, cookie)
    }
  }

  /** The `Cookie` header for a request to `requestUrl`, or undefined when no cookie applies. */
  header(requestUrl: string, now = Date.now()): string | undefined {
    const url = new URL(requestUrl)
    const matching = [...this.#cookies.values()]
      .filter((cookie) => cookie.expiresAt === undefined || cookie.expiresAt > now)
      .filter((cookie) =>
        cookie.hostOnly
          ? url.hostname === cookie.domain
          : domainMatches(url.hostname, cookie.domain),
      )
      .filter((cookie) => pathMatches(url.pathname, cookie.path))
      .sort((a, b) => b.path.length - a.path.length)
    if (matching.length === 0) return undefined
    return matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
  }
}
