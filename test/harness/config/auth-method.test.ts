import { describe, expect, it } from 'vitest'
import { defaultAuthMethod } from '../../../harness/config/auth-method.ts'

describe('defaultAuthMethod (target.auth_method)', () => {
  it('prefers client_secret_basic, the RFC 8414 default when nothing is advertised', () => {
    expect(defaultAuthMethod({})).toBe('client_secret_basic')
    expect(
      defaultAuthMethod({ token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'] }),
    ).toBe('client_secret_basic')
  })

  it('takes client_secret_post when that is the secret method the target advertises', () => {
    expect(defaultAuthMethod({ token_endpoint_auth_methods_supported: ['none', 'client_secret_post'] })).toBe(
      'client_secret_post',
    )
  })
})
