/**
 * What counts as a refusal (harness/checks/refusal.ts), as `refused: true` and `$refusal` judge
 * it: nothing created, and a 4xx or an OAuth error member, whatever else the status says.
 */
import { describe, expect, it } from 'vitest'
import { whyNotRefused } from '../../../harness/checks/refusal.ts'
import { matchValue } from '../../../harness/checks/matchers.ts'
import { evaluateExpectations } from '../../../harness/checks/evaluate.ts'
import { SchemaRegistry } from '../../../harness/checks/schemas.ts'

describe('whyNotRefused', () => {
  it('a 4xx, or a 2xx carrying an OAuth error, with nothing created, is a refusal', () => {
    expect(whyNotRefused({ status: 400, body: { error: 'invalid_redirect_uri' } })).toBeUndefined()
    expect(whyNotRefused({ status: 403, body: '<html>no</html>' })).toBeUndefined()
    const errorIn200 = { status: 200, body: { error: 'invalid_client_metadata' } }
    expect(whyNotRefused(errorIn200)).toBeUndefined()
  })

  it('a created client or issued token, a 5xx, a bare 2xx or no answer is not', () => {
    expect(whyNotRefused({ status: 201, body: { client_id: 'c' } })).toBe(
      'expected a refusal, got 201 with client_id',
    )
    expect(whyNotRefused({ status: 400, body: { client_id: 'c', error: 'x' } })).toBe(
      'expected a refusal, got 400 with client_id',
    )
    expect(whyNotRefused({ status: 200, body: { access_token: 't', error: 'x' } })).toBe(
      'expected a refusal, got 200 with access_token',
    )
    expect(whyNotRefused({ status: 500, body: { error: 'server_error' } })).toBe(
      'expected a refusal (a 4xx, or an OAuth error member), got 500',
    )
    expect(whyNotRefused({ status: 200, body: {} })).toMatch(/got 200$/)
    expect(whyNotRefused({ status: 302 })).toMatch(/got 302$/)
    expect(whyNotRefused(undefined)).toBe('expected a refusal, got no HTTP answer')
  })
})

describe('$refusal and refused: true', () => {
  const schemas = SchemaRegistry.fromSchemas(new Map())

  it('$refusal matches a refusal in $anyOf and reports the status otherwise', () => {
    const dropped = { body: { scope: { $absent: true } } }
    const refusedOrDropped = { $anyOf: [{ $refusal: true }, dropped] }
    const errorIn200 = { status: 200, body: { error: 'invalid_scope' } }
    expect(matchValue(errorIn200, refusedOrDropped)).toEqual([])
    const [found] = matchValue({ status: 201, body: { client_id: 'c' } }, { $refusal: true })
    expect(found).toMatchObject({ pointer: '', actual: 201, expected: { $refusal: true } })
  })

  it('refused: true is one check on the whole step data, named refused', () => {
    const defaults = { level: 'must' as const, requirement: 'R6749-3.1.2-a' }
    const [refusal] = evaluateExpectations(
      [{ refused: true }],
      { status: 200, body: { error: 'invalid_redirect_uri' } },
      defaults,
      schemas,
    )
    expect(refusal).toMatchObject({ name: 'refused', ok: true, requirement: 'R6749-3.1.2-a' })
    const [accepted] = evaluateExpectations(
      [{ refused: true, name: 'refused: /cb' }],
      { status: 201, body: { client_id: 'c' } },
      defaults,
      schemas,
    )
    expect(accepted).toMatchObject({
      name: 'refused: /cb',
      ok: false,
      message: 'expected a refusal, got 201 with client_id',
      actual: 201,
    })
  })
})
