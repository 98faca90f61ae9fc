/**
 * The scope an MCP client asks for (MCP 2025-11-25 Authorization, Scope Selection Strategy): the
 * `scope` of the MCP server's 401 challenge first, else every entry of the protected resource
 * metadata's `scopes_supported`, else none (the client omits `scope`). The harness falls back to
 * the target's own scope (harness/config/scope.ts) where an MCP client would omit it, so that
 * `target.scope`'s rule holds here too: a value is never silently empty.
 */
import type { McpDiscovery } from './mcp-discovery.ts'

/** Where the scope came from; `none` when neither the MCP server nor the target names one. */
export type McpScopeSource = 'challenge' | 'scopes_supported' | 'target' | 'none'

export interface McpScope {
  scope?: string
  from: McpScopeSource
}

/** The space-separated scope values of `scopes_supported` (RFC 9728 §2), if it lists any. */
function supportedScopes(metadata: Record<string, unknown> | undefined): string | undefined {
  const listed = metadata?.['scopes_supported']
  if (!Array.isArray(listed)) return undefined
  const scopes = listed.filter((value): value is string => typeof value === 'string' && value !== '')
  return scopes.length > 0 ? scopes.join(' ') : undefined
}

/** The MCP client's choice for a discovery, with `fallback` (the target's scope) last. */
export function selectMcpScope(
  discovery: Pick<McpDiscovery, 'challenge' | 'resource_metadata'>,
  fallback?: string,
): McpScope {
  // RFC 6750 §3: the challenge's scope is a space-delimited list; blank is as good as none.
  const hinted = discovery.challenge.scope?.trim()
  if (hinted) return { scope: hinted, from: 'challenge' }
  const supported = supportedScopes(discovery.resource_metadata?.body)
  if (supported) return { scope: supported, from: 'scopes_supported' }
  if (fallback) return { scope: fallback, from: 'target' }
  return { from: 'none' }
}
