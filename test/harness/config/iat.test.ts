import { NotApplicableError } from '../../../harness/config/not-applicable.ts'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createHttpClient } from '../../../harness/http/client.ts'
import { obtainIat, runTokenCommand } from '../../../harness/config/iat.ts'
import { discoverTarget } from '../../../harness/config/discovery.ts'
import type { ResolvedTarget, IatStrategy } from '../../../harness/model/target.ts'
import { startToyServer, TOY_IAT_CLIENT } from '../../e2e/helpers/toy-server.ts'
import { forFile } from '../../support/for-file.ts'

const toy = await forFile(startToyServer('good'))
const http = await forFile(createHttpClient())

async function target(iat: IatStrategy): Promise<ResolvedTarget> {
  return discoverTarget({ name: 'toy', issuer: toy.issuer, registration: { iat } }, http)
}

describe('obtainIat', () => {
  it('client_credentials: form-urlencodes id and secret before base64 (RFC 6749 §2.3.1), fresh each call', async () => {
    const resolved = await target({ strategy: 'client_credentials', ...TOY_IAT_CLIENT })
    const first = await obtainIat(resolved, { http })
    const second = await obtainIat(resolved, { http })
    expect(first.token).toMatch(/^iat-/)
    expect(second.token).not.toBe(first.token)
    expect(first.response?.status).toBe(200)
    expect(first.exchanges).toHaveLength(1)
    expect(toy.tokenAuthorizations.at(-1)).toBe(
      `Basic ${Buffer.from('iat-client:iat+s3cret%26%3A%2B').toString('base64')}`,
    )
  })

  it('client_credentials: a refused client is an E_IAT error with the answer', async () => {
    const resolved = await target({
      strategy: 'client_credentials',
      client_id: 'iat-client',
      client_secret: 'wrong',
    })
    await expect(obtainIat(resolved, { http })).rejects.toMatchObject({
      code: 'E_IAT',
      message: /answered 401/,
    })
  })

  it('token-without-registration-scope needs other_scope (else not applicable: a skip)', async () => {
    const resolved = await target({ strategy: 'static', token: 'abc' })
    const refused = obtainIat(resolved, { http }, 'token-without-registration-scope')
    await expect(refused).rejects.toBeInstanceOf(NotApplicableError)
    await expect(refused).rejects.toMatchObject({ message: expect.stringContaining('other_scope') })
  })

  it('static and none', async () => {
    expect(
      (await obtainIat(await target({ strategy: 'static', token: 'tok-123' }), { http })).token,
    ).toBe('tok-123')
    expect((await obtainIat(await target({ strategy: 'none' }), { http })).token).toBeUndefined()
  })

  it('command: the trimmed stdout is the token, a fresh run per call', async () => {
    const counter = join(await mkdtemp(join(tmpdir(), 'dcrc-iat-')), 'n')
    const command = `n=$(cat ${counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${counter}; echo "  tok-$n  "`
    const resolved = await target({ strategy: 'command', command })
    const a = await obtainIat(resolved, { http })
    const b = await obtainIat(resolved, { http })
    expect(a.token).toBe('tok-1')
    expect(b.token).toBe('tok-2')
  })
})

describe('runTokenCommand', () => {
  it('reports exit status and stderr', async () => {
    await expect(runTokenCommand('echo nope >&2; exit 7')).rejects.toMatchObject({
      code: 'E_IAT',
      message: 'IAT command failed (exit status 7): nope',
    })
  })

  it('reports an empty output', async () => {
    await expect(runTokenCommand('true')).rejects.toMatchObject({ message: /printed no token/ })
  })

  it('kills a command that takes too long', async () => {
    await expect(runTokenCommand('sleep 5', 200)).rejects.toMatchObject({
      message: /killed after 200 ms/,
    })
  })
})
