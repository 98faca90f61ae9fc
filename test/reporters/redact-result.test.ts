import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import { redactResult } from '../../reporters/redact-result.ts'
import type { ScenarioResult } from '../../harness/model/result.ts'

const result: ScenarioResult = {
  id: 'curity/iat-client-credentials',
  title: 'The client credentials grant gives an IAT',
  file: 'suites/curity/iat-client-credentials.yaml',
  requirements: ['CUR-IAT-1'],
  tags: ['iat-client-credentials'],
  outcome: 'failed',
  durationMs: 1,
  steps: [
    {
      id: 'iat-client-credentials',
      action: 'token',
      outcome: 'failed',
      durationMs: 1,
      checks: [
        { name: 'status', level: 'must', ok: false, requirement: 'CUR-IAT-1', message: 'got iat-client-credentials' },
      ],
      exchanges: [],
      artifacts: [],
    },
  ],
}

describe('redactResult', () => {
  it('never rewrites what the suite names, even when a learned secret occurs in it', () => {
    const redactor = createRedactor()
    redactor.learn('iat-client-credentials')
    const redacted = redactResult(result, redactor)
    expect(redacted.id).toBe('curity/iat-client-credentials')
    expect(redacted.title).toBe(result.title)
    expect(redacted.file).toBe(result.file)
    expect(redacted.tags).toEqual(['iat-client-credentials'])
    expect(redacted.steps[0]?.id).toBe('iat-client-credentials')
    expect(redacted.steps[0]?.checks[0]?.requirement).toBe('CUR-IAT-1')
    // What came from the target is still redacted.
    expect(redacted.steps[0]?.checks[0]?.message).toBe('got [REDACTED]')
  })
})

describe('suite text never teaches the redactor', () => {
  it('a title or check name with "Bearer challenge" does not make "challenge" a secret', () => {
    const redactor = createRedactor()
    const titled: ScenarioResult = {
      ...result,
      title: 'Without a token: 401 and a Bearer challenge',
      steps: [
        {
          ...result.steps[0]!,
          checks: [{ name: 'WWW-Authenticate carries a Bearer challenge', level: 'must', ok: true, requirement: 'R6750-3-a' }],
        },
      ],
    }
    const kept = redactResult(titled, redactor)
    expect(kept.title).toBe(titled.title)
    expect(kept.steps[0]?.checks[0]?.name).toBe('WWW-Authenticate carries a Bearer challenge')
    expect(redactor.redactText('code_challenge=abc&code_challenge_method=S256')).toBe(
      'code_challenge=abc&code_challenge_method=S256',
    )
  })

  it('check names still lose a secret the run learned from the target', () => {
    const redactor = createRedactor()
    redactor.learn('s3cr3t-value-from-target')
    const named: ScenarioResult = {
      ...result,
      steps: [{ ...result.steps[0]!, checks: [{ name: 'token s3cr3t-value-from-target', level: 'must', ok: true }] }],
    }
    expect(redactResult(named, redactor).steps[0]?.checks[0]?.name).not.toContain('s3cr3t-value-from-target')
  })
})
