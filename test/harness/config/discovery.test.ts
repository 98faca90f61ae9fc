import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../../harness/http/client.ts'
import {
  discoverTarget,
  oauthMetadataUrl,
  openIdConfigurationUrl,
} from '../../../harness/config/discovery.ts'
import type { HarnessError } from '../../../harness/errors.ts'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

async function serve(
  documents: Record<string, unknown>,
): Promise<{ origin: string; seen: string[] }> {
  const seen: string[] = []
  server = createServer((req, res) => {
    seen.push(req.url ?? '')
    const doc = documents[req.url ?? '']
    if (doc === undefined) {
      res.writeHead(404, { 'content-type': 'text/html' })
      return res.end('<h1>not found</h1>')
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(doc))
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

describe('well-known URLs', () => {
  it('appends for OpenID and inserts for RFC 8414', () => {
    expect(openIdConfigurationUrl('https://as.test/tenant/')).toBe(
      'https://as.test/tenant/.well-known/openid-configuration',
    )
    expect(oauthMetadataUrl('https://as.test/tenant/a')).toBe(
      'https://as.test/.well-known/oauth-authorization-server/tenant/a',
    )
    expect(oauthMetadataUrl('https://as.test')).toBe(
      'https://as.test/.well-known/oauth-authorization-server',
    )
  })
})

describe('discoverTarget', () => {
  it('prefers the OpenID configuration and applies endpoint overrides', async () => {
    const { origin, seen } = await serve({
      '/t/.well-known/openid-configuration': {
        issuer: 'x',
        token_endpoint: 'https://oidc/token',
        registration_endpoint: 'https://oidc/reg',
        jwks_uri: 'https://oidc/jwks',
        scopes_supported: ['openid'],
      },
      '/.well-known/oauth-authorization-server/t': { token_endpoint: 'https://oauth/token' },
    })
    const http = createHttpClient()
    const resolved = await discoverTarget(
      {
        name: 't',
        issuer: `${origin}/t`,
        endpoints: { registration_endpoint: 'https://override/reg' },
      },
      http,
    )
    await http.close()
    expect(seen).toEqual(['/t/.well-known/openid-configuration'])
    expect(resolved.endpoints).toEqual({
      token_endpoint: 'https://oidc/token',
      registration_endpoint: 'https://override/reg',
      jwks_uri: 'https://oidc/jwks',
    })
    expect(resolved.metadata['scopes_supported']).toEqual(['openid'])
    expect(resolved.capabilities).toEqual([])
  })

  it('falls back to RFC 8414 metadata', async () => {
    const { origin, seen } = await serve({
      '/.well-known/oauth-authorization-server/t': {
        token_endpoint: 'https://oauth/token',
        registration_endpoint: 'https://oauth/reg',
      },
    })
    const http = createHttpClient()
    const resolved = await discoverTarget(
      { name: 't', issuer: `${origin}/t`, capabilities: ['delete'] },
      http,
    )
    await http.close()
    expect(seen).toEqual([
      '/t/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server/t',
    ])
    expect(resolved.endpoints['registration_endpoint']).toBe('https://oauth/reg')
    expect(resolved.capabilities).toEqual(['delete'])
  })

  it('fails with E_DISCOVERY when neither document exists and nothing is overridden', async () => {
    const { origin } = await serve({})
    const http = createHttpClient()
    const error = (await discoverTarget({ name: 't', issuer: origin }, http).catch(
      (e: unknown) => e,
    )) as HarnessError
    await http.close()
    expect(error.code).toBe('E_DISCOVERY')
    expect(error.message).toMatch(/no discovery document.*HTTP 404, not JSON/)
  })

  it('works without discovery when the endpoints are configured', async () => {
    const { origin } = await serve({})
    const http = createHttpClient()
    const resolved = await discoverTarget(
      { name: 't', issuer: origin, endpoints: { registration_endpoint: `${origin}/reg` } },
      http,
    )
    await http.close()
    expect(resolved.metadata).toEqual({})
    expect(resolved.endpoints).toEqual({ registration_endpoint: `${origin}/reg` })
  })

  it('says the target is unreachable when nothing listens', async () => {
    const { origin } = await serve({})
    server!.closeAllConnections()
    await new Promise<void>((resolve) => server!.close(() => resolve()))
    server = undefined
    const http = createHttpClient()
    const error = (await discoverTarget({ name: 'down', issuer: origin }, http).catch(
      (e: unknown) => e,
    )) as HarnessError
    await http.close()
    expect(error.code).toBe('E_TARGET_UNREACHABLE')
    expect(error.message).toMatch(/target 'down' is unreachable at discovery/)
  })
})
