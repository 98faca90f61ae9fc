/**
 * The publisher a target's `cimd:` block describes (targets.yaml; harness/config/targets.schema.json):
 * `listen` (default 127.0.0.1:0), `public_base_url` (default the listener's own https origin,
 * for a server on this machine), `tls.cert` / `tls.key` (PEM files; without them the listener
 * speaks HTTP behind a TLS-terminating tunnel). Started for the run, closed with it.
 */
import { readFile } from 'node:fs/promises'
import { HarnessError } from '../errors.ts'
import type { TargetConfig } from '../model/target.ts'
import { runningPublisher, startRegisteredPublisher } from './registry.ts'

/** `host:port` (IPv6 in brackets) as a listen address. */
export function parseListen(listen: string): { host: string; port: number } {
  let url: URL
  try {
    url = new URL(`http://${listen}`)
  } catch {
    throw new HarnessError('E_CONFIG', `cimd.listen: '${listen}' is not host:port`)
  }
  if (url.pathname !== '/' || url.username || url.search || !/:\d+$/.test(listen)) {
    throw new HarnessError('E_CONFIG', `cimd.listen: '${listen}' is not host:port`)
  }
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || '80') }
}

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new HarnessError(
      'E_CONFIG',
      `cimd.tls.${what}: cannot read ${path}: ${(error as Error).message}`,
    )
  }
}

/**
 * Starts the target's publisher unless it has none or one already runs for it (the built-in
 * target starts its own). Returns the config with `cimd.public_base_url` filled in.
 */
export async function startTargetPublisher(
  config: TargetConfig,
): Promise<{ config: TargetConfig; close(): Promise<void> } | undefined> {
  const cimd = config.cimd
  if (!cimd || runningPublisher(cimd.public_base_url)) return undefined
  const { host, port } = parseListen(cimd.listen ?? '127.0.0.1:0')
  const tls = cimd.tls
    ? { cert: await readPem(cimd.tls.cert, 'cert'), key: await readPem(cimd.tls.key, 'key') }
    : undefined
  if (!tls && !cimd.public_base_url) {
    throw new HarnessError(
      'E_CONFIG',
      `target '${config.name}': cimd needs tls (cert and key) or a public_base_url: document URLs must be https (draft-ietf-oauth-client-id-metadata-document-02 §3)`,
    )
  }
  const publisher = await startRegisteredPublisher({
    host,
    port,
    ...(tls ? { tls } : {}),
    ...(cimd.public_base_url ? { publicBaseUrl: cimd.public_base_url } : {}),
  })
  return {
    config: { ...config, cimd: { ...cimd, public_base_url: publisher.baseUrl } },
    close: () => publisher.close(),
  }
}
