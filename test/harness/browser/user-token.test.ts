import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBrowserServices } from '../../../harness/browser/services.ts'
import { obtainUserToken } from '../../../harness/browser/user-token.ts'
import { startReferenceTarget } from '../../../builtin/reference-target.ts'
import { resolveTarget } from '../../../harness/config/targets.ts'
import { HarnessError } from '../../../harness/errors.ts'
import { createHttpClient, type ClosableHttpClient } from '../../../harness/http/client.ts'
import { startMiniAuthServer, type MiniAuthServer } from './support/mini-auth-server.ts'
import { miniTarget } from './support/targets.ts'

describe('authorization_code IAT strategy (mini server)', () => {
  let server: MiniAuthServer
  let http: ClosableHttpClient
  beforeAll(async () => {
    server = await startMiniAuthServer()
    http = createHttpClient()
  })
  afterAll(async () => {
    await Promise.all([server.close(), http.close()])
  })

  it('logs in, redeems the code with PKCE and returns the access token', async () => {
    const target = miniTarget(server)
    const browser = await createBrowserServices({ target, driver: 'http', http, notice: () => {} })
    try {
      const result = await obtainUserToken({
        target,
        strategy: {
          strategy: 'authorization_code',
          client_id: 'iat-client',
          client_secret: 's3cret',
        },
        http,
        browser,
        callbackUrl: browser.callbackUrlFor('initial-access-token'),
        scenarioId: 'initial-access-token',
      })
      expect(result.accessToken).toMatch(/^at-/)
      const tokenExchange = result.exchanges.at(-1)
      expect(tokenExchange?.request.headers.authorization).toBe(
        `Basic ${Buffer.from('iat-client:s3cret').toString('base64')}`,
      )
      const form = new URLSearchParams(tokenExchange?.request.body)
      expect(form.get('grant_type')).toBe('authorization_code')
      expect(form.get('code_verifier')).toMatch(/^[\w-]{43}$/)
      const authorize = new URL(result.exchanges[0]?.request.url ?? '')
      expect(authorize.searchParams.get('scope')).toBe('dcr')
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    } finally {
      await browser.close()
    }
  })

  it('fails with E_IAT when the server gives no code', async () => {
    const target = miniTarget(server)
    const browser = await createBrowserServices({ target, driver: 'http', http, notice: () => {} })
    try {
      const attempt = obtainUserToken({
        target,
        strategy: { strategy: 'authorization_code', client_id: 'unknown' },
        http,
        browser,
        callbackUrl: browser.callbackUrlFor('initial-access-token'),
        scenarioId: 'initial-access-token',
      })
      await expect(attempt).rejects.toBeInstanceOf(HarnessError)
      await expect(attempt).rejects.toMatchObject({ code: 'E_IAT' })
    } finally {
      await browser.close()
    }
  })
})

describe('authorization_code IAT strategy (reference server, browser)', () => {
  it('obtains a token with scope dcr that registers a client', async () => {
    const reference = await startReferenceTarget({
      config: {
        registration: { authentication: 'user' },
        clients: [
          {
            client_id: 'user-iat',
            client_secret: 'user-iat-secret',
            scope: 'openid dcr',
            grant_types: ['authorization_code'],
            redirect_uris: ['http://127.0.0.1/callback/initial-access-token'],
          },
        ],
      },
    })
    const http = createHttpClient({
      tls: { ca: await readFile(reference.target.tls?.ca ?? '', 'utf8') },
    })
    const target = await resolveTarget(reference.target, http)
    const browser = await createBrowserServices({
      target,
      driver: 'browser',
      http,
      notice: () => {},
    })
    try {
      const result = await obtainUserToken({
        target,
        strategy: {
          strategy: 'authorization_code',
          client_id: 'user-iat',
          client_secret: 'user-iat-secret',
        },
        http,
        browser,
        callbackUrl: browser.callbackUrlFor('initial-access-token'),
        scenarioId: 'initial-access-token',
      })
      const { response } = await http.send({
        method: 'POST',
        url: target.endpoints.registration_endpoint ?? '',
        headers: {
          authorization: `Bearer ${result.accessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ redirect_uris: ['https://client.test/cb'] }),
      })
      expect(response.status).toBe(201)
    } finally {
      await browser.close()
      await http.close()
      await reference.close()
    }
  })
})
