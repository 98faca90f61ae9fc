import { describe, expect, it } from 'vitest'
import { createRedactor, REDACTED } from '../../../harness/redact.ts'
import { learnSecrets, learnTargetSecrets } from '../../../harness/runner/secrets.ts'

describe('learnSecrets', () => {
  it('finds secrets by member name at any depth, private JWK members only', () => {
    const redactor = createRedactor()
    learnSecrets(
      {
        status: 201,
        body: {
          client_id: 'public-id',
          client_secret: 'secret-value-1',
          registration_access_token: 'rat-value-2',
        },
        results: [
          {
            body: { access_token: 'at-value-3', refresh_token: 'rt-value-4', token_type: 'Bearer' },
          },
        ],
        query: { code: 'code-value-5', state: 'state-value' },
        private_jwk: { kty: 'EC', kid: 'public-kid', x: 'public-x-value', d: 'private-d-value' },
        management_client_secret: 'mgmt-secret-6',
        short: { password: 'abc' },
      },
      redactor,
    )
    const text = [
      'secret-value-1 rat-value-2 at-value-3 rt-value-4 code-value-5 private-d-value mgmt-secret-6',
      'public-id state-value public-kid public-x-value',
    ].join('\n')
    expect(redactor.redactText(text)).toBe(
      `${Array(7).fill(REDACTED).join(' ')}\npublic-id state-value public-kid public-x-value`,
    )
  })

  it('learns only the private members of a private JWK, even inside a key set', () => {
    const redactor = createRedactor()
    const publicMembers = {
      kty: 'RSA',
      kid: 'client-key-2024',
      alg: 'RS256',
      use: 'sig',
      n: 'public-modulus-value',
      e: 'AQAB',
    }
    learnSecrets(
      {
        body: {
          jwks: { keys: [publicMembers] },
          private_jwk: { keys: [{ ...publicMembers, d: 'private-exponent', p: 'prime-p-value' }] },
        },
      },
      redactor,
    )
    const text = 'client-key-2024 RS256 public-modulus-value AQAB private-exponent prime-p-value'
    expect(redactor.redactText(text)).toBe(
      `client-key-2024 RS256 public-modulus-value AQAB ${REDACTED} ${REDACTED}`,
    )
  })

  it('learns what a target configuration carries', () => {
    const redactor = createRedactor()
    learnTargetSecrets(
      {
        registration: {
          iat: { strategy: 'client_credentials', client_id: 'server', client_secret: 'iat-secret-1' },
        },
        login: { password: 'user-password' },
        data: {
          management_client_secret: 'mgmt-secret-2',
          username: 'janedoe',
          ssa_trusted_private_jwk: { kty: 'EC', kid: 'ssa-key-1', x: 'ssa-public-x', d: 'ssa-private-d' },
        },
      },
      redactor,
    )
    expect(
      redactor.redactText('iat-secret-1 user-password mgmt-secret-2 ssa-private-d janedoe ssa-key-1 ssa-public-x'),
    ).toBe(`${Array(4).fill(REDACTED).join(' ')} janedoe ssa-key-1 ssa-public-x`)
    const statics = createRedactor()
    learnTargetSecrets({ registration: { iat: { strategy: 'static', token: 'static-token' } } }, statics)
    expect(statics.redactText('static-token')).toBe(REDACTED)
  })
})
