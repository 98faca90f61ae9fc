/**
 * Turning validated metadata into a stored client: identifiers, secrets, the RAT.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
 */
import { createHash } from 'node:crypto'
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import { randomToken } from '../random.ts'
import { issueRegistrationAccessToken } from '../tokens/issue.ts'
import { secretMethods } from './response.ts'

/** Sequence numbers under the `client-id-numeric` fault, per server. */
const sequences = new WeakMap<ServerContext, number>()

/** The client_id a new registration gets (faults model id schemes real servers use). */
function newClientId(ctx: ServerContext, metadata: Record<string, unknown>): string {
  if (ctx.faults.has('client-id-numeric')) {
    const next = (sequences.get(ctx) ?? 1000) + 1
    sequences.set(ctx, next)
    return String(next)
  }
  if (ctx.faults.has('client-id-from-clock')) {
    // Seconds since the epoch, as servers that derive ids from a timestamp do: two clients
    // registered in the same second share it, and saving the second overwrites the first.
    return `client-${ctx.now()}`
  }
  if (ctx.faults.has('client-id-reused')) {
    return createHash('sha256')
      .update(JSON.stringify([metadata.redirect_uris, metadata.client_name, metadata.scope]))
      .digest('base64url')
      .slice(0, 22)
  }
  return randomToken(16)
}

/** The one secret every client gets under the `secret-shared` fault. */
const sharedSecret = 'shared-secret-for-every-client-0123456789'

/**
 * A client secret: 256 bits, URL-safe except for one `/`, so clients that skip the form-urlencoding
 * of Basic credentials (RFC 6749 §2.3.1) can be told apart; the server also accepts raw values.
 */
export function newSecret(ctx: ServerContext): string {
  return ctx.faults.has('secret-shared') ? sharedSecret : `${randomToken(16)}/${randomToken(16)}`
}

/** Whether a client registered with these metadata gets a secret. */
export function needsSecret(ctx: ServerContext, metadata: Record<string, unknown>): boolean {
  const method = metadata.token_endpoint_auth_method as string
  return (
    secretMethods.has(method) ||
    (method === 'none' && ctx.faults.has('secret-for-none')) ||
    (method === 'private_key_jwt' && ctx.faults.has('secret-for-private-key-jwt'))
  )
}

export async function createClient(
  ctx: ServerContext,
  metadata: Record<string, unknown>,
  request: Record<string, unknown>,
): Promise<{ client: ClientRecord; rat: string | undefined }> {
  const f = ctx.faults
  const chosenId =
    f.has('client-id-chosen') && typeof request.client_id === 'string'
      ? request.client_id
      : undefined
  let clientId = chosenId ?? newClientId(ctx, metadata)
  if (
    f.has('template-id-reused') &&
    typeof metadata.software_id === 'string' &&
    ctx.config.templates.some((t) => t.client_id === metadata.software_id)
  ) {
    clientId = metadata.software_id
  }
  const client: ClientRecord = {
    client_id: clientId,
    client_id_issued_at: ctx.now(),
    kind: 'dynamic',
    metadata,
  }
  if (needsSecret(ctx, metadata)) {
    client.client_secret = newSecret(ctx)
    client.client_secret_expires_at = 0
    if (f.has('server-members-adopted')) {
      if (typeof request.client_secret === 'string') client.client_secret = request.client_secret
      if (typeof request.client_secret_expires_at === 'number')
        client.client_secret_expires_at = request.client_secret_expires_at
    }
  }
  await ctx.store.saveClient(client)
  if (f.has('rat-missing')) return { client, rat: undefined }
  const rat = await issueRegistrationAccessToken(ctx, clientId)
  return { client, rat: rat.value }
}
