import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { envPrefix, targetEntry } from '../../../harness/commands/init-entry.ts'
import { targetsSchema } from '../../../harness/config/targets.ts'
import { Ajv } from 'ajv'

const facts = {
  issuer: 'https://idp.acme.test/oauth',
  metadata: { registration_endpoint: 'https://idp.acme.test/register', scopes_supported: ['openid', 'dcr'] },
  capabilities: ['iat_required', 'oidc'],
}

describe('targetEntry', () => {
  it('writes a schema-valid entry with env placeholders for the IAT client when a token is needed', () => {
    const text = targetEntry('acme-idp', { ...facts, registrationStatus: 401, ca: './ca.pem' })
    const value = parse(text) as Record<string, any>
    const validate = new Ajv({ strict: false }).compile(targetsSchema)
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true)
    expect(value['acme-idp']).toEqual({
      issuer: 'https://idp.acme.test/oauth',
      registration: {
        iat: {
          strategy: 'client_credentials',
          client_id: '${{ env.ACME_IDP_IAT_CLIENT_ID }}',
          client_secret: '${{ env.ACME_IDP_IAT_CLIENT_SECRET }}',
          scope: 'dcr',
        },
      },
      capabilities: ['iat_required', 'oidc'],
      tls: { ca: './ca.pem' },
    })
    expect(text).toContain('refused (401): an initial access token is needed')
  })

  it('writes open registration after a 2xx, and an endpoint to fill in when discovery has none', () => {
    const open = parse(targetEntry('dev', { ...facts, registrationStatus: 201 }))
    expect(open.dev.registration).toEqual({ iat: { strategy: 'none' } })
    const none = parse(targetEntry('dev', { ...facts, metadata: {}, registrationStatus: 0 }))
    expect(none.dev.endpoints).toEqual({ registration_endpoint: 'https://CHANGE-ME/register' })
  })
})

describe('envPrefix', () => {
  it('makes an environment variable prefix of any target name', () => {
    expect(envPrefix('acme-idp')).toBe('ACME_IDP')
    expect(envPrefix('127.0.0.1-8443')).toBe('T_127_0_0_1_8443')
    expect(envPrefix('idp.example.com')).toBe('IDP_EXAMPLE_COM')
  })
})
