/**
 * Discovery from an MCP server URL, hop by hop as MCP clients do it (MCP 2025-06-18 §2.3,
 * 2025-11-25 "Authorization Server Discovery"): an unauthenticated MCP request and its 401
 * challenge (`resource_metadata`, RFC 9728 §5.1), the protected resource metadata (the URL from
 * the challenge, else the path-specific then the root well-known URL, RFC 9728 §3.1), the
 * authorization server from `authorization_servers`, and its metadata at the RFC 8414 and the
 * OpenID well-known URLs. Every hop is recorded; nothing here judges: scenarios (suites/mcp/)
 * check the hops, and a target given only as `mcp_server` gets its issuer from them.
 */
import type { HttpClient, HttpResponse } from '../http/types.ts'
import type { Exchange } from '../model/result.ts'
import { HarnessError } from '../errors.ts'
import { bearerChallengeParams } from './bearer-challenge.ts'
import { oauthMetadataUrl, openIdConfigurationUrl } from './discovery.ts'

/** One request of the discovery and what it gave. */
export interface McpHop {
  hop: 'challenge' | 'resource_metadata' | 'authorization_server_metadata'
  url: string
  /** 0 when the request failed (see `error`). */
  status: number
  /** What the hop yielded for the next one (a URL, an issuer), when it did. */
  found?: string
  /** Why no answer came (a URL the metadata names may be unreachable: that is a finding). */
  error?: string
}

export interface McpDiscovery {
  mcp_server: string
  challenge: { status: number; www_authenticate?: string; resource_metadata?: string; scope?: string }
  /** The protected resource metadata that answered 200 with a JSON object, if any. */
  resource_metadata?: {
    url: string
    /** How it was found: the challenge's `resource_metadata`, or a well-known URL. */
    found_by: 'challenge' | 'well-known'
    /** The `resource` values RFC 9728 §3.3 allows for a document found at this URL. */
    expected_resources: string[]
    body: Record<string, unknown>
  }
  /** The first entry of `authorization_servers`. */
  authorization_server?: string
  authorization_server_metadata?: { url: string; body: Record<string, unknown> }
  hops: McpHop[]
}

/** RFC 9728 §3.1: the path-specific and the root well-known URLs of a resource (deduplicated). */
export function protectedResourceMetadataUrls(resource: string): string[] {
  const url = new URL(resource)
  const path = url.pathname.replace(/\/+$/, '')
  const root = `${url.origin}/.well-known/oauth-protected-resource`
  return path === '' ? [root] : [root + path, root]
}

/**
 * RFC 9728 §3.3: the `resource` a document must name, by where it was found. Through the
 * challenge (¶2) or the path-specific URL (¶1) it is the MCP server URL; at the root URL (¶1) it
 * is the origin, or the MCP server URL as MCP 2025-11-25 servers publish it there.
 */
export function expectedResources(
  mcpServer: string,
  url: string,
  foundBy: 'challenge' | 'well-known',
): string[] {
  const server = new URL(mcpServer)
  const trimmed = server.origin + server.pathname.replace(/\/+$/, '') + server.search
  if (foundBy === 'challenge') return [mcpServer]
  const root = `${server.origin}/.well-known/oauth-protected-resource`
  const forms =
    url === root ? [server.origin, `${server.origin}/`, mcpServer, trimmed] : [mcpServer, trimmed]
  return [...new Set(forms)]
}

/**
 * The initialize request an MCP client opens a session with (it expects 401 when unauthorised);
 * the only request a stateful MCP server takes without a session.
 */
export const MCP_INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'dcr-conformance', version: '1' },
  },
} as const

function jsonObject(response: HttpResponse): Record<string, unknown> | undefined {
  const body = response.body
  return response.status === 200 && typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined
}

