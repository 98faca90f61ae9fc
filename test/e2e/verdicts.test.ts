/**
 * The verdict model end to end (docs/verdicts.md), on the whole suite against the reference
 * server: one server bug is one failed requirement, not a cascade; the README's own expectations
 * example excuses exactly that deviation and nothing else.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runSuite } from '../../harness/run-suite.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import type { Report } from '../../harness/model/report.ts'
import { captureStream, runCli } from './helpers/streams.ts'

/** The expectations example of the README, exactly as a vendor would copy it. */
async function readmeExpectations(): Promise<string> {
  const readme = await readFile(join(repoRoot(), 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('### Known deviations'))
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1]
  if (!block) throw new Error('README: no yaml block under "Known deviations"')
  return block
}

const failedRequirements = (report: Report) =>
  report.requirements.filter((row) => row.verdict === 'fail').map((row) => row.id)

describe('one server bug, one verdict', () => {
  it(
    'under registration-200 only R7591-3.2.1-a fails; set-up registrations still pass',
    { timeout: 300_000 },
    async () => {
      const console = captureStream()
      const report = await runSuite({
        target: 'reference',
        faults: ['registration-200'],
        loginDriver: 'http',
        reporters: ['console'],
        stream: console,
      })
      expect(failedRequirements(report)).toEqual(['R7591-3.2.1-a'])
      expect(report.counts.inconclusive).toBe(0)
      expect(report.counts.errored).toBe(0)
      // Every failed scenario fails for that requirement only.
      for (const scenario of report.scenarios.filter((s) => s.outcome === 'failed')) {
        const cited = scenario.steps.flatMap((step) =>
          step.checks.filter((check) => !check.ok && check.level === 'must').map((c) => c.requirement),
        )
        expect([...new Set(cited)], scenario.id).toEqual(['R7591-3.2.1-a'])
      }
      expect(report.scenarios.filter((s) => s.outcome === 'failed').length).toBeLessThan(6)
      // The console ends with the requirement table's counts, the failed row among its lines.
      const text = console.text()
      expect(text).toMatch(/R7591-3\.2\.1-a/)
      expect(text.trimEnd().split('\n').at(-1)).toMatch(/requirements?:.*1 fail/i)
    },
  )

  it(
    "the README's expectations example makes that run exit 0, and a second fault exit 1",
    { timeout: 300_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'dcrc-readme-'))
      const file = join(dir, 'expectations.yaml')
      await writeFile(file, await readmeExpectations())
      const known = await runCli(['--fault', 'registration-200', '--expectations', file, '--login-driver', 'http'])
      expect(known.stderr).toBe('')
      expect(known.code).toBe(0)
      const second = await runCli([
        '--fault',
        'registration-200',
        '--fault',
        'iat-reusable',
        '--expectations',
        file,
        '--login-driver',
        'http',
        '--suite',
        join(repoRoot(), 'suites', 'initial-access-token'),
        '--suite',
        join(repoRoot(), 'suites', 'registration'),
      ])
      expect(second.code).toBe(1)
      expect(second.stdout).toMatch(/R6750-3\.1-a/)
    },
  )
})
