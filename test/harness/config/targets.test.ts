import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HarnessError } from '../../../harness/errors.ts'
import { loadTargets, targetFromIssuer } from '../../../harness/config/targets.ts'
import { fileErrorMessages } from '../../support/file-errors.ts'

async function targetsFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dcrc-targets-'))
  const file = join(dir, 'targets.yaml')
  await writeFile(file, text)
  return file
}

describe('loadTargets', () => {
  it('loads named targets, substitutes env references and resolves relative paths', async () => {
    const file = await targetsFile(`acme:
  issuer: https://idp.acme.test/oauth
  registration:
    iat: { strategy: client_credentials, client_id: server, client_secret: "\${{ env.ACME_SECRET }}", other_scope: read }
  capabilities: [iat_required, rfc7592]
  login:
    username: "\${{ env.ACME_USER }}"
    password: "\${{ env.ACME_PASSWORD }}"
    steps: [{ fill: { label: Username, value: "\${{ login.username }}" } }]
  tls: { ca: ./ca.pem }
  limits: { concurrency: 2 }
  expectations: expectations/acme.yaml
  data: { privileged_scope: admin }
`)
    const loaded = await loadTargets(file, {
      env: { ACME_SECRET: 's3cret', ACME_USER: 'alice', ACME_PASSWORD: 'pw-123456' },
    })
    const acme = loaded.targets.get('acme')!
    expect(acme.name).toBe('acme')
    expect(acme.registration?.iat).toEqual({
      strategy: 'client_credentials',
      client_id: 'server',
      client_secret: 's3cret',
      other_scope: 'read',
    })
    expect(acme.login?.username).toBe('alice')
    // Other expressions are left for the login recipe's own templating.
    expect(acme.login?.steps).toEqual([
      { fill: { label: 'Username', value: '${{ login.username }}' } },
    ])
    expect(acme.tls?.ca).toBe(join(file, '..', 'ca.pem'))
    expect(acme.expectations).toBe(join(file, '..', 'expectations', 'acme.yaml'))
    expect(acme.limits?.concurrency).toBe(2)
    expect(loaded.notices).toEqual([])
  })

  it('names a missing environment variable with its location', async () => {
    const file = await targetsFile(`acme:
  issuer: https://idp.acme.test
  registration:
    iat: { strategy: static, token: "\${{ env.DCRC_TEST_MISSING_TOKEN }}" }
`)
    const messages = await fileErrorMessages(loadTargets(file, { env: {} }))
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(
      /targets\.yaml:4:\d+: environment variable DCRC_TEST_MISSING_TOKEN is not set \(needed by target 'acme'\)/,
    )
  })

  it('only substitutes the environment of the selected targets', async () => {
    const file = await targetsFile(`a:
  issuer: https://a.test
b:
  issuer: https://b.test
  registration: { iat: { strategy: static, token: "\${{ env.DCRC_TEST_B_TOKEN }}" } }
`)
    const loaded = await loadTargets(file, { env: {}, only: ['a'] })
    expect([...loaded.targets.keys()]).toEqual(['a'])
    expect(loaded.names).toEqual(['a', 'b'])
  })

  it('warns about literal secrets', async () => {
    const file = await targetsFile(`acme:
  issuer: https://idp.acme.test
  registration:
    iat: { strategy: client_credentials, client_id: server, client_secret: literally-secret }
`)
    const loaded = await loadTargets(file, { env: {} })
    expect(loaded.notices).toHaveLength(1)
    expect(loaded.notices[0]).toMatch(
      /targets\.yaml:4:\d+: target 'acme' has a literal secret in 'registration\.iat\.client_secret'/,
    )
    expect(loaded.notices[0]).not.toContain('literally-secret')
  })

  it('reports schema errors at their line and column', async () => {
    const file = await targetsFile(`acme:
  issuer: https://idp.acme.test
  capabilitys: [oidc]
  registration:
    iat: { strategy: password }
other:
  registration: { iat: { strategy: static } }
`)
    const messages = await fileErrorMessages(loadTargets(file, { env: {} }))
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/targets\.yaml:3:\d+: acme: unknown key 'capabilitys'/),
        expect.stringMatching(
          /targets\.yaml:5:\d+: acme\.registration\.iat\.strategy: must be one of/,
        ),
        expect.stringMatching(/targets\.yaml:7:\d+: .*missing required key 'issuer'/),
        expect.stringMatching(
          /targets\.yaml:7:\d+: other\.registration\.iat: missing required key 'token'/,
        ),
      ]),
    )
  })

  it('reports YAML syntax errors with a location, and a missing file', async () => {
    const file = await targetsFile('acme:\n  issuer: [unclosed\n')
    const messages = await fileErrorMessages(loadTargets(file))
    expect(messages[0]).toMatch(/targets\.yaml:\d+:\d+: YAML: /)
    const missing = await fileErrorMessages(
      loadTargets(join(tmpdir(), 'dcrc-no-such-dir', 'targets.yaml')),
    )
    expect(missing[0]).toMatch(/targets\.yaml:1:1: file not found/)
  })
})

