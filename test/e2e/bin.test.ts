/**
 * The installed entry point, as a user runs it: a real process against the built-in reference
 * target (HTTPS, in-process), with and without a fault.
 */
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { validateReport } from '../../reporters/validate.ts'
import { FIXTURE_SUITES } from './helpers/suite-dir.ts'
import { startToyServer } from './helpers/toy-server.ts'

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

describe('bin/dcr-conformance.js', () => {
  it('prints help', async () => {
    const result = await cli(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^usage: dcr-conformance \[COMMAND\]/)
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
      expect(stderr).toMatch(/interrupted \(SIGINT\): cleaning up/)
      expect(stdout).toMatch(/interrupted by SIGINT/)
    } finally {
      await toy.close()
    }
  })
})
