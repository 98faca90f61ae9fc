/**
 * How long a fetched Client ID Metadata Document may be reused: its HTTP cache headers
 * (RFC 9111 §5.2.2, §4.2.1), bounded above by the server's own limit (draft-ietf-oauth-client-id-
 * metadata-document-02 §5.2 lets the server set bounds). Never longer than the headers allow.
 */
import type { IncomingHttpHeaders } from 'node:http'

function directives(header: string | undefined): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>()
  for (const part of (header ?? '').split(',')) {
    const [name, value] = part.trim().split('=', 2)
    if (name) out.set(name.toLowerCase(), value?.replace(/^"(.*)"$/, '$1'))
  }
  return out
}

function seconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined
}

/** Freshness the response itself gives: max-age, else Expires minus Date; undefined if none. */
function freshness(headers: IncomingHttpHeaders, cc: Map<string, string | undefined>) {
  if (cc.has('max-age')) return seconds(cc.get('max-age')) ?? 0
  const expires = headers.expires
  if (expires === undefined) return undefined
  const end = Date.parse(expires)
  // An invalid Expires means already expired (RFC 9111 §5.3).
  if (Number.isNaN(end)) return 0
  const start = headers.date !== undefined ? Date.parse(headers.date) : Date.now()
  return Math.max(0, Math.floor((end - (Number.isNaN(start) ? Date.now() : start)) / 1000))
}

/**
 * Seconds the document may be served from the cache (0: not stored). `no-store` and `no-cache`
 * (which would need revalidation on every use) mean 0; `Age` is what an upstream cache used up.
 */
export function cacheLifetime(headers: IncomingHttpHeaders, upperBound: number): number {
  const cc = directives(
    Array.isArray(headers['cache-control'])
      ? headers['cache-control'].join(',')
      : headers['cache-control'],
  )
  if (cc.has('no-store') || cc.has('no-cache')) return 0
  const fresh = freshness(headers, cc)
  if (fresh === undefined) return upperBound
  const age = seconds(typeof headers.age === 'string' ? headers.age : undefined) ?? 0
  return Math.max(0, Math.min(upperBound, fresh - age))
}
