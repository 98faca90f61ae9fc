import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { validateReport } from '../../reporters/validate.ts'
import type { Report } from '../../harness/model/report.ts'
import { startToyServer, type ToyMode, type ToyServer } from './helpers/toy-server.ts'
import { FIXTURE_SUITES } from './helpers/suite-dir.ts'
import { runCli } from './helpers/streams.ts'

const servers: ToyServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
async function toy(mode: ToyMode): Promise<ToyServer> {
  const server = await startToyServer(mode)
  servers.push(server)
  return server
}

describe('exit codes', () => {
  it('0 when the target conforms', async () => {
    const server = await toy('good')
    const result = await runCli([
      '--target',
      server.issuer,
      '--suite',
      FIXTURE_SUITES,
      '--seed',
      '7',
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/seed 7/)
    expect(result.stdout).toMatch(
      /requires capability rfc7592 which target 127\.0\.0\.1:\d+ does not declare/,
    )
  })

  it('1 when a MUST check fails', async () => {
    const server = await toy('status200')
    const result = await runCli(['run', '--target', server.issuer, '--suite', FIXTURE_SUITES])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/basic\/register/)
    expect(result.stdout).toMatch(/expected 201, got 200/)
  })

  it('no failure when the target rate-limits every registration: those scenarios are inconclusive', async () => {
    const server = await toy('rate-limited')
    const json = join(await mkdtemp(join(tmpdir(), 'dcrc-429-')), 'r.json')
    const argv = ['--target', server.issuer, '--suite', FIXTURE_SUITES, '--reporter', `json=${json}`]
    const result = await runCli(argv)
    // Discovery was judged and passed; the registrations judged nothing, so nothing failed.
    expect(result.code, result.stdout).toBe(0)
    const report = JSON.parse(await readFile(json, 'utf8')) as Report
    const register = report.scenarios.find((scenario) => scenario.id === 'basic/register')
    expect([register?.outcome, register?.message]).toEqual([
      'inconclusive',
      expect.stringMatching(/not 429 Too Many Requests.*rate limited \(429\) past the harness's retries/),
    ])
    expect(report.scenarios.filter((scenario) => scenario.outcome === 'failed')).toEqual([])
  })

  it('0 when the failure is expected, 1 when an expectation is stale', async () => {
    const server = await toy('status200')
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-exp-'))
    await writeFile(
      join(dir, 'exp.yaml'),
      'expectations:\n  - { requirement: T-REG-1, scenario: basic/register, reason: "answers 200" }\n',
    )
    expect(
      (
        await runCli([
          '--target',
          server.issuer,
          '--suite',
          FIXTURE_SUITES,
          '--expectations',
          join(dir, 'exp.yaml'),
        ])
      ).code,
    ).toBe(0)
    const good = await toy('good')
    expect(
      (
        await runCli([
          '--target',
          good.issuer,
          '--suite',
          FIXTURE_SUITES,
          '--expectations',
          join(dir, 'exp.yaml'),
        ])
      ).code,
    ).toBe(1)
  })

  it('3 when the target is down, with a clear message', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number }
        probe.close(() => resolve(port))
      })
    })
    const result = await runCli([
      '--target',
      `http://127.0.0.1:${port}/oauth`,
      '--suite',
      FIXTURE_SUITES,
    ])
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(
      /^error: target '127\.0\.0\.1:\d+' is unreachable at discovery: .*ECONNREFUSED.* \[E_TARGET_UNREACHABLE\]\n$/,
    )
  })

  it('3 when the target answers HTML at discovery', async () => {
    const server = await toy('good')
    const result = await runCli([
      '--target',
      `${server.origin}/elsewhere`,
      '--suite',
      FIXTURE_SUITES,
    ])
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/no discovery document .* \[E_DISCOVERY\]/)
  })
})

