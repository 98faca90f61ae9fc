/**
 * GET|PUT|DELETE /oauth/v2/oauth-dynamic-client-registration/<client_id>: the client
 * configuration endpoint, authorised by the client's registration access token (or a Curity
 * `dcrm` token of a management client). GET and PUT rotate the RAT and the secret
 * (Curity behaviour, `rotateOnRead`).
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import {
  bearerError,
  bearerToken,
  challengeDroppedUnder,
  missingTokenError,
} from '../auth/bearer.ts'
import { secretsEqual } from '../auth/client-auth.ts'
import { readBody } from '../http/body.ts'
import { OAuthHttpError } from '../http/errors.ts'
import { noStore, sendJson } from '../http/respond.ts'
import { needsSecret, newSecret } from '../registration/create-client.ts'
import { sendRegistrationError } from '../registration/errors.ts'
import { MetadataError } from '../registration/metadata-error.ts'
import { serverManagedMembers } from '../registration/members.ts'
import { prepareUpdate } from '../registration/prepare.ts'
import { parseMetadataBody } from '../registration/request-body.ts'
import { clientInformation } from '../registration/response.ts'
import { issueRegistrationAccessToken } from '../tokens/issue.ts'

export const configurationMethods = ['GET', 'PUT', 'DELETE']

interface Access {
  /** The RAT presented, when it was the client's own. */
  rat?: string
}

async function authorize(
  ctx: ServerContext,
  req: IncomingMessage,
  url: URL,
  clientId: string,
): Promise<Access> {
  const f = ctx.faults
  const token = bearerToken(req, url.searchParams)
  if (token === undefined) {
    if (f.has('rat-not-required')) return {}
    throw missingTokenError(f, 'a registration access token is required')
  }
  const rat = await ctx.store.getToken('registration_access_token', token)
  if (rat) {
    if (rat.client_id === clientId) return { rat: token }
    if (f.has('foreign-rat-accepted')) return {}
    const why = 'the registration access token is not valid for this client'
    throw challengeDroppedUnder(f, 'config-refusal-no-challenge', bearerError('invalid_token', why))
  }
  const access = await ctx.store.getToken('access_token', token)
  if (access) {
    const manager = ctx.config.managementClients.some((c) => c.client_id === access.client_id)
    if (manager && access.scope.split(' ').includes('dcrm') && !f.has('dcrm-ignored')) return {}
    if (f.has('access-token-as-rat')) return {}
  }
  throw bearerError('invalid_token', 'the registration access token is unknown or revoked')
}

/**
 * New RAT and secret; the old ones stop working (unless a fault keeps them). Returns the RAT and
 * the client as the response shows it.
 */
async function rotate(
  ctx: ServerContext,
  client: ClientRecord,
  access: Access,
  keepSecret = false,
): Promise<{ rat: string | undefined; shown: ClientRecord }> {
  if (!ctx.config.registration.rotateOnRead) return { rat: access.rat, shown: client }
  const keepOld = ctx.faults.has('rotation-old-still-valid')
  let shown = client
  if (client.client_secret !== undefined && !keepSecret) {
    if (ctx.faults.has('rotated-secret-not-saved')) {
      shown = { ...client, client_secret: newSecret(ctx) }
    } else {
      if (keepOld)
        client.previousSecrets = [...(client.previousSecrets ?? []), client.client_secret]
      client.client_secret = newSecret(ctx)
      await ctx.store.saveClient(client)
    }
  }
  if (!keepOld) await ctx.store.revokeClientTokens(client.client_id, ['registration_access_token'])
  return { rat: (await issueRegistrationAccessToken(ctx, client.client_id)).value, shown }
}

/** What the three operations share: the client, the caller's access and the request body. */
interface Configured {
  client: ClientRecord
  access: Awaited<ReturnType<typeof authorize>>
}

export async function clientConfigurationHandler(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  clientId: string,
): Promise<void> {
  const f = ctx.faults
  const method = req.method === 'PATCH' && f.has('config-patch-accepted') ? 'GET' : req.method
  const body = method === 'PUT' ? await readBody(req, ctx.config.limits.bodyBytes) : undefined
  const found = await ctx.store.getClient(clientId)
  const exists = found !== undefined && found.kind === 'dynamic' && !found.deleted
  // The fault looks the client up before checking the token, so unknown ids get 404.
  if (!exists && f.has('config-404-unknown'))
    throw new OAuthHttpError(404, 'invalid_client', 'no such client')
  const access = await authorize(ctx, req, url, clientId)
  const client = await ctx.store.getClient(clientId)
  if (!client || client.kind !== 'dynamic' || client.deleted) {
    if (access.rat) await ctx.store.deleteToken('registration_access_token', access.rat)
    throw bearerError('invalid_token', 'the client does not exist')
  }
  const configured = { client, access }
  if (method === 'DELETE') return deleteClient(ctx, res, configured)
  if (method === 'GET') return readClient(ctx, res, configured)
  return updateClient(ctx, req, res, configured, body!)
}

/** DELETE: 204, the client and (unless a fault keeps them) its tokens gone. */
async function deleteClient(ctx: ServerContext, res: ServerResponse, { client }: Configured) {
  const f = ctx.faults
  if (f.has('delete-200-or-keeps')) return sendJson(res, 200, { deleted: true }, { ...noStore })
  if (f.has('delete-keeps-refresh-tokens') || f.has('deleted-client-authenticates')) {
    // Soft delete: hidden from this endpoint, but the record stays. Its refresh tokens stay
    // under delete-keeps-refresh-tokens; under deleted-client-authenticates no token does, so
    // that fault breaks only the credentials rule (R7592-2.3-b), not R7592-2.3-c.
    client.deleted = true
    await ctx.store.saveClient(client)
    const keepsTokens = f.has('delete-keeps-refresh-tokens')
    await ctx.store.revokeClientTokens(
      client.client_id,
      keepsTokens ? ['registration_access_token'] : undefined,
    )
  } else {
    await ctx.store.deleteClient(client.client_id, { keepTokens: f.has('delete-keeps-tokens') })
  }
  res.writeHead(204, { ...noStore })
  res.end()
}

