/**
 * The MCP servers as protected resources: without a valid token for themselves they answer 401
 * with a Bearer challenge naming their metadata (RFC 9728 §5.1) and the scopes to ask for; with
 * one they speak JSON-RPC as a stateful Streamable HTTP server does (reference-server/mcp/
 * sessions.ts). A token is accepted only when its audience (the RFC 8707 `resource` it was
 * minted for) is this very server (MCP 2025-06-18, "Token Audience Binding and Validation"),
 * and it must carry the `read` scope: without it the answer is 403 `insufficient_scope` naming
 * the scopes to ask for (MCP 2025-11-25 Authorization, Runtime Insufficient Scope Errors).
 * The token is checked before the session, as the MCP SDK's bearer middleware sits in front of
 * its transport.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { bearerToken } from '../auth/bearer.ts'
import { readBody } from '../http/body.ts'
import { OAuthHttpError } from '../http/errors.ts'
import { noStore, safeDescription, sendJson } from '../http/respond.ts'
import { hintedScopes, mcpRequiredScope, mcpScopes, metadataUrlOf, resourceAt } from './resources.ts'
import { hasSession, openSession } from './sessions.ts'

/** The protocol revision this server answers `initialize` with. */
const PROTOCOL_VERSION = '2025-06-18'

/** RFC 9728 §5.1 `resource_metadata`, which fault `no-resource-metadata` leaves out. */
function metadataParam(ctx: ServerContext, resource: string): string[] {
  if (ctx.faults.has('no-resource-metadata')) return []
  return [`resource_metadata="${metadataUrlOf(ctx, resource)}"`]
}

/** The 401 of an MCP server: `resource_metadata` and `scope` unless a fault drops the former. */
function challenge(ctx: ServerContext, resource: string, error?: string): OAuthHttpError {
  const parts = ['Bearer realm="mcp"', ...metadataParam(ctx, resource)]
  parts.push(`scope="${hintedScopes(ctx).join(' ')}"`)
  if (error) parts.push(`error="invalid_token", error_description="${safeDescription(error)}"`)
  return new OAuthHttpError(401, 'invalid_token', error ?? 'an access token is required', {
    'www-authenticate': parts.join(', '),
  })
}

/** RFC 6750 §3.1: a valid token without the scope this server needs; the scopes that suffice. */
function insufficientScope(ctx: ServerContext, resource: string): OAuthHttpError {
  const parts = ['Bearer error="insufficient_scope"', `scope="${mcpScopes.join(' ')}"`]
  const header = [...parts, ...metadataParam(ctx, resource)].join(', ')
  return new OAuthHttpError(403, 'insufficient_scope', `the ${mcpRequiredScope} scope is required`, {
    'www-authenticate': header,
  })
}

/** A JSON-RPC error answer (JSON-RPC 2.0 §5.1); `id` is null when the request's is unknown. */
function rpcError(
  res: ServerResponse,
  status: number,
  id: unknown,
  code: number,
  message: string,
): void {
  const error = { code, message }
  sendJson(res, status, { jsonrpc: '2.0', id: id ?? null, error }, { ...noStore })
}

interface RpcRequest {
  id?: unknown
  method?: unknown
}

function parseRpc(body: Buffer): RpcRequest | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as RpcRequest)
      : undefined
  } catch {
    return undefined
  }
}

export async function mcpEndpointHandler(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const resource = resourceAt(ctx, url.pathname)!
  const body = req.method === 'POST' ? await readBody(req, ctx.config.limits.bodyBytes) : undefined
  const token = bearerToken(req, url.searchParams)
  if (token === undefined) throw challenge(ctx, resource)
  const record = await ctx.store.getToken('access_token', token)
  if (!record) throw challenge(ctx, resource, 'the access token is unknown or expired')
  const audience = record.data?.['resource']
  if (audience !== resource && !ctx.faults.has('audience-not-bound'))
    throw challenge(ctx, resource, 'the access token was not issued for this MCP server')
  if (!record.scope.split(' ').includes(mcpRequiredScope)) throw insufficientScope(ctx, resource)
  if (body === undefined) {
    // No server-to-client stream is offered: GET is not allowed (MCP transports, Listening).
    res.writeHead(405, { allow: 'POST' })
    res.end()
    return
  }
  answerRpc(ctx, req, res, resource, body)
}

/** Session handling and the few methods this server has (initialize, ping, tools/list). */
function answerRpc(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  resource: string,
  body: Buffer,
): void {
  const rpc = parseRpc(body)
  if (!rpc || typeof rpc.method !== 'string')
    return rpcError(res, 400, rpc?.id, -32700, 'Parse error: a JSON-RPC request is required')
  const sessionHeader = req.headers['mcp-session-id']
  const session = typeof sessionHeader === 'string' ? sessionHeader : undefined
  if (rpc.method === 'initialize') {
    if (session !== undefined)
      return rpcError(res, 400, rpc.id, -32600, 'Invalid Request: already initialized')
    const id = openSession(ctx, resource)
    const result = {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: { tools: {} },
      serverInfo: { name: 'dcr-conformance reference MCP server', version: '1' },
    }
    const headers = { ...noStore, 'mcp-session-id': id }
    return sendJson(res, 200, { jsonrpc: '2.0', id: rpc.id ?? null, result }, headers)
  }
  if (session === undefined)
    return rpcError(res, 400, null, -32000, 'Bad Request: Mcp-Session-Id header is required')
  if (!hasSession(ctx, session, resource))
    return rpcError(res, 404, null, -32001, 'Session not found')
  // A notification (no id) is accepted without a body (MCP transports, Sending Messages).
  if (rpc.id === undefined) {
    res.writeHead(202)
    res.end()
    return
  }
  if (rpc.method === 'tools/list') return sendRpcResult(res, rpc.id, { tools: [] })
  if (rpc.method === 'ping') return sendRpcResult(res, rpc.id, {})
  rpcError(res, 200, rpc.id, -32601, `Method not found: ${safeDescription(rpc.method)}`)
}

/** JSON-RPC 2.0 §5: the answer carries the request's id. */
function sendRpcResult(res: ServerResponse, id: unknown, result: unknown): void {
  sendJson(res, 200, { jsonrpc: '2.0', id, result }, { ...noStore })
}
