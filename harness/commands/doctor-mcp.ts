/**
 * doctor's (and init's) first step for a target given only by its MCP server (`mcp_server`
 * without `issuer`): the hops an MCP client walks (harness/config/mcp-discovery.ts), one line
 * each, then the issuer they lead to, which the later checks use. The MCP server is asked with a
 * client that sends no credentials anywhere, as `run` does (harness/config/mcp-target.ts).
 */
import { createHttpClient } from '../http/client.ts'
import { createOriginPolicy } from '../http/origin-policy.ts'
import { HarnessError } from '../errors.ts'
import {
  discoverFromMcpServer,
  noIssuerError,
  type McpDiscovery,
  type McpHop,
} from '../config/mcp-discovery.ts'
import { needsMcpIssuer } from '../config/mcp-target.ts'
import { selectMcpScope } from '../config/mcp-scope.ts'
import type { TargetConfig } from '../model/target.ts'
import type { Finding } from './doctor-discovery.ts'

export interface McpWalk {
  /** The target with the issuer the hops found (unchanged when none had to be found). */
  config: TargetConfig
  findings: Finding[]
  /** Whether the later checks can run: an issuer is known. */
  found: boolean
  discovery?: McpDiscovery
}

const HOP_FIX: Record<McpHop['hop'], string> = {
  challenge:
    'mcp_server must be the MCP endpoint itself; it answers a request without a token with 401 ' +
    'and a Bearer challenge (RFC 9728 §5.1)',
  resource_metadata:
    'publish RFC 9728 metadata naming authorization_servers at the challenge\'s resource_metadata ' +
    'URL or a well-known URL (RFC 9728 §3.1), or set issuer in targets.yaml',
  authorization_server_metadata:
    'the first of authorization_servers must be the exact issuer, with RFC 8414 or OpenID ' +
    'metadata at its well-known URL',
}

/** One line per hop: what answered, what it led to; a miss the next URL made up for is a skip. */
export function hopFindings(hops: readonly McpHop[]): Finding[] {
  return hops.map((hop, index) => {
    const method = hop.hop === 'challenge' ? 'POST' : 'GET'
    const led = hop.found ? ` -> ${hop.found}` : ''
    const message = `${hop.hop} ${method} ${hop.url}: ${hop.status || hop.error || 'no answer'}${led}`
    const wanted = hop.hop === 'challenge' ? hop.status === 401 : hop.found !== undefined
    if (wanted) return { check: 'mcp', status: 'ok', message }
    const later = hops.slice(index + 1).some((next) => next.hop === hop.hop && next.found)
    if (later) return { check: 'mcp', status: 'skip', message: `${message} (the next URL answered)` }
    return { check: 'mcp', status: 'hint', message, fix: HOP_FIX[hop.hop] }
  })
}

/** The scope an MCP client would ask for, or a hint that the MCP server names none. */
export function scopeFinding(discovery: McpDiscovery): Finding {
  const selected = selectMcpScope(discovery)
  if (selected.scope === undefined) {
    return {
      check: 'mcp',
      status: 'hint',
      message: 'no scope in the challenge or scopes_supported: MCP clients ask for none',
      fix:
        'name the scopes a token needs in the 401 challenge ' +
        '(MCP 2025-11-25 Authorization, Scope Selection Strategy)',
    }
  }
  const from = selected.from === 'challenge' ? 'the challenge' : 'scopes_supported'
  const message = `an MCP client asks for scope "${selected.scope}" (from ${from})`
  return { check: 'mcp', status: 'ok', message }
}

/** Walks the hops of a target without issuer; any other target is returned as it is. */
export async function walkMcpServer(
  config: TargetConfig,
  caPem: string | undefined,
  signal?: AbortSignal,
): Promise<McpWalk> {
  if (!needsMcpIssuer(config)) return { config, findings: [], found: true }
  const server = config.mcp_server!
  const http = createHttpClient({
    originPolicy: createOriginPolicy({ issuer: server, credentialOrigins: [] }),
    ...(config.limits ? { limits: config.limits } : {}),
    tls: { ...(caPem ? { ca: caPem } : {}), ...(config.tls?.insecure ? { insecure: true } : {}) },
  })
  try {
    const discovery = await discoverFromMcpServer(server, http, [], signal)
    const findings = [...hopFindings(discovery.hops), scopeFinding(discovery)]
    if (!discovery.authorization_server) {
      const cause = noIssuerError(discovery)
      const fix = HOP_FIX.resource_metadata
      findings.push({ check: 'mcp', status: 'fail', message: cause.message, fix, error: cause })
      return { config, findings, found: false, discovery }
    }
    const issuer = discovery.authorization_server
    findings.push({ check: 'mcp', status: 'ok', message: `issuer ${issuer} (authorization_servers)` })
    return { config: { ...config, issuer }, findings, found: true, discovery }
  } catch (error) {
    if (error instanceof HarnessError && error.code === 'E_INTERRUPTED') throw error
    const message = `${server}: ${(error as Error).message}`
    const code = error instanceof HarnessError ? error.code : 'E_TARGET_UNREACHABLE'
    const cause = new HarnessError(code, `target '${config.name}': ${message}`)
    const fix = 'check mcp_server and that the MCP server is up (tls.ca for its certificate)'
    const findings: Finding[] = [{ check: 'mcp', status: 'fail', message, fix, error: cause }]
    return { config, findings, found: false }
  } finally {
    await http.close()
  }
}
