/**
 * A report, always (issue 10, item 5): when discovery fails, every requested reporter still
 * writes its file, status `errored` with the reason, every planned scenario listed as not run,
 * and the CLI still prints its one `error:` line and exits 3.
 */
import { mkdtemp, readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validateReport } from '../../reporters/validate.ts'
import type { Report } from '../../harness/model/report.ts'
import { runCli } from './helpers/streams.ts'
import { FIXTURE_SUITES } from './helpers/suite-dir.ts'
import { startToyServer } from './helpers/toy-server.ts'

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('a report when the run cannot start', () => {
  it('writes JSON, JUnit and Markdown reports, errored with the reason, when discovery fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-always-'))
    const issuer = `http://127.0.0.1:${await closedPort()}/oauth`
    const result = await runCli([
      '--target', issuer, '--suite', FIXTURE_SUITES,
      '--reporter', `json=${join(dir, 'r.json')}`,
      '--reporter', `junit=${join(dir, 'r.xml')}`,
      '--reporter', `markdown=${join(dir, 'r.md')}`,
    ])
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/^error: .*unreachable/m)
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report
    expect(validateReport(report)).toEqual([])
    expect(report.status).toBe('errored')
    expect(report.reason).toMatch(/unreachable.*\[E_(TARGET_UNREACHABLE|DISCOVERY)\]/)
    expect(report.scenarios.length).toBeGreaterThan(0)
    expect(report.scenarios.every((s) => s.outcome === 'skipped' && s.notRun === true)).toBe(true)
    // Not run is untested, never "not applicable".
    expect(report.requirements.every((r) => r.verdict === 'untested')).toBe(true)
    const junit = await readFile(join(dir, 'r.xml'), 'utf8')
    expect(junit).toMatch(/name="status" value="errored"/)
    expect(junit).toMatch(/name="reason" value="[^"]*unreachable/)
    expect(await readFile(join(dir, 'r.md'), 'utf8')).toMatch(/ERRORED/)
  })

  it('writes the report when discovery answers garbage', async () => {
    const toy = await startToyServer('good')
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-always-'))
    try {
      // A path with no discovery document: the toy answers 404.
      const result = await runCli([
        '--target', `${toy.origin}/nowhere`, '--suite', FIXTURE_SUITES,
        '--reporter', `json=${join(dir, 'r.json')}`,
      ])
      expect(result.code).toBe(3)
      const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report
      expect(report.status).toBe('errored')
      expect(report.reason).toMatch(/discovery|metadata|404/i)
      expect(result.stderr.split('\n').filter((line) => line.startsWith('error:'))).toHaveLength(1)
    } finally {
      await toy.close()
    }
  })
})
