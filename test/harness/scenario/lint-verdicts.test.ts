import { describe, expect, it } from 'vitest'
import { catalogLevels, lintVerdictRules } from '../../../harness/scenario/lint-verdicts.ts'
import type { ScenarioDoc, StepDoc } from '../../../harness/model/scenario.ts'

const levels = catalogLevels(
  new Map([
    ['R-MUST', { level: 'must' }],
    ['R-SHOULD', { level: 'should' }],
  ]),
)

function lint(steps: StepDoc[], requirements = ['R-MUST']): string[] {
  const doc: ScenarioDoc = { id: 'x/y', title: 'y', requirements, steps }
  const found: string[] = []
  lintVerdictRules(doc, levels, (id) => id.startsWith('R-'), (path, reason) =>
    found.push(`${path.join('.')}: ${reason}`),
  )
  return found
}

const http = { url: 'https://x.test/' }

describe('lintVerdictRules', () => {
  it('accepts checks at their catalog level and preconditions without a requirement', () => {
    expect(
      lint([
        { id: 'reg', http, expect: { status: '2xx' } },
        { id: 'a', http, expect: [{ status: 201, requirement: 'R-MUST' }] },
      ]),
    ).toEqual([])
  })

  it('wants the catalog level unless the check says why it differs', () => {
    expect(lint([{ id: 'a', http, expect: [{ status: 201, requirement: 'R-MUST', level: 'should' }] }])).toEqual([
      'steps.0.expect.0.level: level should differs from the catalog level must of R-MUST: use must, or say why in level_reason',
    ])
    expect(lint([{ id: 'a', http, expect: { status: 201, requirement: 'R-SHOULD' } }], ['R-SHOULD'])).toEqual([
      'steps.0.expect: level must differs from the catalog level should of R-SHOULD: use should, or say why in level_reason',
    ])
    const explained = { status: 201, requirement: 'R-MUST', level: 'should' as const, level_reason: 'RFC says so' }
    expect(lint([{ id: 'a', http, expect: explained }])).toEqual([])
  })

  it('reads the level and requirement a step gives its checks', () => {
    expect(lint([{ id: 'a', http, requirement: 'R-SHOULD', level: 'should', expect: { status: 1 } }], ['R-SHOULD'])).toEqual([])
  })

  it('wants a scenario to test something, and every listed requirement', () => {
    expect(lint([{ id: 'reg', http, expect: { status: '2xx' } }])).toEqual([
      'requirements: no check names a requirement: a scenario must test something (docs/verdicts.md)',
    ])
    expect(lint([{ id: 'a', http, expect: { status: 1, requirement: 'R-MUST' } }], ['R-MUST', 'R-SHOULD'])).toEqual([
      'requirements.1: no check of this scenario tests R-SHOULD',
    ])
  })

  it('keeps violates to preconditions and to known requirements', () => {
    expect(
      lint([
        { id: 'reg', http, expect: { status: '2xx', violates: 'NOPE' } },
        { id: 'a', http, expect: { status: 1, requirement: 'R-MUST', violates: 'R-SHOULD' } },
      ]),
    ).toEqual([
      'steps.0.expect.violates: unknown requirement "NOPE"',
      'steps.1.expect.violates: "violates" is for preconditions; this check proves R-MUST itself',
    ])
  })
})