describe('a target that rate-limits its token endpoint', () => {
  it('the registrations behind its IAT are inconclusive, not errored (exit 0)', async () => {
    const server = await startToyServer('good', { requireIat: true, rateLimitTokens: true })
    servers.push(server)
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-iat-429-'))
    const iat = '{ strategy: client_credentials, client_id: iat-client, client_secret: x }'
    const targets = [
      'toy:',
      `  issuer: ${server.issuer}`,
      `  registration: { iat: ${iat} }`,
      '  capabilities: [iat_required, rfc7592, delete]',
    ]
    await writeFile(join(dir, 'targets.yaml'), `${targets.join('\n')}\n`)
    const json = join(dir, 'r.json')
    const targetsFile = join(dir, 'targets.yaml')
    const argv = ['--target', 'toy', '--targets', targetsFile, '--suite', FIXTURE_SUITES]
    const result = await runCli([...argv, '--reporter', `json=${json}`])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const report = JSON.parse(await readFile(json, 'utf8')) as Report
    const register = report.scenarios.find((scenario) => scenario.id === 'basic/register')
    expect([register?.outcome, register?.blocker?.answer]).toEqual([
      'inconclusive',
      expect.stringMatching(/not 429 Too Many Requests\): .*\(POST .*\/oauth\/token\)/),
    ])
    expect(report.scenarios.filter((scenario) => scenario.outcome === 'errored')).toEqual([])
    expect(server.requests).not.toContain('POST /oauth/register')
  })
})

