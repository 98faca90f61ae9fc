/**
 * A redirect URI with a fragment among valid ones (RFC 6749 §3.1.2: the redirection endpoint
 * URI MUST NOT include a fragment component); where it goes in the list is generated too.
 */
import fc from 'fast-check'
import type { FuzzCase } from '../case.ts'
import { validMetadata, withMember, type GeneratorOptions } from './valid.ts'
import { httpsUri } from './values.ts'

const fragmentUri = fc
  .tuple(httpsUri, fc.stringMatching(/^[a-z0-9=&]{0,8}$/))
  .map(([uri, fragment]) => `${uri}#${fragment}`)

export function fragmentCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(validMetadata(options), fragmentUri, fc.nat())
    .map(([base, uri, position]) => {
      const others = (base.metadata.redirect_uris as string[]).filter((other) => other !== uri)
      const at = position % (others.length + 1)
      const list = [...others.slice(0, at), uri, ...others.slice(at)]
      return {
        kind: 'fragment' as const,
        ...withMember(base, 'redirect_uris', list),
        invalid: {
          member: 'redirect_uris',
          notRegistered: { redirect_uris: { $not: { $contains: uri } } },
          why: `the redirect URI ${uri} with a fragment`,
          requirement: 'R6749-3.1.2-a',
          level: 'must' as const,
        },
      }
    })
}
