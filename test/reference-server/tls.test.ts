/** HTTPS with the fixture certificate (how the harness starts the built-in target). */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { Agent } from 'undici'
import { start } from './helpers.ts'
import { fetch } from './helpers.ts'

const read = (name: string) =>
  readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url), 'utf8')

describe('TLS', () => {
  it('serves discovery over HTTPS with https endpoint URLs', async () => {
    const s = await start({ tls: { cert: read('server.pem'), key: read('server-key.pem') } })
    const dispatcher = new Agent({ connect: { ca: read('ca.pem') } })
    try {
      expect(s.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/oauth\/v2\/oauth-anonymous$/)
      const r = await fetch(`${s.issuer}/.well-known/openid-configuration`, { dispatcher })
      const body = (await r.json()) as Record<string, string>
      expect(body.issuer).toBe(s.issuer)
      for (const k of [
        'authorization_endpoint',
        'token_endpoint',
        'registration_endpoint',
        'jwks_uri',
        'userinfo_endpoint',
      ])
        expect(body[k]).toMatch(/^https:\/\//)
    } finally {
      await s.close()
      await dispatcher.close()
    }
  })
})