const PARTIAL_READ_MEMBERS = [
  'client_id',
  'client_secret',
  'registration_access_token',
  'registration_client_uri',
]

/** GET: the client's information, as registered (RFC 7592 §2.1). */
async function readClient(ctx: ServerContext, res: ServerResponse, { client, access }: Configured) {
  const f = ctx.faults
  if (f.has('read-modifies-client')) {
    const grants = client.metadata.grant_types
    client.metadata.grant_types = [
      ...(Array.isArray(grants) ? grants : ['authorization_code']),
      'refresh_token',
    ]
    await ctx.store.saveClient(client)
  }
  const { rat, shown } = await rotate(ctx, client, access)
  const headers: Record<string, string> = {
    ...(f.has('read-cacheable') ? {} : noStore),
    ...(f.has('config-read-text-plain') ? { 'content-type': 'text/plain; charset=utf-8' } : {}),
  }
  const info = withNullMembers(ctx, clientInformation(ctx, shown, rat))
  if (f.has('read-drops-metadata')) {
    for (const name of ['grant_types', 'response_types', 'token_endpoint_auth_method', 'scope'])
      delete info[name]
  }
  const answer = f.has('config-read-partial')
    ? Object.fromEntries(Object.entries(info).filter(([k]) => PARTIAL_READ_MEMBERS.includes(k)))
    : info
  return sendJson(res, 200, answer, headers)
}

/** PUT: full replacement of the client's metadata (RFC 7592 §2.2). */
async function updateClient(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  { client, access }: Configured,
  body: Buffer,
) {
  const f = ctx.faults
  const before = structuredClone(client)
  let secretAdopted: boolean
  let request: Record<string, unknown>
  try {
    request = parseMetadataBody(ctx, req, body)
    secretAdopted = await update(ctx, client, request)
  } catch (error) {
    if (error instanceof MetadataError) return sendRegistrationError(ctx, res, error)
    throw error
  }
  const { rat, shown } = await rotate(ctx, client, access, secretAdopted)
  if (f.has('put-adopts-server-members') && typeof request.registration_access_token === 'string') {
    const now = ctx.now()
    await ctx.store.saveToken({
      kind: 'registration_access_token',
      value: request.registration_access_token,
      client_id: client.client_id,
      scope: '',
      issuedAt: now,
      expiresAt: now + ctx.config.registration.registrationAccessTokenTtl,
    })
  }
  const view = f.has('put-response-stale')
    ? { ...before, client_secret: shown.client_secret }
    : shown
  const headers = f.has('read-cacheable') ? {} : { ...noStore }
  sendJson(res, 200, withNullMembers(ctx, clientInformation(ctx, view, rat)), headers)
}

/** The `read-null-members` fault: descriptive members the client never set shown as `null`. */
function withNullMembers(
  ctx: ServerContext,
  info: Record<string, unknown>,
): Record<string, unknown> {
  if (!ctx.faults.has('read-null-members')) return info
  const nulls: Record<string, null> = {}
  for (const name of ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri', 'contacts'])
    if (info[name] === undefined) nulls[name] = null
  return { ...info, ...nulls }
}

/** PUT: full replacement of the metadata (RFC 7592 §2.2). */
async function update(
  ctx: ServerContext,
  client: ClientRecord,
  request: Record<string, unknown>,
): Promise<boolean> {
  const f = ctx.faults
  if (request.client_id !== client.client_id && !f.has('put-client-id-unchecked')) {
    throw new MetadataError(
      'invalid_request',
      'client_id',
      'must be present and equal the client being updated',
    )
  }
  const secret = request.client_secret
  let adoptedSecret: string | undefined
  if (secret !== undefined) {
    const current =
      typeof secret === 'string' &&
      client.client_secret !== undefined &&
      secretsEqual(secret, client.client_secret)
    if (f.has('put-adopts-secret') && typeof secret === 'string') adoptedSecret = secret
    else if (!current)
      throw new MetadataError(
        'invalid_request',
        'client_secret',
        'does not match the current secret',
      )
  }
  const input = f.has('put-merges') ? mergeMetadata(client.metadata, request) : request
  let metadata: Record<string, unknown>
  if (f.has('put-invalid-accepted')) {
    metadata = Object.fromEntries(
      Object.entries(input).filter(([name]) => !serverManagedMembers.has(name)),
    )
  } else {
    metadata = (await prepareUpdate(ctx, input)).metadata
  }
  client.metadata = metadata
  if (adoptedSecret !== undefined) client.client_secret = adoptedSecret
  if (needsSecret(ctx, metadata)) {
    client.client_secret ??= newSecret(ctx)
    client.client_secret_expires_at ??= 0
  } else {
    delete client.client_secret
    delete client.client_secret_expires_at
  }
  await ctx.store.saveClient(client)
  return adoptedSecret !== undefined
}

/** The `put-merges` fault: the stored metadata with the body merged in (arrays united). */
function mergeMetadata(
  stored: Record<string, unknown>,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored }
  for (const [name, value] of Object.entries(body)) {
    const old = merged[name]
    merged[name] =
      Array.isArray(old) && Array.isArray(value) ? [...new Set([...old, ...value])] : value
  }
  return merged
}
