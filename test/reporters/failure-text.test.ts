import { describe, expect, it } from 'vitest'
import type { CheckResult, Exchange, StepResult } from '../../harness/model/result.ts'
import { specLink } from '../../harness/verdicts/spec-links.ts'
import {
  prettyBody,
  requirementRef,
  requirementText,
  safeUrl,
  subjectExchanges,
  valuesNotInMessage,
} from '../../reporters/failure-text.ts'

const exchange = (contentType: string, body: string): Exchange => ({
  request: {
    method: 'POST',
    url: 'https://as.test/x',
    headers: { 'content-type': contentType },
    body,
  },
  response: { status: 200, headers: {} },
  durationMs: 1,
})

const step = (action: StepResult['action'], exchanges: Exchange[]): StepResult => ({
  id: 's',
  action,
  outcome: 'failed',
  durationMs: 1,
  checks: [],
  exchanges,
  artifacts: [],
})

describe('spec links', () => {
  it('reads RFC and OpenID sections from catalog ids, nothing from others', () => {
    expect(specLink('R7591-3.2.1-a')).toEqual({
      source: 'RFC 7591 §3.2.1',
      url: 'https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1',
    })
    expect(specLink('OIDCR-3.2-b')).toEqual({
      source: 'OpenID Connect Registration 1.0 §3.2',
      url: 'https://openid.net/specs/openid-connect-registration-1_0.html#rfc.section.3.2',
    })
    expect(specLink('OIDCC-3.1.3.6-a')?.url).toBe(
      'https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.3.1.3.6',
    )
    expect(specLink('CUR-IAT-1')).toBeUndefined()
    expect(specLink('ACME-1')).toBeUndefined()
  })

  it('takes the title and link from the report, only plain https links', () => {
    const index = new Map([
      [
        'ACME-1',
        { id: 'ACME-1', title: 'Our rule', source: 'ACME §1', url: 'https://acme.test/spec#1' },
      ],
      ['ACME-2', { id: 'ACME-2', url: 'javascript:alert(1)' }],
    ])
    expect(requirementText(requirementRef('ACME-1', index))).toBe(
      'ACME-1 "Our rule" (ACME §1 https://acme.test/spec#1)',
    )
    expect(requirementRef('ACME-2', index).url).toBeUndefined()
    expect(requirementText(requirementRef('R6749-5.1-a'))).toBe(
      'R6749-5.1-a (RFC 6749 §5.1 https://www.rfc-editor.org/rfc/rfc6749#section-5.1)',
    )
    expect(safeUrl('https://x.test/a b')).toBeUndefined()
  })
})

const failed = (fields: Partial<CheckResult>): CheckResult => ({
  name: 'check',
  level: 'must',
  ok: false,
  ...fields,
})

describe('expected and actual once', () => {
  it('leaves out what the message already shows whole', () => {
    expect(
      valuesNotInMessage(failed({ message: 'expected 201, got 200', expected: 201, actual: 200 })),
    ).toEqual({})
    expect(
      valuesNotInMessage(failed({ message: 'header pragma is absent', expected: 'no-cache' })),
    ).toEqual({ expected: 'no-cache' })
    // A matcher the message words ("expected a string matching ...") is not repeated.
    expect(
      valuesNotInMessage({
        ...failed({}),
        message: '/www-authenticate: expected a string matching /Bearer/, got absent',
        expected: { $match: 'Bearer' },
      }),
    ).toEqual({})
    // A value the message cuts short comes in full.
    const long = { body: 'x'.repeat(600) }
    const cut = `${JSON.stringify(long).slice(0, 500)}... (${JSON.stringify(long).length} chars)`
    expect(
      valuesNotInMessage(failed({ message: `got ${cut}`, actual: long })),
    ).toEqual({ actual: long })
  })

  it('pretty-prints JSON bodies and cuts them', () => {
    expect(prettyBody('{"a":[1]}', 100)).toBe('{\n  "a": [\n    1\n  ]\n}')
    expect(prettyBody('not json {', 100)).toBe('not json {')
    expect(prettyBody('x'.repeat(30), 10)).toBe(`${'x'.repeat(10)}… (20 more characters)`)
  })
})

describe('the exchanges a step is about', () => {
  it('leaves the initial access token request out of a registration', () => {
    const form = 'application/x-www-form-urlencoded'
    const iat = exchange(form, 'grant_type=client_credentials&scope=dcr')
    const registration = exchange('application/json', '{"redirect_uris":[]}')
    expect(subjectExchanges(step('register', [iat, registration]))).toEqual([registration])
    // Where the token request is the subject, it stays.
    expect(subjectExchanges(step('token', [iat]))).toEqual([iat])
    expect(subjectExchanges(step('parallel', [iat, iat]))).toEqual([iat, iat])
  })
})
