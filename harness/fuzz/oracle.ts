/**
 * The properties, as scenario expectations (suites/README.md): the fuzzer judges every answer
 * with the same checks a pasted reproduction runs, so a finding and its scenario cannot differ.
 *
 * What the properties accept, and why:
 * - never a 5xx (RFC 7591 §3.2.2: errors are 400 with an error code);
 * - a refusal is 400 with a §3.2.2 error code (413 also for very large requests);
 * - a success is 201 with a client_id (§3.2.1);
 * - an invalid value is never registered: refused, or accepted without it (ignored or replaced:
 *   RFC 7591 §2 lets a server replace values);
 * - "consistent echo": a descriptive or identifying member (names, URIs, contacts, software
 *   id and version, redirect URIs), when the response returns it, is exactly what was sent (as a
 *   set for lists). A server may leave a member out (it did not register it), and it may replace
 *   policy members (scope, grant and response types, auth method, algorithms), which are not
 *   compared, only required to fit together;
 * - a refused registration leaves no usable client: when the error response still carries a
 *   registration_client_uri and token, reading it must fail (the second step).
 */
import type { Expectation, Level, StepDoc } from '../model/scenario.ts'
import type { FuzzCase } from './case.ts'

/** RFC 7591 §3.2.2 error codes. */
export const REGISTRATION_ERRORS = [
  'invalid_redirect_uri',
  'invalid_client_metadata',
  'invalid_software_statement',
  'unapproved_software_statement',
]

export const STEP = 'register'
const RESULT = `\${{ steps.${STEP} }}`
const NOT_SUCCESS = { status: { $not: { $gte: 200, $lt: 300 } } }

/** One property check: its stable id (what makes findings distinct) and its expectation. */
export interface PropertyCheck {
  id: string
  step: string
  expectation: Expectation & { name: string; requirement: string; level: Level }
}

function check(
  id: string,
  name: string,
  requirement: string,
  level: Level,
  rest: Expectation,
): PropertyCheck {
  return { id, step: STEP, expectation: { name, requirement, level, ...rest } }
}

/** Holds for any answer but a success, and for a success whose body matches `body`. */
function whenCreated(body: unknown): Expectation {
  return { subject: RESULT, is: { $anyOf: [NOT_SUCCESS, { body }] } }
}

/** Matches what was sent: the same string, or the same set of distinct values. */
export function sameValue(value: unknown): unknown {
  if (!Array.isArray(value)) return { $eq: value }
  return { $allOf: [{ $length: value.length }, ...value.map((item) => ({ $contains: item }))] }
}

/** The checks of the registration step for one case. */
export function propertyChecks(fuzzCase: FuzzCase): PropertyCheck[] {
  const refusals: unknown[] = [
    { status: { $lt: 400 } },
    { status: { $gte: 500 } },
    { status: 400, body: { error: { $in: REGISTRATION_ERRORS } } },
    ...(fuzzCase.large ? [{ status: 413 }] : []),
  ]
  const refusal = 'a refusal is 400 with an RFC 7591 §3.2.2 error code'
  const checks = [
    check('no-5xx', 'no server error', 'R7591-3.2.2-a', 'must', { status: { $lt: 500 } }),
    check('refusal', refusal, 'R7591-3.2.2-a', 'must', {
      subject: RESULT,
      is: { $anyOf: refusals },
    }),
    check('created', 'a success is 201 Created', 'R7591-3.2.1-a', 'must', {
      status: { $anyOf: [{ $not: { $gte: 200, $lt: 300 } }, 201] },
    }),
    check(
      'client-id',
      'a success carries a client_id',
      'R7591-3.2.1-b',
      'must',
      whenCreated({ client_id: { $type: 'string', $length: { $gt: 0 } } }),
    ),
  ]
  const invalid = fuzzCase.invalid
  if (invalid) {
    const id = `invalid:${fuzzCase.kind}:${invalid.member}`
    const name = `${invalid.why} is not registered`
    const { requirement, level, notRegistered } = invalid
    checks.push(check(id, name, requirement, level, whenCreated(notRegistered)))
  }
  for (const member of fuzzCase.echoed) checks.push(echoCheck(member, fuzzCase.metadata[member]))
  const duplicate = fuzzCase.duplicate
  if (duplicate) {
    const { member } = duplicate
    const echo = { [member]: { $anyOf: [{ $absent: true }, ...duplicate.values.map(sameValue)] } }
    const name = `${member} sent twice: the echo is one of the values sent`
    const id = `duplicate:${member}`
    checks.push(check(id, name, echoRequirement(member), 'must', whenCreated(echo)))
  }
  return checks
}

function echoRequirement(member: string): string {
  if (member === 'redirect_uris') return 'R7591-2-a'
  return member.includes('#') ? 'R7591-2.2-a' : 'R7591-2-k'
}

function echoCheck(member: string, value: unknown): PropertyCheck {
  const echo = { [member]: { $anyOf: [{ $absent: true }, sameValue(value)] } }
  const name = `${member}, when returned, is what was sent`
  return check(`echo:${member}`, name, echoRequirement(member), 'must', whenCreated(echo))
}

/** The precondition: the registration's credentials were accepted (else nothing was tested). */
export const CREDENTIALS_ACCEPTED: Expectation = {
  status: { $not: { $in: [401, 403] } },
  name: 'the initial access token was accepted (not 401 or 403)',
}

/** The second step: a refused registration whose answer still names a client cannot read it. */
export const REFUSED_CLIENT_CHECK: PropertyCheck = {
  id: 'refused-client',
  step: 'refused-client',
  expectation: {
    name: 'a refused registration left no client its credentials can read',
    requirement: 'R7591-3.2.2-a',
    level: 'must',
    status: { $not: { $gte: 200, $lt: 300 } },
  },
}

export function refusedClientStep(expect: Expectation[]): StepDoc {
  return {
    id: 'refused-client',
    title: 'Read the client a refused registration names (RFC 7592 §2.1)',
    when: {
      subject: RESULT,
      is: {
        status: { $gte: 300 },
        body: {
          registration_client_uri: { $type: 'string' },
          registration_access_token: { $type: 'string' },
        },
      },
    },
    http: {
      method: 'GET',
      url: `\${{ steps.${STEP}.body.registration_client_uri }}`,
      auth: { bearer: `\${{ steps.${STEP}.body.registration_access_token }}` },
    },
    expect,
  }
}
