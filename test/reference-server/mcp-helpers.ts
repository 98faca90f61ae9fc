/** Helpers for the reference server's MCP resources (reference-server/mcp/). */
import type { ReferenceServer } from '../../reference-server/index.ts'
import { basic, codeFor, ep, redeem, registered, send } from './helpers.ts'
import type { Json, Reply } from './helpers.ts'
import { MCP_INITIALIZE } from '../../harness/config/mcp-discovery.ts'

export const mcpUrl = (s: ReferenceServer) => `${s.origin}/mcp`
export const otherMcpUrl = (s: ReferenceServer) => `${s.origin}/mcp-other`
export const prmUrl = (s: ReferenceServer, path = '/mcp') =>
  `${s.origin}/.well-known/oauth-protected-resource${path}`

/** The request that opens an MCP session: the one the harness sends (config/mcp-discovery.ts). */
export const initialize: Json = MCP_INITIALIZE

/**
 * A POST to an MCP server (`initialize` unless `message` is given), with a bearer token and an
 * Mcp-Session-Id when given.
 */
export function callMcp(
  url: string,
  token?: string,
  message: Json = initialize,
  session?: string,
): Promise<Reply> {
  return send(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(session ? { 'mcp-session-id': session } : {}),
    },
    body: JSON.stringify(message),
  })
}

export const confidentialClient: Json = {
  redirect_uris: ['https://localhost/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  scope: 'openid read',
}

/**
 * The code flow with `resource` on the authorization request (`authorizeResource`) and on the
 * token request (`tokenResource`, default the same; a list sends `resource` once per entry): the
 * token response.
 */
export async function tokenFor(
  s: ReferenceServer,
  authorizeResource: string | undefined,
  tokenResource: string | string[] | undefined = authorizeResource,
): Promise<Reply & { client: Json }> {
  const client = await registered(s, confidentialClient)
  const { code, verifier, redirectUri } = await codeFor(
    s,
    client,
    authorizeResource ? { resource: authorizeResource } : {},
  )
  if (!tokenResource) return { ...(await redeem(s, client, code, verifier, redirectUri)), client }
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  })
  for (const resource of [tokenResource].flat()) form.append('resource', resource)
  const reply = await send(ep(s).token, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(client.client_id, client.client_secret),
    },
    body: form.toString(),
  })
  return { ...reply, client }
}
