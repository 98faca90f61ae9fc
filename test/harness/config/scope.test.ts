import { describe, expect, it } from 'vitest'
import { defaultScope } from '../../../harness/config/scope.ts'

describe('defaultScope', () => {
  it('prefers targets.yaml, then openid for oidc, then a non-openid scopes_supported value', () => {
    expect(defaultScope({ scope: 'read', capabilities: ['oidc'] }, {})).toBe('read')
    expect(defaultScope({ capabilities: ['oidc'] }, { scopes_supported: ['read'] })).toBe('openid')
    expect(defaultScope({ capabilities: [] }, { scopes_supported: ['openid', 'profile'] })).toBe(
      'profile',
    )
    expect(defaultScope({}, { scopes_supported: ['openid'] })).toBeUndefined()
    expect(defaultScope({}, {})).toBeUndefined()
  })
})
