/** targets.yaml typos get "did you mean", as scenario typos do (issue 11, item 7). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadTargets } from '../../../harness/config/targets.ts'
import { didYouMean } from '../../../harness/did-you-mean.ts'
import { fileErrorMessages } from '../../support/file-errors.ts'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function messagesFor(text: string, capabilities?: Set<string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'dcrc-typos-'))
  dirs.push(dir)
  const file = join(dir, 'targets.yaml')
  await writeFile(file, text)
  return fileErrorMessages(
    loadTargets(file, { env: {}, ...(capabilities ? { capabilities } : {}) }),
  )
}

describe('did you mean, in targets.yaml', () => {
  it('suggests the key a mistyped key was meant to be, at every depth', async () => {
    const messages = await messagesFor(
      [
        'acme:',
        '  issuer: https://idp.acme.test',
        '  capabilitys: [oidc]',
        '  registration:',
        '    iat: { strategy: client_credentials, client_id: a, client_secert: b }',
        '  tls: { cert: ./ca.pem }',
        '',
      ].join('\n'),
    )
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /:3:\d+: acme: unknown key 'capabilitys' \(did you mean "capabilities"\?\)$/,
        ),
        expect.stringMatching(/:6:\d+: acme\.tls: unknown key 'cert'$/),
      ]),
    )
    const secret = `'client_secert' (did you mean "client_secret"?)`
    expect(messages.some((m) => m.includes(secret))).toBe(true)
  })

  it('suggests the value a mistyped enum value was meant to be', async () => {
    const messages = await messagesFor(
      'acme:\n  issuer: https://a.test\n  registration:\n    iat: { strategy: statik, token: x }\n',
    )
    const hint = /strategy: must be one of .* \(did you mean "static"\?\)$/
    expect(messages.some((m) => hint.test(m))).toBe(true)
  })

  it('suggests a declared capability for a typo', async () => {
    const messages = await messagesFor(
      'acme:\n  issuer: https://a.test\n  capabilities: [rfc7592, rfc7952, dleete]\n',
      new Set(['rfc7592', 'delete', 'oidc']),
    )
    expect(messages).toEqual([
      expect.stringMatching(/:3:\d+: unknown capability 'rfc7952' \(did you mean "rfc7592"\?\)/),
      expect.stringMatching(/:3:\d+: unknown capability 'dleete' \(did you mean "delete"\?\)/),
    ])
  })

  it('stays silent when nothing is close', () => {
    expect(didYouMean('zzzzzz', ['issuer', 'login'])).toBe('')
    expect(didYouMean('isuer', ['issuer', 'login'])).toBe(' (did you mean "issuer"?)')
  })
})
