/**
 * Expectations rendered one by one (harness/runner/step-checks.ts): a check naming a member the
 * step's own answer lacks is a failed check, not an errored step; any other template error still
 * throws.
 */
import { describe, expect, it } from 'vitest'
import { SchemaRegistry } from '../../../harness/checks/schemas.ts'
import type { StepDoc } from '../../../harness/model/scenario.ts'
import type { StepData } from '../../../harness/model/result.ts'
import { expectationChecks } from '../../../harness/runner/step-checks.ts'
import { gatedByPreconditions, outcomeOfChecks } from '../../../harness/runner/step.ts'

const schemas = SchemaRegistry.fromSchemas(new Map())
const refusal: StepData = { status: 400, body: { error: 'invalid_client_metadata' } }
const step: StepDoc = {
  id: 'reg',
  register: { metadata: {} },
  expect: [
    { status: '2xx', body: { client_id: { $type: 'string' } } },
    {
      body: { registration_client_uri: { $match: '/${{ steps.reg.body.client_id }}$' } },
      requirement: 'CUR-MGMT-1',
      name: 'registration_client_uri ends with the client_id',
    },
  ],
}

describe('expectationChecks', () => {
  it("a member the step's own answer lacks fails its check, gated by the precondition", () => {
    const scope = { steps: { reg: refusal } }
    const { checks, notEvaluated } = expectationChecks(step, refusal, scope, schemas)
    expect([...notEvaluated]).toEqual([checks[2]])
    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ['status', false],
      ['body', false],
      ['registration_client_uri ends with the client_id', false],
    ])
    expect(checks[2]!.message).toMatch(/^not evaluated: unresolved reference steps\.reg\.body/)
    expect(checks[2]!.requirement).toBe('CUR-MGMT-1')
    const gated = gatedByPreconditions(checks)
    expect(gated[2]!.notApplicable).toMatch(/precondition 'status'/)
    expect(outcomeOfChecks(gated)).toBe('inconclusive')
  })

  it('renders every expectation of a good answer', () => {
    const created: StepData = {
      status: 201,
      body: { client_id: 'c1', registration_client_uri: 'https://as.test/register/c1' },
    }
    const scope = { steps: { reg: created } }
    const { checks, notEvaluated } = expectationChecks(step, created, scope, schemas)
    expect(checks.every((check) => check.ok)).toBe(true)
    expect(notEvaluated.size).toBe(0)
  })

  it('an absent when_present feature makes an unrenderable check not applicable', () => {
    const optional: StepDoc = {
      ...step,
      expect: {
        body: { x: '${{ steps.reg.body.client_id }}' },
        when_present: 'body.client_id',
        requirement: 'R-1',
        violates: 'R-2',
      },
    }
    const scope = { steps: { reg: refusal } }
    const { checks, notEvaluated } = expectationChecks(optional, refusal, scope, schemas)
    const notApplicable = 'body.client_id is absent'
    const check = { name: 'body', level: 'must', ok: true, requirement: 'R-1', notApplicable }
    expect(checks).toEqual([check])
    expect(notEvaluated.size).toBe(0)
  })

  it("a reference to another step's missing member still throws (the scenario's mistake)", () => {
    const other: StepDoc = { ...step, expect: { subject: '${{ steps.read.body.x }}', is: 1 } }
    const scope = { steps: { reg: refusal, read: { status: 200, body: {} } } }
    expect(() => expectationChecks(other, refusal, scope, schemas)).toThrow(/E_TEMPLATE|unresolved/)
  })
})
