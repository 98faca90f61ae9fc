/** The in-memory store: single use, expiry, revocation by grant and by client. */
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../../reference-server/store.ts'
import type { ClientRecord, TokenRecord } from '../../reference-server/store.ts'

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

function client(id: string, kind: ClientRecord['kind'] = 'dynamic'): ClientRecord {
  return { client_id: id, client_id_issued_at: 1, kind, metadata: {} }
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

describe('MemoryStore bounds its memory', () => {
  it('evicts the least recently used registered client, with its tokens', async () => {
    const store = new MemoryStore({ clock: () => 150, maxClients: 2 })
    await store.saveClient(client('static', 'static'))
    await store.saveClient(client('a'))
    await store.saveToken(token('rat-a', { client_id: 'a', kind: 'registration_access_token' }))
    await store.saveClient(client('b'))
    expect(await store.getClient('a')).toBeDefined() // a is now more recent than b
    await store.saveClient(client('c'))
    expect(await store.getClient('b')).toBeUndefined()
    expect(await store.getClient('a')).toBeDefined()
    expect(await store.getClient('c')).toBeDefined()
    await store.saveClient(client('d'))
    await store.saveClient(client('e'))
    expect(await store.getClient('a')).toBeUndefined()
    expect(await store.getToken('registration_access_token', 'rat-a')).toBeUndefined()
    // Configured clients are never evicted and do not count.
    expect(await store.getClient('static')).toBeDefined()
    expect(store.size.clients).toBe(3)
    await store.close()
  })

  it('saving a client again does not count it twice', async () => {
    const store = new MemoryStore({ clock: () => 150, maxClients: 2 })
    await store.saveClient(client('a'))
    await store.saveClient(client('a'))
    await store.saveClient(client('b'))
    expect(await store.getClient('a')).toBeDefined()
    expect(await store.getClient('b')).toBeDefined()
    await store.close()
  })

  it('evicts the oldest token past the cap, and its index entries with it', async () => {
    const store = new MemoryStore({ clock: () => 150, maxTokens: 3 })
    await store.saveToken(token('t1', { grantId: 'g1' }))
    await store.saveToken(token('t2', { grantId: 'g2', client_id: 'c2' }))
    await store.saveToken(token('t3'))
    await store.useToken('access_token', 't3', 150) // a consumed IAT is kept until it ages out
    await store.saveToken(token('t4'))
    expect(await store.getToken('access_token', 't1')).toBeUndefined()
    expect((await store.getToken('access_token', 't3'))?.usedAt).toBe(150)
    expect(store.size.tokens).toBe(3)
    // The evicted token's grant id now revokes nothing it should not.
    await store.saveToken(token('t5', { grantId: 'g1', client_id: 'c3' }))
    await store.revokeGrant('g1')
    expect(await store.getToken('access_token', 't5')).toBeUndefined()
    expect(await store.getToken('access_token', 't4')).toBeDefined()
    await store.close()
  })

  it('holds at most the caps however many registrations come', async () => {
    const store = new MemoryStore({ clock: () => 150, maxClients: 50, maxTokens: 120 })
    for (let i = 0; i < 5_000; i++) {
      await store.saveToken(token(`iat-${i}`, { client_id: 'initial' }))
      await store.useToken('access_token', `iat-${i}`, 150)
      await store.saveClient(client(`c${i}`))
      const rat = { client_id: `c${i}`, kind: 'registration_access_token' as const }
      await store.saveToken(token(`rat-${i}`, rat))
    }
    expect(store.size).toEqual({ clients: 50, tokens: 120 })
    expect(await store.getToken('registration_access_token', 'rat-4999')).toBeDefined()
    expect(await store.getClient('c4999')).toBeDefined()
    expect(await store.getClient('c4949')).toBeUndefined()
    await store.close()
  })
})
