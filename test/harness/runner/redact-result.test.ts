import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../../harness/redact.ts'
import { redactResult } from '../../../harness/runner/redact-result.ts'
import type { ScenarioResult } from '../../../harness/types.ts'

const result: ScenarioResult = {
  id: 'curity/iat-client-credentials',
  title: 'The client credentials grant gives an IAT',
  file: 'suites/curity/iat-client-credentials.yaml',
  requirements: ['CUR-IAT-1'],
  tags: ['credentials'],
  outcome: 'failed',
  durationMs: 1,
  steps: [
    {
      id: 'credentials',
      action: 'token',
      outcome: 'failed',
      durationMs: 1,
      checks: [
        { name: 'status', level: 'must', ok: false, requirement: 'CUR-IAT-1', message: 'got credentials' },
      ],
      exchanges: [],
      artifacts: [],
    },
  ],
}

describe('redactResult', () => {
  it('never rewrites what the suite names, even when a learned secret occurs in it', () => {
    const redactor = createRedactor()
    redactor.learn('credentials')
    const redacted = redactResult(result, redactor)
    expect(redacted.id).toBe('curity/iat-client-credentials')
    expect(redacted.title).toBe(result.title)
    expect(redacted.file).toBe(result.file)
    expect(redacted.tags).toEqual(['credentials'])
    expect(redacted.steps[0]?.id).toBe('credentials')
    expect(redacted.steps[0]?.checks[0]?.requirement).toBe('CUR-IAT-1')
    // What came from the target is still redacted.
    expect(redacted.steps[0]?.checks[0]?.message).not.toContain('credentials')
  })
})
