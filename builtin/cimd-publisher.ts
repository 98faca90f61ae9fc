/**
 * The built-in target's Client ID Metadata Document publisher (harness/cimd/): started before the
 * reference server, on 127.0.0.1 with the fixtures/tls certificate, and the only loopback origin
 * that server fetches from (its `cimd.trusted_origins`, the testing relaxation of draft-02 §8.6).
 */
import { readFile } from 'node:fs/promises'
import { startRegisteredPublisher } from '../harness/cimd/registry.ts'
import type { CimdPublisher } from '../harness/cimd/publisher.ts'

/** `config` with the publisher's origin trusted and the test CA accepted for its documents. */
export function trustingPublisher(
  config: Record<string, unknown> | undefined,
  origin: string,
  caPem: string,
): Record<string, unknown> {
  const cimd = (config?.['cimd'] ?? {}) as { trusted_origins?: unknown }
  const given = Array.isArray(cimd.trusted_origins) ? (cimd.trusted_origins as string[]) : []
  return { ...config, cimd: { ...cimd, trusted_origins: [...given, origin], ca: caPem } }
}

/** Starts the publisher and returns it with the reference server config that trusts it. */
export async function startTrustedPublisher(
  tls: { cert: string; key: string },
  caFile: string,
  config: Record<string, unknown> | undefined,
): Promise<{ publisher: CimdPublisher; config: Record<string, unknown> }> {
  const caPem = await readFile(caFile, 'utf8')
  const publisher = await startRegisteredPublisher({ host: '127.0.0.1', port: 0, tls })
  return { publisher, config: trustingPublisher(config, new URL(publisher.baseUrl).origin, caPem) }
}
