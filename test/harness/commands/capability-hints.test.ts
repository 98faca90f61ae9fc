import { describe, expect, it } from 'vitest'
import {
  capabilityEvidence,
  compareCapabilities,
  suggestedCapabilities,
} from '../../../harness/commands/capability-hints.ts'

const openid = {
  issuer: 'https://idp.test',
  id_token_signing_alg_values_supported: ['RS256', 'ES256'],
  subject_types_supported: ['public'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
  response_types_supported: ['code'],
  grant_types_supported: ['authorization_code', 'refresh_token'],
  userinfo_endpoint: 'https://idp.test/userinfo',
}

describe('capabilityEvidence', () => {
  it('reads the discovery document and the probes', () => {
    const evidence = capabilityEvidence('https://idp.test', openid, {
      rfc8414: false,
      iatRequired: true,
      iatOneTime: false,
    })
    expect(suggestedCapabilities(evidence)).toEqual([
      'alt_id_token_alg',
      'iat_required',
      'oidc',
      'public_clients',
      'refresh_tokens',
      'userinfo',
    ])
    expect(evidence.get('secret_post')).toBe(false)
    expect(evidence.get('implicit')).toBe(false)
    expect(evidence.get('open_registration')).toBe(false)
    expect(evidence.get('iat_one_time')).toBe(false)
    expect(evidence.get('rfc8414_metadata')).toBe(false)
    expect(evidence.get('plain_http')).toBe(false)
    // No evidence either way: the vendor's call.
    expect(evidence.has('rfc7592')).toBe(false)
    expect(evidence.has('user_login')).toBe(false)
  })

  it('speaks for plain_http on a cleartext issuer and for open registration after a 2xx', () => {
    const evidence = capabilityEvidence('http://localhost:3000', {}, { iatRequired: false })
    expect(suggestedCapabilities(evidence)).toEqual(['open_registration', 'plain_http'])
    expect(evidence.get('oidc')).toBe(false)
  })
})

describe('compareCapabilities', () => {
  it('names the suggested ones not declared and the declared ones the evidence is against', () => {
    const evidence = capabilityEvidence('https://idp.test', openid, { iatRequired: true })
    const diff = compareCapabilities(['oidc', 'secret_post', 'open_registration', 'curity'], evidence)
    expect(diff).toEqual({
      missing: ['alt_id_token_alg', 'iat_required', 'public_clients', 'refresh_tokens', 'userinfo'],
      unsupported: ['open_registration', 'secret_post'],
    })
  })
})