describe('targetFromIssuer', () => {
  it('gives open-registration defaults', () => {
    expect(targetFromIssuer('https://idp.example.com/oauth/')).toEqual({
      name: 'idp.example.com',
      issuer: 'https://idp.example.com/oauth',
      registration: { iat: { strategy: 'none' } },
      capabilities: ['open_registration'],
    })
  })

  it('refuses what is not an http(s) URL', () => {
    expect(() => targetFromIssuer('ftp://x')).toThrow(HarnessError)
  })
})

describe('the shipped targets.yaml', () => {
  const shipped = new URL('../../../targets.yaml', import.meta.url).pathname

  it('is valid', async () => {
    // Every variable set (whatever the entries need), the issuer to something recognisable.
    const env = new Proxy({} as Record<string, string>, {
      get: (_t, name) => (name === 'OIDC_PROVIDER_ISSUER' ? 'http://127.0.0.1:3000' : 'set'),
    })
    const { loadVocabulary } = await import('../../../harness/scenario/vocabulary.ts')
    const loaded = await loadTargets(shipped, {
      env,
      capabilities: (await loadVocabulary()).capabilities,
    })
    expect(loaded.names).toContain('oidc-provider')
    // The interop entries are started by the command provider; resolved once it is ready.
    const launch = loaded.launches.get('oidc-provider')
    expect(launch?.provider).toBe('command')
    expect(launch?.entry?.resolve({}).issuer).toBe('http://127.0.0.1:3000')
  })

  it('has a commented vendor example that is valid once uncommented', async () => {
    const { readFile } = await import('node:fs/promises')
    const lines = (await readFile(shipped, 'utf8')).split('\n')
    const start = lines.findIndex((line) => line.startsWith('# acme-idp:'))
    expect(start).toBeGreaterThan(0)
    const block: string[] = []
    for (const line of lines.slice(start)) {
      if (!line.startsWith('#')) break
      block.push(line.replace(/^# ?/, ''))
    }
    const file = await targetsFile(block.join('\n') + '\n')
    const loaded = await loadTargets(file, {
      env: { ACME_DCR_SECRET: 's', ACME_USER: 'u', ACME_PASSWORD: 'p' },
    })
    const acme = loaded.targets.get('acme-idp')!
    expect(acme.registration?.iat).toMatchObject({
      strategy: 'client_credentials',
      client_secret: 's',
      scope: 'dcr',
    })
    expect(acme.capabilities).toContain('delete')
    expect(loaded.notices).toEqual([])
  })
})

describe('capabilities in targets.yaml', () => {
  it('an unknown capability is an error at its position', async () => {
    const file = await targetsFile(
      'acme:\n  issuer: https://a.test\n  capabilities: [rfc7592, rfc7952]\n',
    )
    const messages = await fileErrorMessages(
      loadTargets(file, { env: {}, capabilities: new Set(['rfc7592', 'delete']) }),
    )
    expect(messages).toEqual([
      expect.stringMatching(/targets\.yaml:3:\d+: unknown capability 'rfc7952'/),
    ])
  })
})
