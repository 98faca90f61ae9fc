/**
 * Large but well-formed values: long names and URIs, many contacts and redirect URIs. A server
 * may refuse them (400 with an error code, or 413) or register them; what it returns must then
 * be what was sent.
 */
import fc from 'fast-check'
import type { FuzzCase } from '../case.ts'
import { echoedOf, validMetadata, type GeneratorOptions } from './valid.ts'
import { CLIENT_HOST } from './values.ts'

/** Sizes stay well under the harness's 1 MiB response cap, echo included. */
const large: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc
    .tuple(fc.constantFrom('a', 'é', '漢'), fc.integer({ min: 1_024, max: 32_768 }))
    .map(([char, length]): [string, unknown] => ['client_name', char.repeat(length)]),
  fc
    .integer({ min: 1_024, max: 16_384 })
    .map((length): [string, unknown] => [
      'client_uri',
      `https://${CLIENT_HOST}/${'p'.repeat(length)}`,
    ]),
  fc
    .integer({ min: 20, max: 500 })
    .map((count): [string, unknown] => [
      'contacts',
      Array.from({ length: count }, (_, index) => `contact${index}@${CLIENT_HOST}`),
    ]),
  fc
    .integer({ min: 10, max: 200 })
    .map((count): [string, unknown] => [
      'redirect_uris',
      Array.from({ length: count }, (_, index) => `https://${CLIENT_HOST}/cb/${index}`),
    ]),
)

export function oversizedCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  return fc.tuple(validMetadata(options), large).map(([base, [member, value]]) => {
    const metadata = { ...base.metadata, [member]: value }
    return { kind: 'oversized' as const, metadata, echoed: echoedOf(metadata), large: true }
  })
}
