/**
 * The static-token preflight (harness/config/preflight-static-token.ts) against the reference
 * server: a refused static token ends the run in one line before any scenario; the probe
 * registers nothing, and only a refusal of the token itself counts.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReferenceTarget, type ReferenceTarget } from '../../../builtin/reference-target.ts'
import { preflightStaticToken } from '../../../harness/config/preflight-static-token.ts'
import { resolveTarget } from '../../../harness/config/targets.ts'
import { createHttpClient, type ClosableHttpClient } from '../../../harness/http/client.ts'
import type { HttpClient } from '../../../harness/http/types.ts'
import type { ResolvedTarget, TargetConfig } from '../../../harness/model/target.ts'
import type { MemoryStore } from '../../../reference-server/store.ts'

const TOKEN = 'harness-static-initial-access-token'

/** A client that answers every request alike, keeping what was sent. */
function answering(status: number, headers: Record<string, string>, body: unknown) {
  const sent: string[] = []
  const http: HttpClient = {
    async send(request) {
      sent.push(`${request.method} ${request.url} ${request.body ?? ''}`)
      const text = typeof body === 'string' ? body : JSON.stringify(body)
      return {
        response: { status, headers, body, text },
        exchange: { request: { method: request.method, url: request.url, headers: {} }, durationMs: 0 },
      }
    },
  }
  return { http, sent }
}

describe('preflightStaticToken', () => {
  let reference: ReferenceTarget
  let http: ClosableHttpClient
  let base: ResolvedTarget
  beforeAll(async () => {
    const config = { registration: { staticInitialAccessToken: TOKEN } }
    reference = await startReferenceTarget({ config })
    http = createHttpClient({ tls: { ca: await readFile(reference.target.tls!.ca!, 'utf8') } })
    base = await resolveTarget(reference.target, http)
  })
  afterAll(async () => {
    await http?.close()
    await reference?.close()
  })

  type Iat = NonNullable<TargetConfig['registration']>['iat']
  const withIat = (iat: Iat): ResolvedTarget => ({ ...base, registration: { iat } })

  it('ends the run when the registration endpoint refuses the static token', async () => {
    const wrong = withIat({ strategy: 'static', token: 'not-the-token' })
    await expect(preflightStaticToken(wrong, http)).rejects.toMatchObject({
      code: 'E_IAT',
      message: expect.stringMatching(
        /^target 'reference': the registration endpoint https:\S+ answered 401 to the static initial access token; fix: check registration\.iat\.token$/,
      ),
    })
  })

  it('lets a run with the right static token go on, and registers nothing', async () => {
    const store = reference.server.store as MemoryStore
    const clients = store.size.clients
    await preflightStaticToken(withIat({ strategy: 'static', token: TOKEN }), http)
    expect(store.size.clients).toBe(clients)
  })

  it('takes only a refusal of the token itself: a gateway refusing the body says nothing', async () => {
    const target = withIat({ strategy: 'static', token: TOKEN })
    const gateway = answering(403, { 'content-type': 'text/html' }, '<h1>Forbidden</h1>')
    await expect(preflightStaticToken(target, gateway.http)).resolves.toBeUndefined()
    const json = answering(401, { 'content-type': 'application/json' }, { error: 'invalid_token' })
    await expect(preflightStaticToken(target, json.http)).rejects.toMatchObject({ code: 'E_IAT' })
    expect(json.sent).toEqual([`POST ${base.endpoints['registration_endpoint']} {`])
  })

  it('hands over a client a server registered even so, for the run to delete', async () => {
    const body = { client_id: 'from-nothing', registration_access_token: 'rat' }
    const lenient = answering(201, { 'content-type': 'application/json' }, body)
    const registered: unknown[] = []
    const onRegistered = (answer: unknown) => void registered.push(answer)
    await preflightStaticToken(withIat({ strategy: 'static', token: TOKEN }), lenient.http, {
      onRegistered,
    })
    expect(registered).toEqual([body])
  })

  it('asks nothing of the other strategies (preflight.ts checks those that get a token)', async () => {
    const counting = answering(500, {}, '')
    await preflightStaticToken(withIat({ strategy: 'none' }), counting.http)
    await preflightStaticToken(base, counting.http)
    expect(counting.sent).toEqual([])
  })
})
