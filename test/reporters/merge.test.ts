import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { UsageError } from '../../harness/errors.ts'
import type { ScenarioResult } from '../../harness/model/result.ts'
import type { ExpectationOutcome, Report } from '../../harness/model/report.ts'
import { serializeReport } from '../../reporters/json.ts'
import { mergeCommand, mergeReports } from '../../reporters/merge.ts'
import { validateReport } from '../../reporters/validate.ts'
import { requirementVerdicts } from '../../harness/verdicts/requirements.ts'
import { rootCauseLine } from '../../harness/verdicts/root-causes.ts'
import { statusOf } from '../../harness/verdicts/run-status.ts'
import { catalogOf, mergeExpectations } from '../../reporters/merge-parts.ts'
import { memoryStream, SAMPLE_CATALOG, sampleReport, sampleScenarios } from './sample-report.ts'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A shard's report as a run of those scenarios would write it (sampleReport computes it). */
function shard(
  ids: string[],
  startedAt: string,
  durationMs: number,
  extra: Partial<Report> = {},
  scenarios = sampleScenarios().filter((s) => ids.includes(s.id)),
): Report {
  const report = sampleReport({ scenarios, startedAt, durationMs, notices: [], leftovers: [] })
  // A shard is judged only in its merged run (harness/verdicts/run-status.ts).
  const status = statusOf(scenarios, report.expectations ?? [], { shard: true })
  return { ...report, status, ...extra }
}

const passing = ['registration/basic', 'management/read', 'token/refresh']

describe('mergeReports', () => {
  it('concatenates and sorts scenarios, recomputes counts and status, spans the time', () => {
    const a = shard(['token/refresh', 'registration/basic'], '2026-01-02T03:04:10.000Z', 1000)
    const b = shard(
      ['registration/status-201', 'management/read'],
      '2026-01-02T03:04:05.000Z',
      2000,
      { notices: ['n1'] },
    )
    const merged = mergeReports([a, b])
    expect(merged.scenarios.map((s) => s.id)).toEqual([
      'management/read',
      'registration/basic',
      'registration/status-201',
      'token/refresh',
    ])
    expect(merged.counts).toEqual({
      total: 4,
      passed: 1,
      failed: 2,
      warned: 0,
      inconclusive: 0,
      skipped: 1,
      errored: 0,
    })
    expect(merged.status).toBe('failed')
    expect(merged.startedAt).toBe('2026-01-02T03:04:05.000Z')
    // From 03:04:05 to 03:04:11 (shard a ends at 10 s + 1 s).
    expect(merged.durationMs).toBe(6000)
    expect(merged.notices).toEqual(['n1'])
    expect(validateReport(merged)).toEqual([])
  })

  it('recomputes requirements (titles and catalog order kept), root causes, expectations', () => {
    const a = shard(['iat/one-time', 'registration/redirect-uris'], '2026-01-02T03:04:05.000Z', 1)
    const b = shard(
      ['token/refresh', 'registration/software-statement'],
      '2026-01-02T03:04:05.000Z',
      1,
    )
    expect(a.expectations?.map((entry) => entry.state)).toEqual(['unused', 'stale', 'unused'])
    expect(b.expectations?.map((entry) => entry.state)).toEqual(['met', 'unused', 'unused'])
    const merged = mergeReports([a, b])
    // Met in b, stale in a, tested nowhere: the stale entry fails the merged run.
    expect(merged.expectations?.map((entry) => entry.state)).toEqual(['met', 'stale', 'unused'])
    expect(merged.status).toBe('failed')
    expect(merged.rootCauses.map(rootCauseLine)).toEqual([
      'register: status: expected 2xx, got 400: blocks 2 scenarios; ' +
        'the answer violates R7591-3.2.1-a',
    ])
    expect(merged.requirements).toEqual(
      requirementVerdicts(merged.scenarios, SAMPLE_CATALOG),
    )
    expect(merged.requirements.map((row) => [row.id, row.title, row.verdict])).toEqual([
      ['R7591-2-a', 'redirect_uris are registered as given', 'inconclusive'],
      ['R7591-3-d', 'An initial access token is used once', 'pass'],
      ['R6749-6-a', 'Refresh tokens are rotated', 'fail'],
      ['R7591-2.3-a', undefined, 'inconclusive'],
    ])
    expect(merged.caveats).toEqual([
      'the target runs on plain http: transport security was not tested',
    ])
    expect(validateReport(merged)).toEqual([])
  })

  it('counts an entry met in one shard as met, though it held in another', () => {
    const held = shard(['iat/one-time'], '2026-01-02T03:04:05.000Z', 1)
    const [passing] = sampleScenarios().filter((s) => s.id === 'iat/one-time')
    const excusedCheck = {
      name: 'status is 401',
      level: 'must' as const,
      ok: false,
      requirement: 'R7591-3-d',
      excused: 'server accepts IAT reuse (ticket 42)',
    }
    const failing: ScenarioResult = {
      ...passing!,
      id: 'iat/one-time-again',
      outcome: 'failed',
      steps: [{ ...passing!.steps[0]!, outcome: 'failed', checks: [excusedCheck] }],
    }
    const excused = shard([], '2026-01-02T03:04:05.000Z', 1, {}, [failing])
    expect([held.status, excused.status]).toEqual(['failed', 'passed'])
    const merged = mergeReports([held, excused])
    expect(merged.expectations?.find((e) => e.requirement === 'R7591-3-d')?.state).toBe('met')
    expect(merged.status).toBe('passed')
  })

  it('passes when every shard passes, keeps a shard-level error', () => {
    expect(
      mergeReports([
        shard(passing.slice(0, 1), '2026-01-02T03:04:05.000Z', 1),
        shard(passing.slice(1), '2026-01-02T03:04:05.000Z', 1),
      ]).status,
    ).toBe('passed')
    expect(
      mergeReports([shard(passing, '2026-01-02T03:04:05.000Z', 1, { status: 'errored' })]).status,
    ).toBe('errored')
  })

  it('refuses different targets and overlapping shards', () => {
    const a = shard(passing, '2026-01-02T03:04:05.000Z', 1)
    const b = shard(passing, '2026-01-02T03:04:05.000Z', 1, {
      target: { name: 'other', issuer: 'https://other.test' },
    })
    expect(() => mergeReports([a, b])).toThrow(/different targets/)
    expect(() => mergeReports([a, a])).toThrow(/appears in more than one report/)
    expect(() => mergeReports([])).toThrow(UsageError)
  })
})

