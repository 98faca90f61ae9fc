import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { UsageError } from '../../harness/errors.ts'
import type { Report } from '../../harness/types.ts'
import { serializeReport } from '../../reporters/json.ts'
import { mergeCommand, mergeReports } from '../../reporters/merge.ts'
import { countOutcomes, statusOf } from '../../reporters/summary.ts'
import { validateReport } from '../../reporters/validate.ts'
import { memoryStream, sampleReport, sampleScenarios } from './sample-report.ts'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

function shard(
  ids: string[],
  startedAt: string,
  durationMs: number,
  extra: Partial<Report> = {},
): Report {
  const scenarios = sampleScenarios().filter((s) => ids.includes(s.id))
  return sampleReport({
    scenarios,
    startedAt,
    durationMs,
    status: statusOf(scenarios),
    counts: countOutcomes(scenarios),
    notices: [],
    leftovers: [],
    ...extra,
  })
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
    expect(stdout.text()).toContain('1 passed, 1 failed, 0 warned, 1 skipped, 0 errored')
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
      [['good.json', '--frobnicate'], /unknown option --frobnicate/],
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
