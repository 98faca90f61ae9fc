import { describe, expect, it } from 'vitest'
import { evaluateExpectations } from '../../../harness/checks/evaluate.ts'
import { SchemaRegistry } from '../../../harness/checks/schemas.ts'
import type { StepData } from '../../../harness/model/result.ts'

const schemas = SchemaRegistry.fromSchemas(
  new Map([
    [
      'client',
      { type: 'object', required: ['client_id'], properties: { client_id: { type: 'string' } } },
    ],
  ]),
)
const data: StepData = {
  status: 401,
  headers: {
    'www-authenticate': 'Bearer error="invalid_token"',
    'content-type': 'application/json',
  },
  body: { error: 'invalid_token', client_secret_expires_at: '0' },
}
const defaults = { level: 'must' as const, requirement: 'CUR-IAT-3' }

describe('evaluateExpectations', () => {
  it('makes one check per present key, named after what it checks', () => {
    const results = evaluateExpectations(
      [
        {
          status: 401,
          headers: {
            'WWW-Authenticate': { $match: 'invalid_token' },
            'Content-Type': 'application/json',
          },
          body: { error: 'invalid_token' },
        },
      ],
      data,
      defaults,
      schemas,
    )
    expect(results).toEqual([
      { name: 'status', level: 'must', ok: true, requirement: 'CUR-IAT-3' },
      { name: 'headers.www-authenticate', level: 'must', ok: true, requirement: 'CUR-IAT-3' },
      { name: 'headers.content-type', level: 'must', ok: true, requirement: 'CUR-IAT-3' },
      { name: 'body', level: 'must', ok: true, requirement: 'CUR-IAT-3' },
    ])
  })

  it('fails with every mismatch in the message and the first as expected/actual', () => {
    const [status, body] = evaluateExpectations(
      [
        {
          status: 201,
          body: { error: 'invalid_request', client_secret_expires_at: { $type: 'integer' } },
        },
      ],
      data,
      defaults,
      schemas,
    )
    expect(status).toEqual({
      name: 'status',
      level: 'must',
      ok: false,
      requirement: 'CUR-IAT-3',
      message: 'expected 201, got 401',
      expected: 201,
      actual: 401,
    })
    expect(body?.ok).toBe(false)
    expect(body?.message).toBe(
      '/error: expected "invalid_request", got "invalid_token"; /client_secret_expires_at: expected type integer, got string "0"',
    )
    expect(body?.expected).toBe('invalid_request')
    expect(body?.actual).toBe('invalid_token')
  })

  it('takes level, requirement and name from the expectation', () => {
    const results = evaluateExpectations(
      [
        {
          headers: { 'www-authenticate': { $match: 'insufficient_scope' } },
          level: 'should',
          requirement: 'R6750-3.1-a',
        },
        { status: { $in: [400, 401] }, name: 'rejected' },
        { status: 401, body: { error: 'invalid_token' }, name: 'rejected with a reason' },
      ],
      data,
      { level: 'may' },
      schemas,
    )
    expect(
      results.map(({ name, level, ok, requirement }) => ({ name, level, ok, requirement })),
    ).toEqual([
      { name: 'headers.www-authenticate', level: 'should', ok: false, requirement: 'R6750-3.1-a' },
      { name: 'rejected', level: 'may', ok: true, requirement: undefined },
      { name: 'rejected with a reason (status)', level: 'may', ok: true, requirement: undefined },
      { name: 'rejected with a reason (body)', level: 'may', ok: true, requirement: undefined },
    ])
    expect(results[0]?.message).toBe(
      '/www-authenticate: expected a string matching /insufficient_scope/, got "Bearer error=\\"invalid_token\\""',
    )
  })

  it('validates schemas, queries and subjects', () => {
    const results = evaluateExpectations(
      [
        { schema: 'client' },
        { query: { code: { $present: true }, error: { $absent: true } } },
        { subject: 'abc', is: { $length: 3 } },
        { subject: 3, is: 4 },
      ],
      { ...data, query: { code: 'xyz' } },
      defaults,
      schemas,
    )
    expect(results.map(({ name, ok, message }) => ({ name, ok, message }))).toEqual([
      { name: 'schema client', ok: false, message: '/: missing required member "client_id"' },
      { name: 'query', ok: true, message: undefined },
      { name: 'subject', ok: true, message: undefined },
      { name: 'subject', ok: false, message: 'expected 4, got 3' },
    ])
  })

  it('treats a missing part of the step data as a mismatch, never a throw', () => {
    const results = evaluateExpectations(
      [
        {
          status: 201,
          headers: { location: { $present: true } },
          body: { client_id: { $type: 'string' } },
          schema: 'client',
          query: { code: 'x' },
        },
        { schema: 'unknown' },
      ],
      {},
      defaults,
      schemas,
    )
    expect(results.map(({ name, ok, message }) => ({ name, ok, message }))).toEqual([
      { name: 'status', ok: false, message: 'expected 201, but it is absent' },
      {
        name: 'headers.location',
        ok: false,
        message: '/location: expected present, but it is absent',
      },
      { name: 'body', ok: false, message: '/: expected an object, got absent' },
      { name: 'schema client', ok: false, message: '/: no body to validate' },
      { name: 'query', ok: false, message: '/: expected an object, got absent' },
      { name: 'schema unknown', ok: false, message: 'unknown schema "unknown"' },
    ])
  })
})

describe('preconditions, status classes and features that may be absent', () => {
  it('leaves a check without a requirement as a precondition, naming what it violates', () => {
    const [result] = evaluateExpectations(
      [{ status: '2xx', violates: 'R7592-3-a' }],
      { status: 400 },
      { level: 'must' },
      schemas,
    )
    expect(result).toMatchObject({ name: 'status', ok: false, violates: 'R7592-3-a' })
    expect(result?.requirement).toBeUndefined()
  })

  it('matches a status class', () => {
    const check = (status: number) =>
      evaluateExpectations([{ status: '2xx' }], { status }, { level: 'must' }, schemas)[0]?.ok
    expect([check(200), check(201), check(299), check(300), check(400)]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ])
  })

  it('reports a check on an absent feature as not applicable, and checks a present one', () => {
    const expectation = { body: { at_hash: 'abc' }, when_present: 'body.at_hash' }
    const [absent] = evaluateExpectations([expectation], { body: {} }, defaults, schemas)
    expect(absent).toMatchObject({ ok: true, notApplicable: 'body.at_hash is absent' })
    const [wrong] = evaluateExpectations([expectation], { body: { at_hash: 'x' } }, defaults, schemas)
    expect(wrong).toMatchObject({ ok: false })
    expect(wrong?.notApplicable).toBeUndefined()
  })
})
