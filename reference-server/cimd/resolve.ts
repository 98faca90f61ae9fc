/**
 * Client information discovery (draft-ietf-oauth-client-id-metadata-document-02 §5): from a
 * Client Identifier URL to a client, through the cache, the SSRF guard, the fetch and the
 * document rules. Failures are never cached (§5.2).
 */
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import { cacheLifetime } from './cache-lifetime.ts'
import { clientIdUrlProblem } from './client-id-url.ts'
import { guardedFetch } from './guarded-fetch.ts'
import { withPublishedKeys } from './published-keys.ts'
import { clientFromDocument } from './validate-document.ts'

export type CimdResolution =
  | { ok: true; client: ClientRecord }
  /**
   * `url`: not a valid Client Identifier URL (§3); `guard`: refused before any request (§8.6);
   * `fetch`: no usable answer: transport error, non-200, too long, not a JSON object (§5, §5.1,
   * §8.7); `rules`: a document the rules refuse (§4, §4.1, registration/validate.ts).
   */
  | { ok: false; stage: 'url' | 'guard' | 'fetch' | 'rules'; reason: string }

async function discover(ctx: ServerContext, clientId: string): Promise<CimdResolution> {
  const fetched = await guardedFetch(ctx, new URL(clientId))
  if (!fetched.ok)
    return { ok: false, stage: 'stage' in fetched ? 'guard' : 'fetch', reason: fetched.reason }
  const check = await clientFromDocument(ctx, clientId, fetched.body)
  if (!check.ok)
    return { ok: false, stage: check.stage === 'parse' ? 'fetch' : 'rules', reason: check.reason }
  const keys = await withPublishedKeys(ctx, check.client)
  if (keys) return { ok: false, stage: 'rules', reason: keys }
  const lifetime = ctx.faults.has('cimd-cache-ignores-headers')
    ? Number.POSITIVE_INFINITY
    : cacheLifetime(fetched.headers, ctx.config.cimd.cache_seconds)
  ctx.cimd.set(clientId, check.client, ctx.now(), lifetime)
  return { ok: true, client: check.client }
}

/** The client a Client Identifier URL describes, or why there is none. */
export async function resolveCimdClient(
  ctx: ServerContext,
  clientId: string,
): Promise<CimdResolution> {
  const problem = clientIdUrlProblem(clientId)
  if (problem) return { ok: false, stage: 'url', reason: problem }
  const cached = ctx.cimd.get(clientId, ctx.now())
  if (cached) return { ok: true, client: cached }
  const pending = ctx.cimd.pending.get(clientId) as Promise<CimdResolution> | undefined
  if (pending) return pending
  const work = discover(ctx, clientId).finally(() => ctx.cimd.pending.delete(clientId))
  ctx.cimd.pending.set(clientId, work)
  return work
}
