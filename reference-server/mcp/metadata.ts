/**
 * RFC 9728 protected resource metadata of the MCP servers: at the path-specific well-known URL
 * (§3.1 path insertion) and at the root well-known URL, which describes the main MCP server, as
 * MCP clients fall back to it (MCP 2025-11-25, "Protected Resource Metadata Discovery").
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { OAuthHttpError } from '../http/errors.ts'
import { sendJson } from '../http/respond.ts'
import { hintedScopes, mcpPaths, mcpResources, resourceAt } from './resources.ts'

/** The metadata document of one resource (RFC 9728 §2). */
export function resourceMetadata(ctx: ServerContext, resource: string): Record<string, unknown> {
  // Fault `prm-http-urls`: cleartext URLs where §2 asks for https.
  const http = (url: string) =>
    ctx.faults.has('prm-http-urls') ? url.replace(/^https:/, 'http:') : url
  return {
    // Fault `prm-resource-mismatch`: the origin, not the resource the URL was built from (§3.3).
    resource: http(ctx.faults.has('prm-resource-mismatch') ? ctx.origin : resource),
    // Fault `prm-issuer-not-exact`: the issuer with a trailing slash, which is not the issuer.
    authorization_servers: [
      http(ctx.faults.has('prm-issuer-not-exact') ? `${ctx.endpoints.issuer}/` : ctx.endpoints.issuer),
    ],
    scopes_supported: [...hintedScopes(ctx)],
    bearer_methods_supported: ['header'],
    resource_name: 'Reference MCP server',
  }
}

/** Whether a path is a protected resource metadata URL this server answers. */
export function isResourceMetadataPath(pathname: string): boolean {
  return pathname === mcpPaths.wellKnown || pathname.startsWith(`${mcpPaths.wellKnown}/`)
}

export async function resourceMetadataHandler(
  ctx: ServerContext,
  _req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const suffix = url.pathname.slice(mcpPaths.wellKnown.length)
  // Fault `no-resource-metadata`: no well-known document either, so neither discovery mechanism
  // of MCP 2025-11-25 works (the 401 challenge drops resource_metadata, endpoint.ts).
  if (ctx.faults.has('no-resource-metadata'))
    throw new OAuthHttpError(404, 'not_found', 'no protected resource metadata')
  // At the root URL RFC 9728 §3.3 ¶1 would have `resource` be the origin; MCP 2025-11-25 clients
  // fall back to the root URL for the MCP server, so it describes the main MCP server here (the
  // scenarios accept either, harness/config/mcp-discovery.ts expectedResources).
  const resource = suffix === '' ? mcpResources(ctx).server : resourceAt(ctx, suffix)
  if (resource === undefined)
    throw new OAuthHttpError(404, 'not_found', `no protected resource at ${suffix}`)
  sendJson(res, 200, resourceMetadata(ctx, resource), {
    'cache-control': 'public, max-age=60',
    'access-control-allow-origin': '*',
  })
}
