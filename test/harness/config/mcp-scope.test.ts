import { describe, expect, it } from 'vitest'
import { selectMcpScope } from '../../../harness/config/mcp-scope.ts'

/** A discovery with a challenge scope and protected resource metadata as given. */
function discovery(scope: string | undefined, metadata?: Record<string, unknown>) {
  return {
    challenge: { status: 401, ...(scope !== undefined ? { scope } : {}) },
    ...(metadata
      ? { resource_metadata: { url: 'u', found_by: 'challenge' as const, expected_resources: [], body: metadata } }
      : {}),
  }
}

describe('selectMcpScope (MCP 2025-11-25, Scope Selection Strategy)', () => {
  it("takes the challenge's scope first, even when scopes_supported differs", () => {
    const selected = selectMcpScope(discovery('files:read', { scopes_supported: ['a', 'b'] }), 'openid')
    expect(selected).toEqual({ scope: 'files:read', from: 'challenge' })
  })

  it('else every string of scopes_supported, space-separated', () => {
    const selected = selectMcpScope(discovery('  ', { scopes_supported: ['a', 7, '', 'b'] }), 'openid')
    expect(selected).toEqual({ scope: 'a b', from: 'scopes_supported' })
  })

  it("else the target's scope, else none", () => {
    expect(selectMcpScope(discovery(undefined, { scopes_supported: [] }), 'openid')).toEqual({
      scope: 'openid',
      from: 'target',
    })
    expect(selectMcpScope(discovery(undefined))).toEqual({ from: 'none' })
  })
})
