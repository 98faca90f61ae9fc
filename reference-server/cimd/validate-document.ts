/**
 * A fetched Client ID Metadata Document turned into a client: the rules of the draft first
 * (client_id equals the URL, no shared secret), then the same metadata validation a registration
 * gets (registration/validate.ts), so one set of rules holds for both kinds of client.
 * @see draft-ietf-oauth-client-id-metadata-document-02 §4, §4.1, §8.6
 */
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import { MetadataError } from '../registration/metadata-error.ts'
import { validateMetadata } from '../registration/validate.ts'

/** Methods built on a shared secret (§4.1): a document cannot carry or establish one. */
const symmetricMethods = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt'])

export type DocumentCheck =
  | { ok: true; client: ClientRecord }
  /** `parse`: not a JSON object (a failed fetch, §5.1); `rules`: a document the rules refuse. */
  | { ok: false; stage: 'parse' | 'rules'; reason: string }

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** The draft's own rules, before the registration rules; a reason when one is broken. */
function draftProblem(ctx: ServerContext, url: string, doc: Record<string, unknown>) {
  const f = ctx.faults
  if (doc.client_id !== url && !f.has('cimd-client-id-mismatch-accepted'))
    return 'the document client_id does not equal its URL'
  const method = doc.token_endpoint_auth_method
  const symmetric =
    (typeof method === 'string' && symmetricMethods.has(method)) ||
    'client_secret' in doc ||
    'client_secret_expires_at' in doc
  if (symmetric && !f.has('cimd-symmetric-auth-accepted'))
    return 'the document uses a shared secret (a symmetric auth method or client_secret)'
  // The registration path would fetch it without the SSRF guard (address-guard.ts).
  if ('sector_identifier_uri' in doc)
    return 'sector_identifier_uri is not supported in a client metadata document'
  return undefined
}

/** Validates the body fetched from `url` and builds the client it describes. */
export async function clientFromDocument(
  ctx: ServerContext,
  url: string,
  body: string,
): Promise<DocumentCheck> {
  const doc = parseObject(body)
  if (!doc) return { ok: false, stage: 'parse', reason: 'the document is not a JSON object' }
  const problem = draftProblem(ctx, url, doc)
  if (problem) return { ok: false, stage: 'rules', reason: problem }
  const { client_id: _id, client_secret, client_secret_expires_at: _expiry, ...input } = doc
  // No secret can exist, so an unstated method means a public client (RFC 7591 §2 would say
  // client_secret_basic, which a document cannot use).
  if (input.token_endpoint_auth_method === undefined) input.token_endpoint_auth_method = 'none'
  let metadata: Record<string, unknown>
  try {
    metadata = (await validateMetadata(ctx, input)).metadata
  } catch (error) {
    if (!(error instanceof MetadataError)) throw error
    return { ok: false, stage: 'rules', reason: `the document is invalid: ${error.message}` }
  }
  if (metadata.token_endpoint_auth_method === 'none') metadata.require_proof_key = true
  const client: ClientRecord = {
    client_id: url,
    client_id_issued_at: ctx.now(),
    kind: 'cimd',
    metadata,
  }
  // Only under `cimd-symmetric-auth-accepted`: the document's secret becomes the client's.
  if (typeof client_secret === 'string') client.client_secret = client_secret
  return { ok: true, client }
}
