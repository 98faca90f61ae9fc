/**
 * Every kind of case, weighted: valid metadata most often (the echo properties), then each kind
 * of special member. fast-check picks the kind and shrinks within it.
 */
import fc from 'fast-check'
import type { FuzzCase } from '../case.ts'
import { badKeysCase } from './bad-keys.ts'
import { badUriCase } from './bad-uris.ts'
import { duplicateKeysCase } from './duplicate-keys.ts'
import { fragmentCase } from './fragments.ts'
import { inconsistentTypesCase } from './inconsistent-types.ts'
import { oversizedCase } from './oversized.ts'
import { unicodeCase } from './unicode.ts'
import { unknownEnumCase } from './unknown-enums.ts'
import { echoedOf, validMetadata, type GeneratorOptions } from './valid.ts'
import { wrongTypeCase } from './wrong-types.ts'

export type { GeneratorOptions }

function validCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  return validMetadata(options).map(({ metadata }) => ({
    kind: 'valid' as const,
    metadata,
    echoed: echoedOf(metadata),
  }))
}

export function fuzzCases(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { arbitrary: validCase(options), weight: 3 },
    { arbitrary: unicodeCase(options), weight: 2 },
    { arbitrary: wrongTypeCase(options), weight: 2 },
    { arbitrary: fragmentCase(options), weight: 2 },
    { arbitrary: badUriCase(options), weight: 2 },
    { arbitrary: unknownEnumCase(options), weight: 2 },
    { arbitrary: inconsistentTypesCase(options), weight: 1 },
    { arbitrary: badKeysCase(options), weight: 2 },
    { arbitrary: oversizedCase(options), weight: 1 },
    { arbitrary: duplicateKeysCase(options), weight: 1 },
  )
}
