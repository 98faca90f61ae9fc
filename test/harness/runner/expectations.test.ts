import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyExpectation, loadExpectations } from '../../../harness/runner/expectations.ts'
import type { ScenarioResult } from '../../../harness/types.ts'
import { expectationState } from '../../../reporters/summary.ts'

async function file(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'dcrc-expect-')), 'expectations.yaml')
  await writeFile(path, text)
  return path
}

const result = (outcome: ScenarioResult['outcome']): ScenarioResult => ({
  id: 'a/b',
  title: 't',
  file: 'f',
  requirements: [],
  tags: [],
  outcome,
  durationMs: 1,
  steps: [],
})

describe('loadExpectations', () => {
  it('loads entries by scenario id', async () => {
    const path = await file(
      'expectations:\n  - { scenario: a/b, outcome: failed, reason: "known bug", requirement: R-1 }\n',
    )
    expect(await loadExpectations(path, new Set(['a/b']))).toEqual(
      new Map([['a/b', { outcome: 'failed', reason: 'known bug', requirement: 'R-1' }]]),
    )
  })

  it('reports bad entries with their locations', async () => {
    const path = await file(
      'expectations:\n  - { scenario: a/b, outcome: passed, reason: x }\n  - { scenario: a/c, outcome: failed }\n',
    )
    await expect(loadExpectations(path, new Set(['a/b']))).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          message: expect.stringMatching(
            /expectations\.yaml:2:\d+: expectations\.0\.outcome: must be one of failed, warned, errored, skipped/,
          ),
        }),
        expect.objectContaining({
          message: expect.stringMatching(
            /expectations\.yaml:3:\d+: expectations\.1: missing required key 'reason'/,
          ),
        }),
      ],
    })
  })

  it('refuses unknown and repeated scenario ids', async () => {
    const path = await file(
      'expectations:\n  - { scenario: a/b, outcome: failed, reason: x }\n  - { scenario: a/b, outcome: failed, reason: y }\n  - { scenario: z/z, outcome: failed, reason: z }\n',
    )
    await expect(loadExpectations(path, new Set(['a/b']))).rejects.toMatchObject({
      message: expect.stringMatching(
        /:3:\d+: scenario 'a\/b' is listed twice\n.*:4:\d+: unknown scenario 'z\/z'/,
      ),
    })
  })
})

describe('applyExpectation', () => {
  it('marks expected outcomes and stale ones', () => {
    const expectation = { outcome: 'failed' as const, reason: 'known' }
    expect(applyExpectation(result('failed'), expectation).expected).toEqual({
      outcome: 'failed',
      reason: 'known',
    })
    expect(applyExpectation(result('passed'), expectation).expected).toEqual({
      outcome: 'failed',
      reason: 'known',
      stale: true,
    })
    expect(applyExpectation(result('passed'), undefined).expected).toBeUndefined()
  })

  it('is stale exactly when the reporters call it stale (better than expected)', () => {
    const cases: [ScenarioResult['outcome'], ScenarioResult['outcome'], boolean][] = [
      ['failed', 'warned', true],
      ['errored', 'failed', true],
      ['warned', 'passed', true],
      ['warned', 'failed', false],
      ['failed', 'errored', false],
      ['skipped', 'passed', false],
      ['failed', 'skipped', false],
    ]
    for (const [expected, actual, stale] of cases) {
      const marked = applyExpectation(result(actual), { outcome: expected, reason: 'r' })
      expect([expected, actual, marked.expected?.stale === true]).toEqual([expected, actual, stale])
      expect(expectationState(marked) === 'stale').toBe(stale)
    }
  })
})
