/**
 * The properties on answers made up here: every check can fail, and what a conformant server may
 * do (refuse with a §3.2.2 code, ignore or replace a value, leave a member out) passes.
 */
import { describe, expect, it } from 'vitest'
import { SchemaRegistry } from '../../../harness/checks/schemas.ts'
import { evaluateExpectations } from '../../../harness/checks/evaluate.ts'
import { propertyChecks, REFUSED_CLIENT_CHECK } from '../../../harness/fuzz/oracle.ts'
import { renderTemplate } from '../../../harness/scenario/template.ts'
import type { FuzzCase } from '../../../harness/fuzz/case.ts'
import type { StepData } from '../../../harness/model/result.ts'

const schemas = await SchemaRegistry.load()

/** The property ids whose check fails on `data`. */
function failing(fuzzCase: FuzzCase, data: StepData): string[] {
  const checks = propertyChecks(fuzzCase)
  const rendered = renderTemplate(
    checks.map((c) => c.expectation),
    { steps: { register: data } },
  ) as (typeof checks)[number]['expectation'][]
  const results = evaluateExpectations(rendered, data, { level: 'must' }, schemas)
  return results.flatMap((result, index) => (result.ok ? [] : [checks[index]!.id]))
}

const answer = (status: number, body: unknown): StepData => ({ status, headers: {}, body })

const valid: FuzzCase = {
  kind: 'unicode',
  metadata: {
    redirect_uris: ['https://rp.harness.test/a', 'https://rp.harness.test/b'],
    contacts: ['é@rp.harness.test'],
  },
  echoed: ['redirect_uris', 'contacts'],
}
const fragment: FuzzCase = {
  kind: 'fragment',
  metadata: { redirect_uris: ['https://rp.harness.test/', 'https://rp.harness.test/#'] },
  echoed: [],
  invalid: {
    member: 'redirect_uris',
    notRegistered: { redirect_uris: { $not: { $contains: 'https://rp.harness.test/#' } } },
    why: 'a fragment',
    requirement: 'R6749-3.1.2-a',
    level: 'must',
  },
}

describe('fuzz properties', () => {
  it('pass a conformant success: 201, a client_id, the values echoed (lists in any order)', () => {
    const body = {
      client_id: 'c1',
      redirect_uris: ['https://rp.harness.test/b', 'https://rp.harness.test/a'],
      contacts: ['é@rp.harness.test'],
    }
    expect(failing(valid, answer(201, body))).toEqual([])
  })

  it('pass a member the server left out, and a refusal with a §3.2.2 code', () => {
    expect(failing(valid, answer(201, { client_id: 'c1' }))).toEqual([])
    expect(failing(valid, answer(400, { error: 'invalid_client_metadata' }))).toEqual([])
    expect(failing(fragment, answer(400, { error: 'invalid_redirect_uri' }))).toEqual([])
  })

  it('fail a 5xx, a refusal without a §3.2.2 code, a 200, a success without client_id', () => {
    expect(failing(valid, answer(500, '<html>'))).toEqual(['no-5xx'])
    expect(failing(valid, answer(400, { error: 'invalid_request' }))).toEqual(['refusal'])
    expect(failing(valid, answer(422, { error: 'invalid_client_metadata' }))).toEqual(['refusal'])
    expect(failing(valid, answer(200, { client_id: 'c1' }))).toEqual(['created'])
    expect(failing(valid, answer(201, { client_secret: 's' }))).toEqual(['client-id'])
  })

  it('allow 413 only for large requests', () => {
    expect(failing(valid, answer(413, ''))).toEqual(['refusal'])
    expect(failing({ ...valid, kind: 'oversized', large: true }, answer(413, ''))).toEqual([])
  })

  it('fail a garbled or partial echo', () => {
    const garbled = { client_id: 'c1', contacts: ['Ã©@rp.harness.test'] }
    expect(failing(valid, answer(201, garbled))).toEqual(['echo:contacts'])
    const partial = { client_id: 'c1', redirect_uris: ['https://rp.harness.test/a'] }
    expect(failing(valid, answer(201, partial))).toEqual(['echo:redirect_uris'])
  })

  it('fail an invalid value registered, pass it dropped', () => {
    const both = ['https://rp.harness.test/', 'https://rp.harness.test/#']
    const registered = answer(201, { client_id: 'c1', redirect_uris: both })
    expect(failing(fragment, registered)).toEqual(['invalid:fragment:redirect_uris'])
    const dropped = answer(201, { client_id: 'c1', redirect_uris: ['https://rp.harness.test/'] })
    expect(failing(fragment, dropped)).toEqual([])
  })

  it('judge a duplicated member by both values sent', () => {
    const duplicate: FuzzCase = {
      kind: 'duplicate-keys',
      metadata: { client_name: 'b' },
      rawBody: '{"client_name":"a","client_name":"b"}',
      echoed: [],
      duplicate: { member: 'client_name', values: ['a', 'b'] },
    }
    const named = (name: string) => answer(201, { client_id: 'c', client_name: name })
    expect(failing(duplicate, named('a'))).toEqual([])
    expect(failing(duplicate, named('b'))).toEqual([])
    expect(failing(duplicate, named('ab'))).toEqual(['duplicate:client_name'])
  })

  it('has a refused-client check that fails when the refused client can be read', () => {
    const judge = (status: number) =>
      evaluateExpectations([REFUSED_CLIENT_CHECK.expectation], answer(status, {}), { level: 'must' }, schemas)
    expect(judge(200)[0]?.ok).toBe(false)
    expect(judge(401)[0]?.ok).toBe(true)
  })
})
