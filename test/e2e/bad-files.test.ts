import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCountingServer } from './helpers/toy-server.ts'
import { writeSuite } from './helpers/suite-dir.ts'
import { runCli } from './helpers/streams.ts'

let counting: Awaited<ReturnType<typeof startCountingServer>>
beforeAll(async () => {
  counting = await startCountingServer()
})
afterAll(async () => {
  await counting.close()
})

const GOOD_STEP = `  - id: a
    http: { url: "\${{ target.issuer }}/x" }
    expect: { status: 200, requirement: T-DISC-1 }
`

/** Each case: files of a suite, and the error expected as `path:line:col: reason`. */
const cases: { name: string; files: Record<string, string>; error: RegExp }[] = [
  {
    name: 'a YAML syntax error',
    files: { 'bad/syntax.yaml': 'id: bad/syntax\ntitle: [unclosed\nrequirements: [T-DISC-1]\n' },
    error: /suites\/bad\/syntax\.yaml:\d+:\d+: /,
  },
  {
    name: 'an unknown action',
    files: {
      'bad/action.yaml': `id: bad/action\ntitle: t\nrequirements: [T-DISC-1]\nsteps:\n  - id: a\n    teleport: { to: mars }\n    expect: { status: 200 }\n`,
    },
    error: /suites\/bad\/action\.yaml:6:\d+: .*teleport/,
  },
  {
    name: 'an unknown key',
    files: {
      'bad/key.yaml': `id: bad/key\ntitle: t\nrequirements: [T-DISC-1]\nrequirementz: [x]\nsteps:\n${GOOD_STEP}`,
    },
    error: /suites\/bad\/key\.yaml:4:\d+: .*requirementz/,
  },
  {
    name: 'a reference to a later step',
    files: {
      'bad/later.yaml': `id: bad/later\ntitle: t\nrequirements: [T-DISC-1]\nsteps:\n  - id: a\n    http: { url: "\${{ steps.b.body.url }}" }\n    expect: { status: 200 }\n  - id: b\n    http: { url: "\${{ target.issuer }}/x" }\n    expect: { status: 200, requirement: T-DISC-1 }\n`,
    },
    error: /suites\/bad\/later\.yaml:6:\d+: .*steps\.b/,
  },
  {
    name: 'an unknown capability',
    files: {
      'bad/capability.yaml': `id: bad/capability\ntitle: t\nrequirements: [T-DISC-1]\nrequires: [teleportation]\nsteps:\n${GOOD_STEP}`,
    },
    error: /suites\/bad\/capability\.yaml:4:\d+: .*teleportation/,
  },
  {
    name: 'an unknown requirement id',
    files: {
      'bad/requirement.yaml': `id: bad/requirement\ntitle: t\nrequirements: [NOPE-1]\nsteps:\n${GOOD_STEP}`,
    },
    error: /suites\/bad\/requirement\.yaml:3:\d+: .*NOPE-1/,
  },
  {
    name: 'a duplicate id',
    files: {
      'dup/one.yaml': `id: dup/one\ntitle: t\nrequirements: [T-DISC-1]\nsteps:\n${GOOD_STEP}`,
      'dup/two.yaml': `id: dup/one\ntitle: t\nrequirements: [T-DISC-1]\nsteps:\n${GOOD_STEP}`,
    },
    error: /suites\/dup\/two\.yaml:1:\d+: .*dup\/one/,
  },
]

describe('bad scenario files exit 2 with a location, and nothing is sent', () => {
  for (const { name, files, error } of cases) {
    it(name, async () => {
      const suite = await writeSuite(files)
      const before = counting.count()
      const result = await runCli([
        'run',
        '--target',
        counting.url,
        '--suite',
        suite,
        '--reporter',
        'console',
      ])
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(error)
      expect(
        result.stderr.split('\n').every((line) => line === '' || line.startsWith('error: ')),
      ).toBe(true)
      expect(counting.count()).toBe(before)
    })
  }
})

describe('bad configuration exits 2', () => {
  it('an invalid targets.yaml names the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-cli-'))
    await writeFile(
      join(dir, 'targets.yaml'),
      `mine:\n  issuer: ${counting.url}\n  capabilities: oidc\n`,
    )
    const before = counting.count()
    const result = await runCli([
      '--target',
      'mine',
      '--targets',
      join(dir, 'targets.yaml'),
      '--suite',
      await writeSuite({
        'ok/a.yaml': `id: ok/a\ntitle: t\nrequirements: [T-DISC-1]\nsteps:\n${GOOD_STEP}`,
      }),
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/targets\.yaml:3:17: mine\.capabilities: must be array/)
    expect(counting.count()).toBe(before)
  })

  it('an unknown target name lists the known ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-cli-'))
    await writeFile(join(dir, 'targets.yaml'), `mine:\n  issuer: ${counting.url}\n`)
    const suite = await writeSuite({
      'ok/a.yaml': `id: ok/a\ntitle: t\nrequirements: [T-DISC-1]\nsteps:\n${GOOD_STEP}`,
    })
    const result = await runCli([
      'list',
      '--target',
      'yours',
      '--targets',
      join(dir, 'targets.yaml'),
      '--suite',
      suite,
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/no such target .* \(known: mine, reference\)/)
  })

  it('an expectations file naming an unknown scenario or requirement', async () => {
    const suite = await writeSuite({
      'ok/a.yaml': `id: ok/a\ntitle: t\nrequirements: [T-DISC-1]\nsteps:\n${GOOD_STEP}`,
      'exp.yaml':
        'expectations:\n  - { requirement: T-DISC-1, scenario: ok/a, reason: known }\n  - { requirement: T-DISC-1, scenario: ok/none, reason: typo }\n  - { requirement: T-NOPE, reason: typo }\n',
    })
    const before = counting.count()
    const result = await runCli([
      '--target',
      counting.url,
      '--suite',
      `${suite}/ok`,
      '--expectations',
      `${suite}/exp.yaml`,
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/exp\.yaml:3:\d+: unknown scenario 'ok\/none'/)
    expect(result.stderr).toMatch(/exp\.yaml:4:\d+: unknown requirement 'T-NOPE'/)
    expect(counting.count()).toBe(before)
  })

  it('usage errors', async () => {
    const suite = await writeSuite({
      'ok/a.yaml': `id: ok/a\ntitle: t\nrequirements: [T-DISC-1]\nsteps:\n${GOOD_STEP}`,
    })
    const cases: [string[], RegExp][] = [
      [['--no-such-option'], /Unknown option '--no-such-option'/],
      [['--worker', '2'], /Unknown option '--worker'.*\(did you mean "--workers"\?\)/],
      [['--workers', 'many'], /--workers must be an integer/],
      [['--shard', '3/2'], /--shard must be I\/N/],
      [
        ['--target', counting.url, '--fault', 'iat-reusable'],
        /--fault works only with the built-in reference target/,
      ],
      [['--login-driver', 'telepathy'], /--login-driver must be auto, browser or http/],
      [['--target', counting.url, '--reporter', 'pdf'], /unknown reporter "pdf"/],
      [['--target', 'ftp://x.test'], /issuer URL must be http\(s\)/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ]
    for (const [argv, message] of cases) {
      const result = await runCli([...argv, '--suite', suite])
      expect(result.code, argv.join(' ')).toBe(2)
      expect(result.stderr, argv.join(' ')).toMatch(message)
      expect(result.stderr).toMatch(/^error: /)
    }
    expect(counting.count()).toBe(0)
  })
})
