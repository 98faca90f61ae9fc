/**
 * Values no registry defines for enumerated members: refused, or replaced by a known value
 * (RFC 7591 §2 for auth methods, grant and response types; OIDC DCR §2 for subject types and
 * algorithms). An unknown grant type that is no URI is no extension grant (RFC 6749 §4.5).
 */
import fc from 'fast-check'
import type { FuzzCase } from '../case.ts'
import { validMetadata, withMember, type GeneratorOptions } from './valid.ts'
import { unknownWord } from './values.ts'

interface Enumerated {
  member: string
  list: boolean
  requirement: string
  oidcOnly?: boolean
}

const KNOWN = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
  'authorization_code',
  'implicit',
  'refresh_token',
  'client_credentials',
  'password',
  'code',
  'token',
  'id_token',
  'public',
  'pairwise',
]

const ENUMERATED: Enumerated[] = [
  { member: 'token_endpoint_auth_method', list: false, requirement: 'R7591-2-e' },
  { member: 'grant_types', list: true, requirement: 'R7591-2-e' },
  { member: 'response_types', list: true, requirement: 'R7591-2-e' },
  { member: 'subject_type', list: false, requirement: 'OIDCR-2-l', oidcOnly: true },
  { member: 'id_token_signed_response_alg', list: false, requirement: 'OIDCR-2-h', oidcOnly: true },
]

/** A list member keeps its usual value next to the unknown one, so only the unknown one is odd. */
const USUAL: Record<string, string> = { grant_types: 'authorization_code', response_types: 'code' }

export function unknownEnumCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  const members = ENUMERATED.filter((entry) => options.oidc || !entry.oidcOnly)
  return fc
    .tuple(validMetadata(options), fc.constantFrom(...members), unknownWord(KNOWN))
    .map(([base, entry, word]) => {
      const value = entry.list ? [USUAL[entry.member]!, word] : word
      const metadata = withMember(base, entry.member, value)
      // The usual companion list must match (OIDC DCR §2), so only the unknown value is odd.
      if (entry.member === 'grant_types') metadata.metadata.response_types = ['code']
      if (entry.member === 'response_types') metadata.metadata.grant_types = ['authorization_code']
      return {
        kind: 'unknown-enum' as const,
        ...metadata,
        invalid: {
          member: entry.member,
          notRegistered: {
            [entry.member]: entry.list ? { $not: { $contains: word } } : { $not: { $eq: word } },
          },
          why: `the unknown ${entry.member} value ${word}`,
          requirement: entry.requirement,
          level: 'must' as const,
        },
      }
    })
}
