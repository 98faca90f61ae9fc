/** The in-memory store: single use, expiry, revocation by grant and by client. */
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../../reference-server/store.ts'
import type { TokenRecord } from '../../reference-server/store.ts'

function token(value: string, extra: Partial<TokenRecord> = {}): TokenRecord {
  return {
    kind: 'access_token',
    value,
    client_id: 'c1',
    scope: 'dcr',
    issuedAt: 100,
    expiresAt: 200,
    ...extra,
  }
}

describe('MemoryStore', () => {
  it('useToken marks a token used exactly once, even for concurrent callers', async () => {
    const store = new MemoryStore(() => 150)
    await store.saveToken(token('t'))
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.useToken('access_token', 't', 150)),
    )
    expect(results.filter((r) => r && r.usedAt === undefined)).toHaveLength(1)
    expect(results.every((r) => r !== undefined)).toBe(true)
    await store.close()
  })

  it('expired tokens are gone', async () => {
    let now = 150
    const store = new MemoryStore(() => now)
    await store.saveToken(token('t'))
    expect(await store.getToken('access_token', 't')).toBeDefined()
    now = 200
    expect(await store.getToken('access_token', 't')).toBeUndefined()
    expect(await store.useToken('access_token', 't', now)).toBeUndefined()
    await store.close()
  })

  it('revokes by grant and by client; deleteClient can keep tokens', async () => {
    const store = new MemoryStore(() => 150)
    await store.saveToken(token('a', { grantId: 'g' }))
    await store.saveToken(token('b', { grantId: 'g', kind: 'refresh_token' }))
    await store.saveToken(token('c', { client_id: 'c2' }))
    await store.revokeGrant('g')
    expect(await store.getToken('access_token', 'a')).toBeUndefined()
    expect(await store.getToken('refresh_token', 'b')).toBeUndefined()
    expect(await store.getToken('access_token', 'c')).toBeDefined()
    await store.saveClient({
      client_id: 'c2',
      client_id_issued_at: 1,
      kind: 'dynamic',
      metadata: {},
    })
    await store.saveToken(token('rat', { client_id: 'c2', kind: 'registration_access_token' }))
    expect(await store.deleteClient('c2', { keepTokens: true })).toBe(true)
    expect(await store.getToken('access_token', 'c')).toBeDefined()
    expect(await store.getToken('registration_access_token', 'rat')).toBeUndefined()
    await store.revokeClientTokens('c2')
    expect(await store.getToken('access_token', 'c')).toBeUndefined()
    expect(await store.deleteClient('c2')).toBe(false)
    await store.close()
  })
})