describe('merge parts', () => {
  const entry = (state: ExpectationOutcome['state']): ExpectationOutcome => ({
    requirement: 'R-1',
    reason: 'known',
    state,
  })
  const withEntries = (states: ExpectationOutcome['state'][]) =>
    sampleReport({ expectations: states.map(entry) })

  it('merges expectation outcomes: met beats stale beats unused', () => {
    expect(mergeExpectations([withEntries(['stale']), withEntries(['met'])])).toEqual([
      entry('met'),
    ])
    expect(mergeExpectations([withEntries(['unused']), withEntries(['stale'])])).toEqual([
      entry('stale'),
    ])
    const none = sampleReport()
    delete none.expectations
    expect(mergeExpectations([none, none])).toBeUndefined()
  })

  it('keeps catalog titles, levels and order from the shards', () => {
    const rows = (ids: string[]) =>
      sampleReport({
        requirements: ids.map((id) => ({
          id,
          title: `title ${id}`,
          level: 'must' as const,
          verdict: 'pass' as const,
          scenarios: [],
          checks: [],
        })),
      })
    const catalog = catalogOf([rows(['A', 'C']), rows(['A', 'B', 'C', 'D'])])
    expect([...catalog.keys()]).toEqual(['A', 'B', 'C', 'D'])
    expect([...catalogOf([rows(['A', 'C']), rows(['B', 'C'])]).keys()]).toEqual(['A', 'B', 'C'])
    expect([...catalogOf([rows(['C', 'D']), rows(['A', 'B'])]).keys()]).toEqual([
      'C',
      'D',
      'A',
      'B',
    ])
    expect(catalog.get('B')).toEqual({ title: 'title B', level: 'must' })
  })
})

