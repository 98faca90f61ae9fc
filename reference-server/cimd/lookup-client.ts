/**
 * Finding the client of a request: a stored client (configured or registered), else, for an
 * https client_id, the client its Client ID Metadata Document describes (resolve.ts). Every
 * endpoint that names a client looks it up here, so both kinds behave alike.
 */
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import { isClientIdUrl } from './client-id-url.ts'
import { resolveCimdClient } from './resolve.ts'

export type ClientLookup =
  | {
      ok: true
      client: ClientRecord
      /** Under `cimd-fetch-failure-ignored` only: no document backs this client. */
      unverified?: boolean
    }
  | { ok: false; description: string }

/**
 * The `cimd-fetch-failure-ignored` fault's client: a failed fetch is taken as a public client
 * with no metadata, whose redirect URI the authorization endpoint then does not check.
 */
function unverifiedClient(ctx: ServerContext, clientId: string): ClientRecord {
  const policy = ctx.config.registration
  return {
    client_id: clientId,
    client_id_issued_at: ctx.now(),
    kind: 'cimd',
    metadata: {
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [],
      scope: policy.defaultScope ?? policy.allowedScopes.join(' '),
      require_proof_key: true,
    },
  }
}

export async function lookupClient(ctx: ServerContext, clientId: string): Promise<ClientLookup> {
  const stored = await ctx.store.getClient(clientId)
  if (stored && stored.kind !== 'template') return { ok: true, client: stored }
  if (stored || !ctx.config.cimd.enabled || !isClientIdUrl(clientId))
    return { ok: false, description: 'unknown client' }
  const found = await resolveCimdClient(ctx, clientId)
  if (found.ok) return { ok: true, client: found.client }
  // A document that could not be fetched aborts the request (§5.1), except under the fault.
  if (found.stage === 'fetch' && ctx.faults.has('cimd-fetch-failure-ignored'))
    return { ok: true, client: unverifiedClient(ctx, clientId), unverified: true }
  // Not an error of the server: logged with the requests only.
  if (ctx.logLevel === 'requests')
    ctx.log({ event: 'cimd_refused', client_id: clientId, stage: found.stage, why: found.reason })
  return { ok: false, description: found.reason }
}

/** The client, or undefined when there is none (callers that need no reason). */
export async function clientById(
  ctx: ServerContext,
  clientId: string,
): Promise<ClientRecord | undefined> {
  const found = await lookupClient(ctx, clientId)
  return found.ok ? found.client : undefined
}
