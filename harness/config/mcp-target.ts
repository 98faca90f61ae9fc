/**
 * A target with an MCP server (`mcp_server` in targets.yaml): scenarios read it as
 * `target.data.mcp_server`; a target given only by its MCP server gets its issuer by walking the
 * discovery hops first (mcp-discovery.ts), with a client that carries no credentials, and the
 * run's notices show each hop.
 */
import type { HttpClient } from '../http/types.ts'
import type { TargetConfig } from '../model/target.ts'
import { describeHops, discoverFromMcpServer, issuerOf } from './mcp-discovery.ts'

/** `data.mcp_server` from `mcp_server` (a value already in `data` wins). */
export function withMcpData(config: TargetConfig): TargetConfig {
  if (!config.mcp_server || config.data?.['mcp_server'] !== undefined) return config
  return { ...config, data: { ...config.data, mcp_server: config.mcp_server } }
}

/** Whether the issuer still has to be found from the MCP server. */
export function needsMcpIssuer(config: TargetConfig): boolean {
  return config.issuer === '' && typeof config.mcp_server === 'string'
}

/** The target with the issuer its MCP server leads to, and the hops as notice lines. */
export async function issuerFromMcpServer(
  config: TargetConfig,
  clientFor: (target: TargetConfig) => HttpClient & { close(): Promise<void> },
  signal?: AbortSignal,
): Promise<{ config: TargetConfig; notices: string[] }> {
  // The MCP server stands in for the issuer in the origin policy: no credentials go anywhere.
  const http = clientFor({ ...config, issuer: config.mcp_server!, credential_origins: [] })
  try {
    const discovery = await discoverFromMcpServer(config.mcp_server!, http, [], signal)
    const issuer = issuerOf(discovery)
    return { config: { ...config, issuer }, notices: describeHops(discovery) }
  } finally {
    await http.close()
  }
}