describe('mergeReports of shards that judged nothing', () => {
  it('errors the merged run, with the reason, though each shard alone passed', () => {
    const skipped = sampleScenarios()
      .slice(0, 2)
      .map((scenario) => ({ ...scenario, outcome: 'skipped' as const, steps: [] }))
    const start = '2026-01-02T03:04:05.000Z'
    const shards = skipped.map((scenario) => shard([scenario.id], start, 10, {}, [scenario]))
    expect(shards.map((report) => report.status)).toEqual(['passed', 'passed'])
    const merged = mergeReports(shards)
    expect([merged.status, merged.reason]).toEqual([
      'errored',
      'nothing was judged: of 2 scenarios, 2 skipped (see their reasons)',
    ])
  })
})

describe('mergeCommand', () => {
  async function files(reports: Record<string, string>) {
    const dir = await mkdtemp(join(tmpdir(), 'rep-merge-'))
    dirs.push(dir)
    for (const [name, text] of Object.entries(reports)) await writeFile(join(dir, name), text)
    return dir
  }

  it('merges report files, runs the reporters and exits like a run', async () => {
    const dir = await files({
      '1.json': serializeReport(
        shard(['registration/basic', 'registration/status-201'], '2026-01-02T03:04:05.000Z', 10),
      ),
      '2.json': serializeReport(shard(['management/read'], '2026-01-02T03:04:05.000Z', 10)),
    })
    const stdout = await memoryStream()
    const stderr = await memoryStream()
    const code = await mergeCommand(
      ['1.json', '2.json', '--reporter', 'console', '--reporter=json=merged/all.json'],
      { stdout, stderr, cwd: dir, env: {} },
    )
    expect(stderr.text()).toBe('')
    expect(code).toBe(1)
    expect(stdout.text()).toContain(
      '1 passed, 1 failed, 0 warned, 0 inconclusive, 1 skipped, 0 errored',
    )
    // The console summary ends with the requirement counts; then the file written is named.
    expect(stdout.text().trimEnd().split('\n').at(-1)).toBe(`json report: ${join(dir, 'merged/all.json')}`)
    expect(stdout.text().trimEnd().split('\n').at(-2)).toBe(
      'Requirements: 0 pass, 1 fail, 1 warn, 0 inconclusive, 1 not-applicable, 0 untested',
    )
    const merged = JSON.parse(await readFile(join(dir, 'merged/all.json'), 'utf8')) as Report
    expect(merged.scenarios.map((s) => s.id)).toEqual([
      'management/read',
      'registration/basic',
      'registration/status-201',
    ])
    expect(validateReport(merged)).toEqual([])

    const ok = await files({
      'ok.json': serializeReport(shard(passing, '2026-01-02T03:04:05.000Z', 10)),
    })
    expect(await mergeCommand(['ok.json'], { stdout, stderr, cwd: ok, env: {} })).toBe(0)
  })

  it('exits 2 with a message naming the bad file', async () => {
    const dir = await files({
      'good.json': serializeReport(shard(passing, '2026-01-02T03:04:05.000Z', 10)),
      'broken.json': '{"schemaVersion": 1,',
      'wrong.json': JSON.stringify({ schemaVersion: 1, hello: 'world' }),
    })
    const cases: [string[], RegExp][] = [
      [['good.json', 'broken.json'], /broken\.json: not valid JSON/],
      [
        ['good.json', 'wrong.json'],
        /wrong\.json: not a dcr-conformance report[\s\S]*must have required property 'tool'/,
      ],
      [['missing.json'], /missing\.json: cannot read/],
      [[], /at least one REPORT\.json/],
      [['good.json', '--reporter', 'tap'], /unknown reporter "tap"/],
      [['good.json', '--frobnicate'], /merge: Unknown option '--frobnicate'/],
      [['good.json', '--reporter'], /merge: Option '-r, --reporter <value>' argument missing/],
    ]
    for (const [argv, message] of cases) {
      const stdout = await memoryStream()
      const stderr = await memoryStream()
      expect(await mergeCommand(argv, { stdout, stderr, cwd: dir, env: {} }), argv.join(' ')).toBe(
        2,
      )
      expect(stderr.text()).toMatch(message)
    }
  })
})
