/** `dcr-conformance fuzz` on the command line: usage errors exit 2, findings 1, none 0. */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../../harness/cli.ts'
import { durationMs } from '../../../harness/commands/fuzz.ts'
import { repoRoot } from '../../../harness/scenario/vocabulary.ts'

const folders: string[] = []
afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))))

async function cli(...argv: string[]) {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (chunk) => (out += String(chunk)))
  stderr.on('data', (chunk) => (err += String(chunk)))
  const code = await main(['fuzz', ...argv], { stdout, stderr, cwd: repoRoot() })
  return { code, out, err }
}

describe('dcr-conformance fuzz', () => {
  it('prints its usage', async () => {
    const { code, out } = await cli('--help')
    expect(code).toBe(0)
    expect(out).toContain('--time-budget DURATION')
    expect(out).toContain('--seed N')
  })

  it.each([
    [['--runs', '0'], /--runs must be an integer/],
    [['--time-budget', 'soon'], /--time-budget must be a duration/],
    [['--format', 'yaml'], /--format must be text or json/],
    [['--seed', 'x1'], /--seed must be an integer/],
    [['--target', 'https://idp.example.test', '--fault', 'jwks-no-kty-crash'], /--fault works only/],
    [['--what'], /fuzz: Unknown option/],
  ])('refuses %j with exit 2', async (argv, message) => {
    const { code, err } = await cli(...argv)
    expect(code).toBe(2)
    expect(err).toMatch(message)
  })

  it('reads durations with units, a bare number as seconds', () => {
    expect(durationMs('1500ms')).toBe(1500)
    expect(durationMs('90s')).toBe(90_000)
    expect(durationMs('5m')).toBe(300_000)
    expect(durationMs('2')).toBe(2000)
    expect(() => durationMs('0')).toThrow(/--time-budget/)
  })

  it('exits 0 with a JSON report when nothing is found', { timeout: 300_000 }, async () => {
    const { code, out } = await cli('--runs', '20', '--seed', '3', '--format', 'json')
    const report = JSON.parse(out)
    expect(report).toMatchObject({ status: 'passed', seed: 3, runs: 20, findings: [] })
    expect(code).toBe(0)
  })

  it('exits 1 on a finding, prints its scenario, and writes it with --out', { timeout: 300_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dcrc-fuzz-out-'))
    folders.push(folder)
    const run = await cli('--fault', 'contacts-non-ascii-garbled', '--runs', '60', '--seed', '7', '--out', folder)
    expect(run.code).toBe(1)
    expect(run.out).toMatch(/finding 1 \[must\] R7591-2-k: contacts, when returned, is what was sent/)
    expect(run.out).toContain(
      'replay: dcr-conformance fuzz --target reference --fault contacts-non-ascii-garbled ' +
        '--seed 7 --runs 60',
    )
    const file = run.out.match(/save as (suites\/fuzz\/\S+\.yaml)/)![1]!
    const written = await readFile(join(folder, file.replace(/^suites\//, '')), 'utf8')
    expect(run.out).toContain(written.split('\n')[1])
    expect(written).toMatch(/^# yaml-language-server/)
    expect(run.out).not.toMatch(/"client_secret":"(?!\[REDACTED)/)
  })
})
