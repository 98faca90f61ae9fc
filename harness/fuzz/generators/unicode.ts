/**
 * Non-ASCII text in descriptive members: names, language-tagged names (RFC 7591 §2.2) and
 * internationalised e-mail contacts (RFC 6531). JSON carries Unicode (RFC 8259 §8.1); what a
 * server returns must be the same characters.
 */
import fc from 'fast-check'
import type { FuzzCase } from '../case.ts'
import { echoedOf, validMetadata, type GeneratorOptions } from './valid.ts'
import { email, unicodeEmail, unicodeText } from './values.ts'

const members = fc.record(
  {
    client_name: unicodeText,
    'client_name#ja': unicodeText,
    contacts: fc
      .tuple(unicodeEmail, fc.uniqueArray(email, { maxLength: 2 }), fc.nat())
      .map(([special, others, position]) => {
        const rest = others.filter((other) => other !== special)
        const at = position % (rest.length + 1)
        return [...rest.slice(0, at), special, ...rest.slice(at)]
      }),
  },
  { requiredKeys: [] },
)

export function unicodeCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(validMetadata(options), members)
    .filter(([, chosen]) => Object.keys(chosen).length > 0)
    .map(([base, chosen]) => {
      const metadata = { ...base.metadata, ...chosen }
      return { kind: 'unicode' as const, metadata, echoed: echoedOf(metadata) }
    })
}
