import { describe, expect, it } from 'vitest'
import { HarnessError } from '../../../harness/errors.ts'
import { iatProblem, preflightIat } from '../../../harness/config/preflight.ts'
import type { HttpClient } from '../../../harness/http/types.ts'
import type { ResolvedTarget } from '../../../harness/model/target.ts'

function target(iat: NonNullable<ResolvedTarget['registration']>['iat']): ResolvedTarget {
  return {
    name: 'acme',
    issuer: 'https://idp.acme.test',
    registration: { iat },
    metadata: {},
    endpoints: { token_endpoint: 'https://idp.acme.test/token' },
    capabilities: [],
  }
}

/** A client that answers every request with `status` and `body`, counting the calls. */
function answering(status: number, body: unknown): HttpClient & { calls: number } {
  const client = {
    calls: 0,
    async send() {
      client.calls += 1
      const text = JSON.stringify(body)
      return {
        response: { status, headers: { 'content-type': 'application/json' }, body, text },
        exchange: { request: { method: 'POST', url: '', headers: {} }, durationMs: 0 },
      }
    },
  }
  return client
}

const credentials = { strategy: 'client_credentials' as const, client_id: 'server', client_secret: 'wrong' }

describe('preflightIat', () => {
  it('obtains one token by an unattended strategy', async () => {
    const http = answering(200, { access_token: 'iat-1', token_type: 'Bearer' })
    await expect(preflightIat(target(credentials), http)).resolves.toMatchObject({ token: 'iat-1' })
    expect(http.calls).toBe(1)
  })

  it('fails in one line naming the setting to check', async () => {
    const http = answering(401, { error: 'invalid_client' })
    const error = await preflightIat(target(credentials), http).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(HarnessError)
    expect((error as HarnessError).code).toBe('E_IAT')
    expect((error as HarnessError).message).toBe(
      "target 'acme': registration.iat (client_credentials) obtained no initial access token: " +
        'the token endpoint answered 401 without an access_token ({"error":"invalid_client"}); ' +
        'fix: check registration.iat.client_id, client_secret and auth_method',
    )
    expect((error as HarnessError).message).not.toContain('\n')
  })

  it('lets the run go on when the token endpoint gave no answer (the steps show it), not on TLS', async () => {
    const failing = (code: 'E_HTTP' | 'E_TARGET_UNREACHABLE', message: string): HttpClient => ({
      async send() {
        throw new HarnessError(code, `POST https://idp.acme.test/token: ${message}`, {
          cause: new Error(message),
        })
      },
    })
    const closed = failing('E_HTTP', 'connection reset or closed by the target (other side closed)')
    await expect(preflightIat(target(credentials), closed)).resolves.toBeUndefined()
    const unreachable = failing('E_TARGET_UNREACHABLE', 'target unreachable (ECONNREFUSED)')
    await expect(preflightIat(target(credentials), unreachable)).resolves.toBeUndefined()
    const tls = failing('E_HTTP', 'TLS failure (self-signed certificate)')
    await expect(preflightIat(target(credentials), tls)).rejects.toThrow(/fix: set tls\.ca/)
  })

  it('leaves an interrupt to the run (reported as interrupted), whatever the strategy', async () => {
    const interrupted: HttpClient = {
      async send() {
        const message = 'POST https://idp.acme.test/token: aborted (interrupted by SIGINT)'
        throw new HarnessError('E_INTERRUPTED', message)
      },
    }
    const command = { strategy: 'command' as const, command: 'false' }
    await expect(preflightIat(target(credentials), interrupted)).resolves.toBeUndefined()
    const aborted = AbortSignal.abort(new Error('interrupted by SIGTERM'))
    const refused = answering(401, { error: 'invalid_client' })
    await expect(preflightIat(target(credentials), refused, aborted)).resolves.toBeUndefined()
    await expect(preflightIat(target(command), refused, aborted)).resolves.toBeUndefined()
  })

  it('asks nothing of strategies none and static, nor of a user login', async () => {
    const http = answering(500, {})
    await expect(preflightIat(target({ strategy: 'none' }), http)).resolves.toBeUndefined()
    await expect(preflightIat(target({ strategy: 'static', token: 't' }), http)).resolves.toBeUndefined()
    expect(http.calls).toBe(0)
  })
})

describe('iatProblem', () => {
  it('points at the command of the command strategy and at the scope on invalid_scope', () => {
    expect(iatProblem(target({ strategy: 'command', command: 'false' }), new Error('IAT command failed (exit status 1)'))).toMatch(
      /fix: check registration\.iat\.command/,
    )
    expect(iatProblem(target(credentials), new Error('the token endpoint answered 400 without an access_token ({"error":"invalid_scope"})'))).toMatch(
      /fix: check registration\.iat\.scope$/,
    )
  })
})
