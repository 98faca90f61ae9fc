/**
 * Members of the wrong JSON type (RFC 7591 §2 defines each member's type): refused with a 400, or
 * accepted with a value of the right type (a substitution, RFC 7591 §3.2.1), never a 5xx.
 */
import fc from 'fast-check'
import type { FuzzCase } from '../case.ts'
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

export function wrongTypeCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  const member = fc.oneof(
    ...wrongValues.map(([name, type, values]) => values.map((value) => ({ name, type, value }))),
  )
  return fc.tuple(validMetadata(options), member).map(([base, { name, type, value }]) => ({
    kind: 'wrong-type' as const,
    ...withMember(base, name, value),
    invalid: {
      member: name,
      notRegistered: { [name]: { $anyOf: [{ $absent: true }, type] } },
      why: `${name} as ${describe(value)}`,
      requirement: 'R7591-3.2.2-a',
      level: 'must' as const,
    },
  }))
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  return `a ${typeof value}`
}
