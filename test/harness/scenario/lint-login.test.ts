import { describe, expect, it } from 'vitest'
import { lintLoginMode } from '../../../harness/scenario/lint-login.ts'
import type { ScenarioDoc, StepDoc } from '../../../harness/model/scenario.ts'

function problems(doc: Partial<ScenarioDoc> & { steps: StepDoc[] }): string[] {
  const found: string[] = []
  lintLoginMode(
    { id: 'x/y', title: 't', requirements: ['R'], ...doc },
    (path, reason) => found.push(`${path.join('.')}: ${reason}`),
  )
  return found
}

const reg: StepDoc = { id: 'reg', register: { metadata: {} } }
const client = { client: { client_id: 'c1', redirect_uris: ['http://127.0.0.1/cb'] } }

describe("the scenario's login key", () => {
  it('asks for login: fresh where an authorize step tests the login itself', () => {
    const steps: StepDoc[] = [
      reg,
      { id: 'page', authorize: { ...client, login: false } },
      { id: 'prompt', authorize: { ...client, prompt: 'login' } },
      { id: 'age', authorize: { ...client, params: { max_age: '0' } } },
      {
        id: 'checked',
        authorize: client,
        expect: [{ subject: '${{ steps.checked }}', is: {}, when_present: 'page' }],
      },
    ]
    const found = problems({ steps })
    expect(found.map((line) => line.split(':')[0])).toEqual([
      'steps.1.authorize.login',
      'steps.2.authorize.prompt',
      'steps.3.authorize.params.max_age',
      'steps.4.expect.0.when_present',
    ])
    expect(found[0]).toContain("add 'login: fresh'")
    expect(problems({ steps, login: 'fresh' })).toEqual([])
  })

  it('accepts a plain login without the key, and refuses login: fresh with no authorize step', () => {
    expect(problems({ steps: [reg, { id: 'login', authorize: client }] })).toEqual([])
    expect(problems({ steps: [reg], login: 'fresh' })).toEqual([
      'login: login: fresh has no effect: the scenario has no authorize step',
    ])
  })
})
