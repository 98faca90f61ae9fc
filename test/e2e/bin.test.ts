/**
 * The installed entry point, as a user runs it: a real process running the compiled dist/ against
 * the built-in reference target (HTTPS, in-process), with and without a fault.
 */
import { execFile, spawn } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { validateReport } from '../../reporters/validate.ts'
import { FIXTURE_SUITES } from './helpers/suite-dir.ts'
import { startToyServer } from './helpers/toy-server.ts'
import { ensureBuilt } from './helpers/build.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/dcr-conformance.js', ...args],
      { cwd: root, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({ code, stdout: String(stdout), stderr: String(stderr) })
      },
    )
  })
}

beforeAll(ensureBuilt, 600_000)

describe('bin/dcr-conformance.js', () => {
  it('prints help', async () => {
    const result = await cli(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^usage: dcr-conformance \[COMMAND\]/)
  })

  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      version: string
    }
    const result = await cli(['--version'])
    expect(result).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' })
  })

  it('says how to build when dist/ is missing, exit 3', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-unbuilt-'))
    await mkdir(join(dir, 'bin'))
    const bin = join(dir, 'bin', 'dcr-conformance.js')
    await copyFile(join(root, 'bin', 'dcr-conformance.js'), bin)
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n')
    const result = await new Promise<{ code: unknown; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, '--help'], (error, _stdout, stderr) =>
        resolve({ code: error ? error.code : 0, stderr: String(stderr) }),
      )
    })
    expect(result.code).toBe(3)
    expect(result.stderr).toBe(
      'error: dcr-conformance is not built (dist/ is missing): run `npm run build` [E_INTERNAL]\n',
    )
    await rm(dir, { recursive: true, force: true })
  })

  it('exits 2 on a usage error', async () => {
    const result = await cli(['--workers', '0'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      "error: --workers must be an integer from 1 to 9007199254740991 (got '0')\n",
    )
  })

  it('passes against the reference target and fails under a fault that breaks a checked rule', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-bin-'))
    const good = await cli([
      '--suite',
      FIXTURE_SUITES,
      '--reporter',
      `json=${join(dir, 'good.json')}`,
      '--seed',
      '5',
    ])
    expect(good.stderr).toBe('')
    expect(good.code).toBe(0)
    const report = JSON.parse(await readFile(join(dir, 'good.json'), 'utf8'))
    expect(validateReport(report)).toEqual([])
    expect(report.target.name).toBe('reference')
    expect(report.target.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//)
    expect(report.seed).toBe(5)
    expect(report.counts).toMatchObject({ passed: 3, skipped: 1 })
    expect(report.leftovers).toBeUndefined()

    const broken = await cli([
      '--suite',
      FIXTURE_SUITES,
      '--fault',
      'registration-200',
      '--reporter',
      'console',
    ])
    expect(broken.code).toBe(1)
    expect(broken.stdout).toMatch(/basic\/register/)
    expect(broken.stdout).toMatch(/expected 201, got 200/)
  })

  it('stops gracefully on SIGINT: the running scenario errors as interrupted, the report is still written', async () => {
    const toy = await startToyServer('hang')
    try {
      const child = spawn(
        process.execPath,
        [
          'bin/dcr-conformance.js',
          '--target',
          toy.issuer,
          '--suite',
          FIXTURE_SUITES,
          '--grep',
          'register',
          '--timeout',
          '60000',
        ],
        { cwd: root },
      )
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk) => (stdout += chunk))
      child.stderr.on('data', (chunk) => (stderr += chunk))
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      )
      const deadline = Date.now() + 30_000
      while (!toy.requests.includes('POST /oauth/register')) {
        if (Date.now() > deadline) throw new Error(`the registration never arrived: ${stderr}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      child.kill('SIGINT')
      expect(await exited).toBe(3)
      expect(stderr).toMatch(/interrupted \(SIGINT\): finishing requests in flight/)
      expect(stdout).toMatch(/interrupted by SIGINT/)
    } finally {
      await toy.close()
    }
  })
})
