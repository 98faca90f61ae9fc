/**
 * The keys of a `private_key_jwt` document client that publishes a `jwks_uri` (draft-ietf-oauth-
 * client-id-metadata-document-02 §8.2): fetched through the same guard as the document, checked
 * like registered keys, and kept with the cached client, so the token endpoint verifies its
 * assertions (auth/client-auth.ts) as it does a registered client's.
 */
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import { MetadataError } from '../registration/metadata-error.ts'
import { checkClientJwks } from '../registration/jwks.ts'
import { guardedFetch } from './guarded-fetch.ts'

/** Adds the jwks_uri keys to the client's metadata; a reason when they cannot be used. */
export async function withPublishedKeys(
  ctx: ServerContext,
  client: ClientRecord,
): Promise<string | undefined> {
  const uri = client.metadata.jwks_uri
  if (client.metadata.token_endpoint_auth_method !== 'private_key_jwt' || typeof uri !== 'string')
    return undefined
  const fetched = await guardedFetch(ctx, new URL(uri))
  if (!fetched.ok) return `jwks_uri: ${fetched.reason}`
  let jwks: unknown
  try {
    jwks = JSON.parse(fetched.body)
  } catch {
    return 'jwks_uri: not JSON'
  }
  if (typeof jwks !== 'object' || jwks === null || Array.isArray(jwks))
    return 'jwks_uri: not a JWK Set'
  try {
    checkClientJwks(ctx, jwks as Record<string, unknown>)
  } catch (error) {
    if (error instanceof MetadataError) return `jwks_uri: ${error.message}`
    throw error
  }
  client.metadata.jwks = jwks
  return undefined
}
