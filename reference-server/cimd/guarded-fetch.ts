/**
 * A GET of a URL a client controls (its metadata document, or the jwks_uri inside it) through the
 * SSRF guard: the same rules for both (draft-ietf-oauth-client-id-metadata-document-02 §8.6 covers
 * "any URLs contained within" the document too).
 */
import type { ServerContext } from '../context.ts'
import { checkedAddress } from './address-guard.ts'
import { fetchDocument } from './fetch-document.ts'
import type { FetchResult } from './fetch-document.ts'

/**
 * Read at most this much under `cimd-oversize-accepted`: far past the 1 MiB document
 * suites/mcp/cimd-oversize.yaml judges at should, yet not an unbounded read in `serve`.
 */
const OVERSIZE_FAULT_BYTES = 16 * 1024 * 1024

/** `guard`: refused before any request; `fetch`: no usable answer. */
export type GuardedFetch = FetchResult | { ok: false; stage: 'guard'; reason: string }

function isTrusted(ctx: ServerContext, url: URL): boolean {
  return ctx.config.cimd.trusted_origins.some(
    (origin) => URL.canParse(origin) && new URL(origin).origin === url.origin,
  )
}

/** A sector identifier lists redirect URIs: far more room than a metadata document needs. */
const SECTOR_MAX_BYTES = 64 * 1024

/**
 * `cimd`: a metadata document or the jwks_uri in it (the cimd- faults apply); `sector`: a
 * sector_identifier_uri (OpenID Connect DCR §5), with its own size limit and no cimd- fault.
 */
export type FetchPurpose = 'cimd' | 'sector'

export async function guardedFetch(
  ctx: ServerContext,
  url: URL,
  purpose: FetchPurpose = 'cimd',
): Promise<GuardedFetch> {
  const config = ctx.config.cimd
  const cimd = purpose === 'cimd'
  if (url.protocol !== 'https:') return { ok: false, reason: `${url.href} is not an https URL` }
  const guard = await checkedAddress(url, {
    trusted: isTrusted(ctx, url),
    guardOff: cimd && ctx.faults.has('cimd-loopback-fetched'),
  })
  if (!guard.ok) return { ok: false, stage: 'guard', reason: guard.reason }
  const oversize = cimd && ctx.faults.has('cimd-oversize-accepted')
  return fetchDocument(url, guard.target, {
    timeoutMs: config.timeout_ms,
    maxBytes: oversize ? OVERSIZE_FAULT_BYTES : cimd ? config.max_bytes : SECTOR_MAX_BYTES,
    ...(config.ca ? { ca: config.ca } : {}),
    ...(cimd ? {} : { label: 'the sector identifier document' }),
  })
}