/** Walks the hops; `exchanges` collects every request for the report. */
export async function discoverFromMcpServer(
  mcpServer: string,
  http: HttpClient,
  exchanges: Exchange[] = [],
  signal?: AbortSignal,
): Promise<McpDiscovery> {
  const get = async (url: string, init?: { method: string; body: string }) => {
    const { response, exchange } = await http.send(
      {
        method: init?.method ?? 'GET',
        url,
        headers: init
          ? { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }
          : { accept: 'application/json' },
        ...(init ? { body: init.body } : {}),
      },
      signal,
    )
    exchanges.push(exchange)
    return response
  }
  const hops: McpHop[] = []
  const probe = await get(mcpServer, { method: 'POST', body: JSON.stringify(MCP_INITIALIZE) })
  const header = probe.headers['www-authenticate']
  const params = bearerChallengeParams(header)
  const result: McpDiscovery = {
    mcp_server: mcpServer,
    challenge: {
      status: probe.status,
      ...(header !== undefined ? { www_authenticate: header } : {}),
      ...(params?.['resource_metadata'] ? { resource_metadata: params['resource_metadata'] } : {}),
      ...(params?.['scope'] ? { scope: params['scope'] } : {}),
    },
    hops,
  }
  hops.push({ hop: 'challenge', url: mcpServer, status: probe.status, ...found(result.challenge.resource_metadata) })
  const candidates = [
    ...(result.challenge.resource_metadata ? [result.challenge.resource_metadata] : []),
    ...protectedResourceMetadataUrls(mcpServer),
  ]
  for (const url of [...new Set(candidates)]) {
    const response = await tolerant(get, url, 'resource_metadata', hops)
    if (!response) continue
    const body = jsonObject(response)
    const servers = body?.['authorization_servers']
    const first = Array.isArray(servers) && typeof servers[0] === 'string' ? servers[0] : undefined
    hops.push({ hop: 'resource_metadata', url, status: response.status, ...found(first) })
    if (!body) continue
    const foundBy = url === result.challenge.resource_metadata ? 'challenge' : 'well-known'
    const expected_resources = expectedResources(mcpServer, url, foundBy)
    result.resource_metadata = { url, found_by: foundBy, expected_resources, body }
    if (first) result.authorization_server = first
    break
  }
  if (result.authorization_server) await findServerMetadata(result, get)
  return result
}

/**
 * A later hop's request: a transport failure is recorded as the hop's answer (status 0), not
 * thrown, so a URL the metadata names wrongly is judged by the scenarios. Interrupts still throw.
 */
async function tolerant(
  get: (url: string) => Promise<HttpResponse>,
  url: string,
  hop: McpHop['hop'],
  hops: McpHop[],
): Promise<HttpResponse | undefined> {
  try {
    return await get(url)
  } catch (error) {
    if (!(error instanceof HarnessError) || error.code === 'E_INTERRUPTED') throw error
    hops.push({ hop, url, status: 0, error: error.message })
    return undefined
  }
}

/** `/.well-known/openid-configuration` between the host and the issuer's path. */
export function openIdPathInsertionUrl(issuer: string): string {
  const url = new URL(issuer)
  return `${url.origin}/.well-known/openid-configuration${url.pathname.replace(/\/+$/, '')}`
}

function found(value: string | undefined): { found?: string } {
  return value === undefined ? {} : { found: value }
}

/**
 * The order of MCP 2025-11-25 (Authorization Server Metadata Discovery): RFC 8414 path insertion,
 * then for an issuer with a path the OpenID form with the path inserted, then the OpenID form
 * with the well-known path appended (OIDC Discovery §4).
 */
async function findServerMetadata(
  result: McpDiscovery,
  get: (url: string) => Promise<HttpResponse>,
): Promise<void> {
  const issuer = result.authorization_server!
  let urls: string[]
  try {
    urls = [
      ...new Set([
        oauthMetadataUrl(issuer),
        openIdPathInsertionUrl(issuer),
        openIdConfigurationUrl(issuer),
      ]),
    ]
  } catch {
    return
  }
  for (const url of urls) {
    const response = await tolerant(get, url, 'authorization_server_metadata', result.hops)
    if (!response) continue
    const body = jsonObject(response)
    const named = typeof body?.['issuer'] === 'string' ? (body['issuer'] as string) : undefined
    result.hops.push({ hop: 'authorization_server_metadata', url, status: response.status, ...found(named) })
    if (!body) continue
    result.authorization_server_metadata = { url, body }
    return
  }
}

/** The hops as lines for the run's notices (the report shows how the issuer was found). */
export function describeHops(discovery: McpDiscovery): string[] {
  return discovery.hops.map(
    (hop, index) =>
      `MCP discovery ${index + 1}/${discovery.hops.length}: ${hop.hop} ${hop.hop === 'challenge' ? 'POST' : 'GET'} ${hop.url} -> ${hop.status}` +
      (hop.found ? ` (${hop.found})` : '') +
      (hop.error ? ` (${hop.error})` : ''),
  )
}

/** The issuer an MCP server leads to, or E_DISCOVERY naming the hop that failed. */
export function issuerOf(discovery: McpDiscovery): string {
  if (discovery.authorization_server) return discovery.authorization_server
  throw noIssuerError(discovery)
}

/** E_DISCOVERY for hops that found no authorization server, naming the last hop. */
export function noIssuerError(discovery: McpDiscovery): HarnessError {
  const last = discovery.hops.at(-1)
  const where = last ? `${last.hop} at ${last.url} answered ${last.status}` : 'no hop answered'
  return new HarnessError(
    'E_DISCOVERY',
    `MCP server ${discovery.mcp_server}: no authorization server found (${where}); ` +
      'set `issuer` in targets.yaml or fix the protected resource metadata',
  )
}
