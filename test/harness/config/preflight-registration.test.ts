/**
 * The registration preflight (harness/config/preflight-registration.ts) against the reference
 * server: a refused static token or a token the server needs but the target does not give ends
 * the run in one line, before any scenario; the probe registers nothing.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReferenceTarget, type ReferenceTarget } from '../../../builtin/reference-target.ts'
import { preflightRegistration } from '../../../harness/config/preflight-registration.ts'
import { resolveTarget } from '../../../harness/config/targets.ts'
import { createHttpClient, type ClosableHttpClient } from '../../../harness/http/client.ts'
import type { HttpClient } from '../../../harness/http/types.ts'
import type { ResolvedTarget, TargetConfig } from '../../../harness/model/target.ts'
import type { MemoryStore } from '../../../reference-server/store.ts'

const TOKEN = 'harness-static-initial-access-token'

describe('preflightRegistration', () => {
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
  const withIat = (iat: Iat, capabilities = base.capabilities): ResolvedTarget => ({
    ...base,
    registration: { iat },
    capabilities,
  })

  it('ends the run when the registration endpoint refuses the static token', async () => {
    const wrong = withIat({ strategy: 'static', token: 'not-the-token' })
    await expect(preflightRegistration(wrong, http)).rejects.toMatchObject({
      code: 'E_IAT',
      message: expect.stringMatching(
        /^target 'reference': the registration endpoint https:\S+ answered 401 to the static initial access token; fix: check registration\.iat\.token$/,
      ),
    })
  })

  it('lets a run with the right static token go on, and registers nothing', async () => {
    const store = reference.server.store as MemoryStore
    const clients = store.size.clients
    await preflightRegistration(withIat({ strategy: 'static', token: TOKEN }), http)
    expect(store.size.clients).toBe(clients)
  })

  it('ends a run without a token when the server needs one (open registration undeclared)', async () => {
    const declared = base.capabilities.filter((c) => c !== 'open_registration')
    await expect(preflightRegistration(withIat({ strategy: 'none' }, declared), http)).rejects.toThrow(
      /answered 401 to a registration without a token: it needs an initial access token; fix: set registration\.iat/,
    )
  })

  it('asks nothing where open registration is declared (its refusal is judged), nor of a token strategy', async () => {
    const calls: string[] = []
    const counting: HttpClient = {
      send: async (request, signal) => (calls.push(request.url), http.send(request, signal)),
    }
    const open = withIat({ strategy: 'none' }, [...base.capabilities, 'open_registration'])
    await preflightRegistration(open, counting)
    await preflightRegistration(base, counting) // client_credentials: preflight.ts checks it
    expect(calls).toEqual([])
  })
})
