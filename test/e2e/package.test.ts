/**
 * The published package, as a user gets it: `npm pack`, install the tarball into an empty folder
 * (offline from the npm cache when it can, else from the registry), then `npx dcr-conformance`
 * from there: no TypeScript, no tsx, no sources, only what `files` ships.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateReport } from '../../reporters/validate.ts'
import { ROOT, ensureBuilt } from './helpers/build.ts'

interface Result {
  code: number
  stdout: string
  stderr: string
}

function run(command: string, args: string[], cwd: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout: 300_000, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({ code, stdout: String(stdout), stderr: String(stderr) })
      },
    )
  })
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
let work: string
let packed: string[] = []
let tarball: string

beforeAll(async () => {
  await ensureBuilt()
  work = await mkdtemp(join(tmpdir(), 'dcrc-package-'))
  // Scripts off: ensureBuilt has just built dist/, and `prepare` would build it again.
  const packArgs = ['pack', '--ignore-scripts', '--json', '--pack-destination', work]
  const pack = await run(npm, packArgs, ROOT)
  expect(pack.stderr).not.toMatch(/npm error/)
  expect(pack.code).toBe(0)
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[]
  packed = info!.files.map((file) => file.path)
  tarball = join(work, info!.filename)
  const app = join(work, 'app')
  await mkdir(app)
  await writeFile(join(app, 'package.json'), '{ "name": "app", "private": true }\n')
  const flags = ['install', '--no-audit', '--no-fund', '--ignore-scripts']
  let install = await run(npm, [...flags, '--offline', tarball], app)
  // Not everything in the npm cache: the registry is reachable in CI.
  if (install.code !== 0) install = await run(npm, [...flags, '--prefer-offline', tarball], app)
  expect(install.stderr).not.toMatch(/npm error/)
  expect(install.code).toBe(0)
}, 600_000)

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

describe('the packed tarball', () => {
  it('ships the compiled code and the data files, no tests, benchmarks, CI or sources', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'bin/dcr-conformance.js',
        'dist/index.d.ts',
        'dist/harness/cli.js',
        'dist/builtin/register.js',
        'harness/config/targets.schema.json',
        'harness/scenario/scenario.schema.json',
        'reporters/report.schema.json',
        'suites/requirements.yaml',
        'fixtures/tls/README.md',
        'fixtures/keys/README.md',
      ]),
    )
    const unwanted = packed.filter(
      (path) =>
        /^(test|bench|\.ci|node_modules)\//.test(path) ||
        (path.endsWith('.ts') && !path.endsWith('.d.ts')) ||
        path === 'bin/run-ts.js' ||
        path.endsWith('.tsbuildinfo'),
    )
    expect(unwanted).toEqual([])
  })

  it('installs without TypeScript or tsx', () => {
    const modules = join(work, 'app', 'node_modules')
    expect(existsSync(join(modules, 'dcr-conformance', 'dist', 'harness', 'cli.js'))).toBe(true)
    expect(existsSync(join(modules, 'tsx'))).toBe(false)
    expect(existsSync(join(modules, 'typescript'))).toBe(false)
  })

  it('answers npx dcr-conformance --help and --version', async () => {
    const app = join(work, 'app')
    const help = await run(npx, ['--no-install', 'dcr-conformance', '--help'], app)
    expect(help.stderr).toBe('')
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^usage: dcr-conformance \[COMMAND\]/)
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string
    }
    const version = await run(npx, ['--no-install', 'dcr-conformance', '--version'], app)
    expect(version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' })
  }, 180_000)

  it('exports the typed public API', async () => {
    const app = join(work, 'app')
    await writeFile(
      join(app, 'uses-types.ts'),
      [
        "import type { Fixture, Report, Reporter, ScenarioDoc, TargetConfig } from 'dcr-conformance'",
        "export const target: TargetConfig = { name: 'acme', issuer: 'https://idp.acme.test' }",
        'export const reporter: Reporter = { onRunEnd: (report: Report) => void report.status }',
        'export type Both = [Fixture, ScenarioDoc]',
        '// @ts-expect-error: an issuer is a string (fails if the types resolved to any)',
        "export const wrong: TargetConfig = { name: 'acme', issuer: 1 }",
        '',
      ].join('\n'),
    )
    const config = {
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        // The build type-checks the declarations; this checks what a user's import resolves to.
        skipLibCheck: true,
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        types: ['node'],
      },
      files: ['uses-types.ts'],
    }
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify(config))
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
    const result = await run(process.execPath, [tsc, '-p', app], app)
    expect(result.stdout).toBe('')
    expect(result.code).toBe(0)
  }, 180_000)

  it('runs one scenario of the shipped suites against the built-in reference target', async () => {
    const app = join(work, 'app')
    const result = await run(
      npx,
      [
        '--no-install',
        'dcr-conformance',
        '--grep',
        '^registration/defaults-echoed$',
        '--login-driver',
        'http',
        '--reporter',
        'json=report.json',
      ],
      app,
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Result: PASSED/)
    const report = JSON.parse(await readFile(join(app, 'report.json'), 'utf8'))
    expect(validateReport(report)).toEqual([])
    expect(report.target.name).toBe('reference')
    expect(report.counts).toMatchObject({ passed: 1, failed: 0, errored: 0 })
    expect(report.scenarios.map((scenario: { id: string }) => scenario.id)).toEqual([
      'registration/defaults-echoed',
    ])
  }, 180_000)
})
