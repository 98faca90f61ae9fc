import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packagePath } from '../../../harness/package-root.ts'
import { parseListen, startTargetPublisher } from '../../../harness/cimd/target-publisher.ts'
import { publisherOf, runningPublisher } from '../../../harness/cimd/registry.ts'
import { withPublisherCapabilities } from '../../../harness/cimd/capability.ts'
import type { ResolvedTarget } from '../../../harness/model/target.ts'

const tls = {
  cert: join(packagePath('fixtures', 'tls'), 'server.pem'),
  key: join(packagePath('fixtures', 'tls'), 'server-key.pem'),
}

describe("a target's cimd: block", () => {
  it('parses listen as host:port, IPv6 in brackets', () => {
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 })
    expect(parseListen('[::1]:8443')).toEqual({ host: '::1', port: 8443 })
    for (const bad of ['127.0.0.1', 'host:port', '127.0.0.1:80/x']) {
      expect(() => parseListen(bad), bad).toThrow(expect.objectContaining({ code: 'E_CONFIG' }))
    }
  })

  it('starts an https publisher on a free port, findable by the run until it is closed', async () => {
    const started = await startTargetPublisher({
      name: 'dev',
      issuer: 'https://as.example',
      cimd: { tls },
    })
    expect(started).toBeDefined()
    const base = started!.config.cimd!.public_base_url!
    expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(publisherOf(started!.config).baseUrl).toBe(base)
    // A second start for the same base URL (the built-in target's own) starts nothing.
    expect(await startTargetPublisher(started!.config)).toBeUndefined()
    await started!.close()
    expect(runningPublisher(base)).toBeUndefined()
    expect(() => publisherOf(started!.config)).toThrow(
      /has no Client ID Metadata Document publisher/,
    )
  })

  it('serves plain http behind a tunnel, under the tunnel base URL', async () => {
    const started = await startTargetPublisher({
      name: 'dev',
      issuer: 'https://as.example',
      cimd: { listen: '127.0.0.1:0', public_base_url: 'https://tunnel.example/dcr' },
    })
    try {
      expect(started!.config.cimd!.public_base_url).toBe('https://tunnel.example/dcr')
      expect(publisherOf(started!.config).newUrl()).toMatch(
        /^https:\/\/tunnel\.example\/dcr\/cimd\//,
      )
    } finally {
      await started!.close()
    }
  })

  it('refuses a cleartext listener without a public https base URL, and unreadable TLS files', async () => {
    await expect(
      startTargetPublisher({ name: 'dev', issuer: 'https://as.example', cimd: {} }),
    ).rejects.toThrow(/needs tls \(cert and key\) or a public_base_url/)
    await expect(
      startTargetPublisher({
        name: 'dev',
        issuer: 'https://as.example',
        cimd: { tls: { cert: '/nonexistent.pem', key: tls.key } },
      }),
    ).rejects.toThrow(/cimd\.tls\.cert: cannot read \/nonexistent\.pem/)
  })
})

describe('the client_id_metadata_documents capability', () => {
  const target = (
    metadata: Record<string, unknown>,
    extra: Partial<ResolvedTarget> = {},
  ): ResolvedTarget => ({
    name: 't',
    issuer: 'https://as.example',
    metadata,
    endpoints: {},
    capabilities: ['oidc'],
    ...extra,
  })
  const cimd = { cimd: { public_base_url: 'https://tunnel.example' } }

  it('is derived from the metadata flag when the target has a publisher', () => {
    expect(
      withPublisherCapabilities(target({ client_id_metadata_document_supported: true }, cimd))
        .capabilities,
    ).toEqual(['oidc', 'harness_https_host', 'client_id_metadata_documents'])
  })

  it('is not derived without the flag (true, not truthy) or without a publisher', () => {
    // A publisher alone gives harness_https_host: documents the server fetches.
    expect(
      withPublisherCapabilities(target({ client_id_metadata_document_supported: 'true' }, cimd))
        .capabilities,
    ).toEqual(['oidc', 'harness_https_host'])
    expect(withPublisherCapabilities(target({}, cimd)).capabilities).toEqual(['oidc', 'harness_https_host'])
    expect(
      withPublisherCapabilities(target({ client_id_metadata_document_supported: true })).capabilities,
    ).toEqual(['oidc'])
  })

  it('stays when declared, whatever the metadata says', () => {
    const declared = target({}, { capabilities: ['client_id_metadata_documents'] })
    expect(withPublisherCapabilities(declared).capabilities).toEqual(['client_id_metadata_documents'])
  })
})
