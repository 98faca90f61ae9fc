/**
 * Members of the wrong JSON type (RFC 7591 §2 defines each member's type): refused with a 400, or
 * accepted, never a 5xx. An accepted value is judged by the member's own rule, as
 * suites/metadata-validation/members-wrong-types.yaml does: an enumerated member claims no value
 * the server will not honour, scope is a string, redirect_uris and jwks have their types (a
 * warning); a descriptive or OpenID member kept as sent breaks no rule (a server may keep any
 * value, RFC 7591 §3.2.1), so only the refusal and the 5xx are judged for it.
 */
import fc from 'fast-check'
import type { FuzzCase, InvalidMember } from '../case.ts'
import { validMetadata, withMember, type GeneratorOptions } from './valid.ts'
import { asciiText, email, httpsUri } from './values.ts'

const STRING_LIST = { $type: 'array', $each: { $type: 'string' } }

/** Member, the type pattern of a correctly typed value, and wrongly typed values. */
const numbers = fc.array(fc.integer(), { minLength: 1, maxLength: 2 })
const texts = fc.array(asciiText, { minLength: 1, maxLength: 2 })
const uriList = fc.array(httpsUri, { minLength: 1, maxLength: 1 })

const wrongValues: [string, unknown, fc.Arbitrary<unknown>][] = [
  ['redirect_uris', STRING_LIST, fc.oneof(httpsUri, numbers)],
  ['grant_types', STRING_LIST, fc.constant('authorization_code')],
  ['response_types', STRING_LIST, fc.constant('code')],
  ['contacts', STRING_LIST, fc.oneof(email, numbers)],
  ['client_name', { $type: 'string' }, fc.oneof(fc.integer(), fc.boolean(), texts)],
  ['client_uri', { $type: 'string' }, fc.oneof(fc.integer(), uriList)],
  [
    'token_endpoint_auth_method',
    { $type: 'string' },
    fc.oneof(fc.boolean(), fc.constant(['client_secret_basic'])),
  ],
  ['scope', { $type: 'string' }, fc.constant(['openid'])],
  ['software_id', { $type: 'string' }, fc.integer()],
  ['jwks', { $type: 'object' }, fc.oneof(fc.constant('{"keys":[]}'), fc.constant([]))],
  ['default_max_age', { $type: 'integer' }, fc.oneof(fc.constant('3600'), fc.constant(1.5))],
  ['require_auth_time', { $type: 'boolean' }, fc.oneof(fc.constant('true'), fc.constant(1))],
]

/** The rule an accepted wrongly typed value breaks, by member (none for the others). */
const ACCEPTED_RULE: Readonly<Record<string, Pick<InvalidMember, 'requirement' | 'level'>>> = {
  redirect_uris: { requirement: 'R7591-2-a', level: 'should' },
  grant_types: { requirement: 'R7591-2-e', level: 'should' },
  response_types: { requirement: 'R7591-2-e', level: 'should' },
  token_endpoint_auth_method: { requirement: 'R7591-2-e', level: 'must' },
  scope: { requirement: 'R7591-2-i', level: 'must' },
  jwks: { requirement: 'R7591-2-h', level: 'should' },
}

export function wrongTypeCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  const member = fc.oneof(
    ...wrongValues.map(([name, type, values]) => values.map((value) => ({ name, type, value }))),
  )
  return fc.tuple(validMetadata(options), member).map(([base, { name, type, value }]) => {
    const rule = ACCEPTED_RULE[name]
    return {
      kind: 'wrong-type' as const,
      ...withMember(base, name, value),
      ...(rule
        ? {
            invalid: {
              member: name,
              notRegistered: { [name]: { $anyOf: [{ $absent: true }, type] } },
              why: `${name} as ${describe(value)}`,
              ...rule,
            },
          }
        : {}),
    }
  })
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  return `a ${typeof value}`
}
