import { describe, expect, it } from 'vitest'
import { rootCauseLine, rootCauses } from '../../../harness/verdicts/root-causes.ts'
import type { Blocker, ScenarioResult } from '../../../harness/model/result.ts'

function blocked(id: string, answer: string, violates?: string): ScenarioResult {
  const blocker: Blocker = {
    step: 'reg',
    action: 'register',
    answer,
    cause: `register: ${answer}`,
    ...(violates ? { violates } : {}),
  }
  return {
    id,
    title: id,
    file: `suites/${id}.yaml`,
    requirements: ['R-X'],
    tags: [],
    outcome: 'inconclusive',
    durationMs: 1,
    blocker,
    steps: [],
  }
}

describe('rootCauses', () => {
  it('groups inconclusive scenarios by the same unexpected answer, largest group first', () => {
    const causes = rootCauses([
      blocked('a/1', 'status: expected 2xx, got 400'),
      blocked('a/2', 'body: /client_id: expected a string, but it is absent'),
      blocked('a/3', 'status: expected 2xx, got 400'),
    ])
    expect(causes.map((cause) => [cause.answer, cause.scenarios])).toEqual([
      ['status: expected 2xx, got 400', ['a/1', 'a/3']],
      ['body: /client_id: expected a string, but it is absent', ['a/2']],
    ])
    expect(rootCauseLine(causes[0]!)).toBe('register: status: expected 2xx, got 400: blocks 2 scenarios')
  })

  it('names the requirement the answer violates', () => {
    const [cause] = rootCauses([blocked('a/1', 'registration_client_uri is relative', 'R7592-3-a')])
    expect(rootCauseLine(cause!)).toMatch(/blocks 1 scenario; the answer violates R7592-3-a$/)
  })
})
