/**
 * The adapter's view of the reference server (builtin/capabilities.ts, builtin/reference-data.ts):
 * its policy in the suite's capability names, and the data scenarios read as `target.data`.
 */
import { describe, expect, it } from 'vitest'
import { resolveConfig, startReferenceServer } from '../../reference-server/index.ts'
import { capabilitiesFor } from '../../builtin/capabilities.ts'
import { referenceTestData } from '../../builtin/reference-data.ts'

/** The capability flags of the reference server under the default policy. */
const referenceCapabilities = capabilitiesFor(resolveConfig())

describe("the reference target in the suite's terms", () => {
  it('referenceCapabilities and referenceTestData describe the default server', async () => {
    for (const flag of [
      'oidc',
      'rfc7592',
      'delete',
      'software_statement',
      'iat_required',
      'iat_one_time',
      'public_clients',
      'secret_post',
      'native_apps',
      'refresh_tokens',
      'pairwise',
      'alt_id_token_alg',
      'userinfo',
      'introspection',
      'iss_param',
      'user_login',
      'curity',
      'curity_nontemplatized',
      'curity_templatized',
      'curity_dcrm',
      'iat_consumed_on_failure',
    ]) {
      expect(referenceCapabilities).toContain(flag)
    }
    expect(referenceCapabilities).not.toContain('implicit')
    expect(referenceCapabilities).not.toContain('plain_http_probe')
    const server = await startReferenceServer()
    try {
      const data: Record<string, unknown> = referenceTestData(server)
      expect(data).toMatchObject({
        template_software_id: 'template-web',
        management_client_id: 'dcr-manager',
        management_client_secret: server.managementClient.client_secret,
        privileged_scope: 'admin',
        registration_scope: 'dcr',
        other_scope: 'read',
        username: 'alice',
      })
      expect((data.ssa_trusted_private_jwk as Record<string, unknown>).d).toEqual(
        expect.any(String),
      )
      expect(data.allowed_scopes).not.toContain(data.outside_scope)
    } finally {
      await server.close()
    }
  })
})

describe('capabilitiesFor', () => {
  it('follows the policy: open registration, and the TLS probe only over TLS', async () => {
    const { resolveConfig } = await import('../../reference-server/index.ts')
    const open = capabilitiesFor(resolveConfig({ registration: { authentication: 'none' } }))
    expect(open).toContain('open_registration')
    expect(open).not.toContain('iat_required')
    expect(capabilitiesFor(resolveConfig(), true)).toContain('plain_http_probe')
  })
})
