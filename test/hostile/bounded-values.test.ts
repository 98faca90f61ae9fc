/**
 * Bounded everything (issue 10, item 3): a target answering registration with a 900 KB
 * client_id, or with JSON nested 100,000 levels deep, is run by a real process. It ends with one
 * verdict and no harness fault, its peak memory stays under 300 MB, every report is written and
 * under 5 MB, and what was cut says so.
 */
import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { Report } from '../../harness/model/report.ts'
import { startCli } from './helpers/cli-process.ts'
import { registered, startHostileTarget, type HostileHandler, type HostileTarget } from './helpers/hostile-target.ts'

const SUITES = fileURLToPath(new URL('../../suites/', import.meta.url))
const MIB = 1024 * 1024
const REPORTS = ['json', 'xml', 'html', 'md'] as const

const targets: HostileTarget[] = []
afterEach(async () => {
  await Promise.all(targets.splice(0).map((target) => target.close()))
})

/** Registration answers `body` (201, JSON); the client it names is deleted at `/register/big`. */
function registrationAnswers(body: (issuer: string) => string): HostileHandler {
  return ({ req, res, url, issuer }) => {
    if (url.pathname === '/oauth/register' && req.method === 'POST') {
      res.writeHead(201, { 'content-type': 'application/json' })
      res.end(body(issuer))
      return true
    }
    if (url.pathname === '/oauth/register/big' && req.method === 'DELETE') {
      res.writeHead(204)
      res.end()
      return true
    }
    return false
  }
}

async function hostileRun(handle: HostileHandler) {
  const target = await startHostileTarget({ handle })
  targets.push(target)
  const dir = await mkdtemp(join(tmpdir(), 'dcrc-bounded-'))
  const out = (ext: string) => join(dir, `report.${ext}`)
  const cli = startCli([
    '--target', target.name, '--targets', target.targetsFile, '--workers', '4',
    '--suite', join(SUITES, 'registration'), '--suite', join(SUITES, 'client-management'),
    '--reporter', 'console', '--reporter', `json=${out('json')}`, '--reporter', `junit=${out('xml')}`,
    '--reporter', `html=${out('html')}`, '--reporter', `markdown=${out('md')}`,
  ])
  const code = await cli.exited
  const sizes = Object.fromEntries(
    await Promise.all(REPORTS.map(async (ext) => [ext, (await stat(out(ext))).size] as const)),
  )
  const report = JSON.parse(await readFile(out('json'), 'utf8')) as Report
  return { code, cli, sizes, report, target }
}

describe('hostile values stay bounded', () => {
  it('a 900 KB client_id: under 300 MB, reports under 5 MB, the value cut with a marker', async () => {
    const clientId = `c${'x'.repeat(900_000)}`
    const run = await hostileRun(
      registrationAnswers((issuer) =>
        JSON.stringify({
          ...registered(issuer, clientId, 'rat-0123456789abcdef', {}),
          registration_client_uri: `${issuer}/register/big`,
        }),
      ),
    )
    expect([1, 3]).toContain(run.code)
    expect(run.cli.stderr()).not.toMatch(/harness fault/)
    expect(run.cli.peakRssKib()).toBeGreaterThan(0)
    expect(run.cli.peakRssKib() * 1024).toBeLessThan(300 * MIB)
    for (const ext of REPORTS) expect(run.sizes[ext]).toBeLessThan(5 * MIB)
    const text = JSON.stringify(run.report)
    expect(text).not.toContain('x'.repeat(20_000))
    expect(text).toMatch(/…\[truncated \d+ chars\]/)
    expect(run.report.scenarios.some((s) => s.outcome !== 'skipped')).toBe(true)
  }, 300_000)

  it('JSON nested 100,000 levels in a registration answer: errored steps, no crash', async () => {
    const depth = 100_000
    const run = await hostileRun(
      registrationAnswers(() => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
    )
    expect(run.code).toBe(3)
    expect(run.cli.stderr()).not.toMatch(/harness fault|RangeError/)
    expect(run.cli.peakRssKib() * 1024).toBeLessThan(300 * MIB)
    for (const ext of REPORTS) expect(run.sizes[ext]).toBeLessThan(5 * MIB)
    expect(JSON.stringify(run.report)).toMatch(/nests deeper than 64 levels/)
    expect(run.report.status).toBe('errored')
  }, 300_000)
})