describe('named targets', () => {
  it('runs a target from --targets with its secret from the environment', async () => {
    const server = await startToyServer('good', { requireIat: true })
    servers.push(server)
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-named-'))
    await writeFile(
      join(dir, 'targets.yaml'),
      `toy:\n  issuer: ${server.issuer}\n  registration:\n    iat: { strategy: client_credentials, client_id: iat-client, client_secret: "\${{ env.TOY_SECRET }}" }\n  capabilities: [iat_required, rfc7592, delete]\n`,
    )
    const result = await runCli(
      [
        '--target',
        'toy',
        '--targets',
        join(dir, 'targets.yaml'),
        '--suite',
        FIXTURE_SUITES,
        '--reporter',
        `json=${join(dir, 'r.json')}`,
      ],
      {
        env: { TOY_SECRET: 'iat s3cret&:+' },
      },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'))
    expect(report.target.name).toBe('toy')
    expect(report.counts).toMatchObject({ passed: 3, skipped: 1 })
    expect(server.deleted).toHaveLength(2)
    expect(JSON.stringify(report)).not.toContain('iat s3cret')
    const missing = await runCli(
      ['--target', 'toy', '--targets', join(dir, 'targets.yaml'), '--suite', FIXTURE_SUITES],
      { env: {} },
    )
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(
      /targets\.yaml:4:\d+: environment variable TOY_SECRET is not set/,
    )
  })
})

describe('a hostile target gives errored steps with messages, never a crash or a hang', () => {
  const cases: [ToyMode, RegExp][] = [
    ['html', /answered 200 with a body that is not JSON \(text\/html\)/],
    ['badjson', /answered 201 with a body that is not JSON \(application\/json\)/],
    ['huge', /E_HTTP_TOO_LARGE: response body larger than the limit of 1048576 bytes/],
    ['hang', /timed out after 1000 ms/],
    ['reset', /connection reset or closed by the target/],
  ]
  for (const [mode, message] of cases) {
    it(mode, async () => {
      const server = await toy(mode)
      const dir = await mkdtemp(join(tmpdir(), 'dcrc-hostile-'))
      const result = await runCli([
        '--target',
        server.issuer,
        '--suite',
        FIXTURE_SUITES,
        '--grep',
        'register',
        '--timeout',
        '1000',
        '--reporter',
        `json=${join(dir, 'r.json')}`,
      ])
      expect(result.code).toBe(3)
      const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'))
      expect(validateReport(report)).toEqual([])
      const step = report.scenarios[0].steps[0]
      expect(step.outcome).toBe('errored')
      expect(step.message).toMatch(message)
    })
  }
})

describe('reporters and list', () => {
  it('--reporter json=... --reporter junit=... write valid files', async () => {
    const server = await toy('good')
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-rep-'))
    const result = await runCli([
      '--target',
      server.issuer,
      '--suite',
      FIXTURE_SUITES,
      '--reporter',
      `json=${join(dir, 'out', 'report.json')}`,
      '--reporter',
      `junit=${join(dir, 'junit.xml')}`,
    ])
    expect(result.code).toBe(0)
    // The job log keeps the console report and names the files written (issue 11, acceptance 1).
    expect(result.stdout).toContain('2 passed, 0 failed')
    expect(result.stdout).toContain(`junit report: ${join(dir, 'junit.xml')}`)
    const report = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8'))
    expect(validateReport(report)).toEqual([])
    expect(report.schemaVersion).toBe(1)
    expect(report.counts).toEqual({
      total: 4,
      passed: 2,
      failed: 0,
      warned: 0,
      inconclusive: 0,
      skipped: 2,
      errored: 0,
    })
    expect(report.leftovers).toHaveLength(1)
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8')
    // One suite of the 4 scenarios, one of the requirements they touched.
    expect(junit).toMatch(/<testsuite name="[^"]*" tests="4"/)
    expect(junit).toMatch(/<testsuite name="[^"]*: requirements" tests="\d+"/)
    expect(junit).toContain('basic/register')
  })

  it('list --format json, with applicability for a target', async () => {
    const plain = await runCli(['list', '--format', 'json', '--suite', FIXTURE_SUITES])
    expect(plain.code).toBe(0)
    const listed = JSON.parse(plain.stdout)
    expect(listed.map((s: { id: string }) => s.id)).toEqual([
      'basic/discovery',
      'basic/manage',
      'basic/not-applicable',
      'basic/register',
    ])
    expect(listed[1]).toEqual({
      id: 'basic/manage',
      title: 'The client configuration endpoint answers with the registration access token',
      file: expect.stringMatching(/test\/fixtures\/suites\/basic\/manage\.yaml$/),
      requirements: ['T-MGMT-1'],
      tags: ['management'],
      requires: ['rfc7592'],
    })
    const withTarget = JSON.parse(
      (
        await runCli([
          'list',
          '--format',
          'json',
          '--suite',
          FIXTURE_SUITES,
          '--target',
          'https://idp.test',
        ])
      ).stdout,
    )
    expect(withTarget.map((s: { applies: boolean }) => s.applies)).toEqual([
      true,
      false,
      false,
      true,
    ])
    expect(withTarget[1].reason).toBe(
      'requires capability rfc7592 which target idp.test does not declare',
    )
  })

  it('list --shard: the shards together are the whole plan, each scenario once', async () => {
    const ids = async (shard: string) =>
      JSON.parse(
        (await runCli(['list', '--format', 'json', '--suite', FIXTURE_SUITES, '--shard', shard]))
          .stdout,
      ).map((s: { id: string }) => s.id)
    const [one, two] = [await ids('1/2'), await ids('2/2')]
    expect([...one, ...two].sort()).toEqual([
      'basic/discovery',
      'basic/manage',
      'basic/not-applicable',
      'basic/register',
    ])
    expect(one.filter((id: string) => two.includes(id))).toEqual([])
  })

  it('list as text, filtered', async () => {
    const result = await runCli([
      'list',
      '--suite',
      FIXTURE_SUITES,
      '--tag',
      'registration',
      '--target',
      'https://idp.test',
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^ID\s+TITLE\s+REQUIREMENTS\s+ON idp\.test\n/)
    expect(result.stdout).toMatch(
      /basic\/register\s+A client registers with redirect URIs\s+T-REG-1 T-REG-2\s+runs/,
    )
    expect(result.stdout).toMatch(/1 scenarios, 1 apply to idp\.test, 0 skipped\n$/)
  })

  it('--help for every command', async () => {
    for (const argv of [
      ['--help'],
      ['run', '--help'],
      ['list', '-h'],
      ['serve', '--help'],
      ['coverage', '--help'],
      ['faults', '--help'],
      ['merge', '--help'],
    ]) {
      const result = await runCli(argv)
      expect(result.code, argv.join(' ')).toBe(0)
      expect(result.stdout, argv.join(' ')).toMatch(/usage: dcr-conformance/i)
    }
  })
})
