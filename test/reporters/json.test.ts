import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import type { Report } from '../../harness/model/report.ts'
import { createJsonReporter, serializeReport } from '../../reporters/json.ts'
import { redactingReporter } from '../../reporters/redacting.ts'
import { validateReport } from '../../reporters/validate.ts'
import { memoryStream, replay, SAMPLE_BLOCKER, sampleReport, SAMPLE_COUNTS } from './sample-report.ts'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('json reporter', () => {
  it('writes the report to the stream, valid against report.schema.json', async () => {
    const stream = await memoryStream()
    await replay(
      redactingReporter(createJsonReporter({ stream }), createRedactor()),
      sampleReport(),
    )
    const report = JSON.parse(stream.text()) as Report
    expect(validateReport(report)).toEqual([])
    expect(report.schemaVersion).toBe(1)
    expect(report.status).toBe('errored')
    expect(report.counts).toEqual(SAMPLE_COUNTS)
    expect(report.scenarios.map((s) => s.outcome)).toEqual([
      'errored',
      'passed',
      'skipped',
      'passed',
      'warned',
      'inconclusive',
      'inconclusive',
      'failed',
      'failed',
    ])
    expect(report.scenarios.find((s) => s.id === 'registration/redirect-uris')?.blocker).toEqual(
      SAMPLE_BLOCKER,
    )
    const excused = report.scenarios.find((s) => s.id === 'token/refresh')?.steps[0]?.checks[0]
    expect(excused?.excused).toBe('refresh tokens are not rotated (vendor docs)')
    expect(report.requirements.find((r) => r.id === 'R6749-6-a')).toMatchObject({
      verdict: 'fail',
      excused: true,
      title: 'Refresh tokens are rotated',
      level: 'must',
      scenarios: ['token/refresh'],
    })
    expect(report.rootCauses).toEqual([
      {
        cause: 'register: status: expected 2xx, got 400',
        action: 'register',
        answer: 'status: expected 2xx, got 400',
        violates: 'R7591-3.2.1-a',
        scenarios: ['registration/redirect-uris', 'registration/software-statement'],
      },
    ])
    expect(report.expectations?.map((entry) => entry.state)).toEqual(['met', 'stale', 'unused'])
    expect(Object.keys(report)).toEqual([
      'schemaVersion',
      'tool',
      'target',
      'startedAt',
      'durationMs',
      'seed',
      'status',
      'counts',
      'scenarios',
      'requirements',
      'rootCauses',
      'expectations',
      'caveats',
      'leftovers',
      'notices',
    ])
  })

  it('writes to a file, creating folders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rep-json-'))
    dirs.push(dir)
    const path = join(dir, 'deep', 'er', 'report.json')
    await createJsonReporter({ path }).onRunEnd(sampleReport())
    expect(validateReport(JSON.parse(await readFile(path, 'utf8')))).toEqual([])
  })

  it('drops members outside the contract', () => {
    const report = { ...sampleReport(), extra: 'nope' } as Report
    expect(validateReport(report)).toContain('/: must NOT have additional properties (extra)')
    expect(validateReport(JSON.parse(serializeReport(report)))).toEqual([])
  })
})

describe('report.schema.json', () => {
  it('is strict about required members and enums', () => {
    const valid = JSON.parse(serializeReport(sampleReport())) as Record<string, any>
    expect(validateReport(valid)).toEqual([])
    const broken = structuredClone(valid)
    broken.status = 'warned'
    broken.scenarios[0].outcome = 'flaky'
    broken.scenarios[1].steps[0].checks[0].level = 'must-ish'
    broken.scenarios[1].steps[0].action = 'teleport'
    delete broken.scenarios[2].message
    delete broken.counts.total
    delete broken.counts.inconclusive
    broken.scenarios[5].blocker.action = 'teleport'
    delete broken.scenarios[6].blocker.cause
    broken.scenarios[1].expected = { outcome: 'failed', reason: 'the old model' }
    broken.requirements[0].verdict = 'maybe'
    broken.rootCauses[0].scenarios = []
    broken.expectations[0].state = 'half-met'
    broken.schemaVersion = 2
    broken.startedAt = 'yesterday'
    const errors = validateReport(broken)
    expect(errors).toEqual(
      expect.arrayContaining([
        '/status: must be equal to one of the allowed values (passed, failed, errored, interrupted)',
        '/scenarios/0/outcome: must be equal to one of the allowed values (passed, failed, warned, inconclusive, skipped, errored)',
        '/scenarios/1/steps/0/checks/0/level: must be equal to one of the allowed values (must, should, may)',
        '/scenarios/1/steps/0/action: must be equal to one of the allowed values (token, register, http, authorize, parallel, use)',
        "/scenarios/2: must have required property 'message'",
        "/counts: must have required property 'total'",
        "/counts: must have required property 'inconclusive'",
        '/scenarios/5/blocker/action: must be equal to one of the allowed values (token, register, http, authorize, parallel, use)',
        "/scenarios/6/blocker: must have required property 'cause'",
        '/scenarios/1: must NOT have additional properties (expected)',
        '/requirements/0/verdict: must be equal to one of the allowed values (pass, fail, warn, inconclusive, not-applicable, untested)',
        '/rootCauses/0/scenarios: must NOT have fewer than 1 items',
        '/expectations/0/state: must be equal to one of the allowed values (met, stale, unused)',
        '/schemaVersion: must be equal to constant',
        '/startedAt: must match format "date-time"',
      ]),
    )
  })
})
