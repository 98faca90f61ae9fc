/**
 * Whether a client must use PKCE: registered with `require_proof_key`, a public client under the
 * policy `pkce.requireForPublicClients`, or every client under `pkce.requireForAllClients`.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.4.1
 */
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import { authMethodOf } from '../client.ts'

export function requiresProofKey(ctx: ServerContext, client: ClientRecord): boolean {
  const pkce = ctx.config.pkce
  const publicClient = authMethodOf(client) === 'none' && pkce.requireForPublicClients
  return client.metadata.require_proof_key === true || publicClient || pkce.requireForAllClients === true
}
