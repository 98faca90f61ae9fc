/**
 * The MCP resources the reference server plays beside its authorization server: two MCP servers
 * on its own origin, so a token bound to one can be shown to the other (MCP 2025-06-18 §2.5.1
 * and "Token Audience Binding and Validation"; RFC 8707 §2).
 */
import type { ServerContext } from '../context.ts'

export const mcpPaths = {
  /** The MCP server every MCP scenario talks to. */
  server: '/mcp',
  /** A second MCP server of the same authorization server (a different audience). */
  other: '/mcp-other',
  /** RFC 9728 §3.1: the well-known suffix; the resource's path follows it (path insertion). */
  wellKnown: '/.well-known/oauth-protected-resource',
} as const

/** The resource identifiers (absolute URLs) of the two MCP servers. */
export function mcpResources(ctx: ServerContext): { server: string; other: string } {
  return { server: ctx.origin + mcpPaths.server, other: ctx.origin + mcpPaths.other }
}

/** The resource identifier served at a request path, if that path is an MCP server. */
export function resourceAt(ctx: ServerContext, pathname: string): string | undefined {
  if (pathname === mcpPaths.server || pathname === mcpPaths.other) return ctx.origin + pathname
  return undefined
}

/** The path-specific protected resource metadata URL of a resource on this origin. */
export function metadataUrlOf(ctx: ServerContext, resource: string): string {
  return ctx.origin + mcpPaths.wellKnown + new URL(resource).pathname
}

/** The scopes an MCP client is told to ask for (the `scope` hint and `scopes_supported`). */
export const mcpScopes = ['openid', 'read'] as const

/** The scope a token needs at the MCP servers (RFC 6750 §3.1 `insufficient_scope` without it). */
export const mcpRequiredScope = 'read'

/**
 * The scopes the challenge and the metadata name. Fault `mcp-scope-hint-insufficient`: only
 * `openid`, so a client following the MCP Scope Selection Strategy gets a token the MCP server
 * refuses for its scope.
 */
export function hintedScopes(ctx: ServerContext): readonly string[] {
  return ctx.faults.has('mcp-scope-hint-insufficient') ? ['openid'] : mcpScopes
}
