import { describe, expect, it } from 'vitest'
import { learnSecrets, targetSecrets } from '../../../harness/runner/secrets.ts'

describe('learnSecrets', () => {
  it('finds secrets by member name at any depth, private JWK members only', () => {
    const found: string[] = []
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
      (secret) => found.push(secret),
    )
    expect(found.sort()).toEqual(
      [
        'secret-value-1',
        'rat-value-2',
        'at-value-3',
        'rt-value-4',
        'code-value-5',
        'private-d-value',
        'mgmt-secret-6',
      ].sort(),
    )
  })

  it('finds what a target configuration carries', () => {
    expect(
      targetSecrets({
        registration: {
          iat: {
            strategy: 'client_credentials',
            client_id: 'server',
            client_secret: 'iat-secret-1',
          },
        },
        login: { password: 'user-password' },
        data: { management_client_secret: 'mgmt-secret-2', username: 'janedoe' },
      }).sort(),
    ).toEqual(['iat-secret-1', 'mgmt-secret-2', 'user-password'])
    expect(
      targetSecrets({ registration: { iat: { strategy: 'static', token: 'static-token' } } }),
    ).toContain('static-token')
  })
})
