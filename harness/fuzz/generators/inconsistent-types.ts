/**
 * grant_types and response_types that do not fit together (RFC 7591 §2.1; OIDC DCR §2 table):
 * refused, or corrected so that what is registered fits together.
 */
import fc from 'fast-check'
import type { FuzzCase } from '../case.ts'
import { validMetadata, type GeneratorOptions } from './valid.ts'

/** The pair sent, and what an accepted registration's echo must then show. */
interface Pair {
  grant_types: string[]
  response_types: string[]
  /** The response type sent, and the grant type it needs. */
  responseType: string
  grant: string
}

const pair = (grants: string[], responseType: string, grant: string): Pair => ({
  grant_types: grants,
  response_types: [responseType],
  responseType,
  grant,
})

const PAIRS: Pair[] = [
  pair(['client_credentials'], 'code', 'authorization_code'),
  pair(['implicit'], 'code', 'authorization_code'),
  pair(['authorization_code'], 'token', 'implicit'),
]

export function inconsistentTypesCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  return fc.tuple(validMetadata(options), fc.constantFrom(...PAIRS)).map(([base, chosen]) => ({
    kind: 'inconsistent-types' as const,
    metadata: {
      ...base.metadata,
      grant_types: chosen.grant_types,
      response_types: chosen.response_types,
    },
    echoed: base.echoed,
    invalid: {
      member: 'response_types',
      // Registered as a whole: a response type needs its grant type (OIDC DCR §2).
      notRegistered: {
        $anyOf: [
          { response_types: { $not: { $contains: chosen.responseType } } },
          { grant_types: { $contains: chosen.grant } },
        ],
      },
      why:
        `response_types ${JSON.stringify(chosen.response_types)} with ` +
        `grant_types ${JSON.stringify(chosen.grant_types)}`,
      requirement: options.oidc ? 'OIDCR-2-e' : 'R7591-2.1-a',
      level: options.oidc ? ('must' as const) : ('should' as const),
    },
  }))
}
