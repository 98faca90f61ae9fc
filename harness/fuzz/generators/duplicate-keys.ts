/**
 * A member sent twice in one JSON object (RFC 8259 §4: names SHOULD be unique; receivers differ
 * on which one wins). A server may refuse it, or take either value; the echo must be one of
 * them, and a second value that is invalid (a redirect URI with a fragment) must not be
 * registered: the classic "validated one, stored the other".
 */
import fc from 'fast-check'
import type { FuzzCase } from '../case.ts'
import { validMetadata, type GeneratorOptions, type Metadata } from './valid.ts'
import { asciiText, httpsUri, redirectUris } from './values.ts'

/** A member sent twice: its two values, and the fragment URI when the second one has one. */
interface Pair {
  member: string
  values: [unknown, unknown]
  fragment?: string
}

function twice<T>(member: string, values: fc.Arbitrary<T>): fc.Arbitrary<Pair> {
  return fc.tuple(values, values).map(([first, last]): Pair => ({ member, values: [first, last] }))
}

const pairs: fc.Arbitrary<Pair> = fc.oneof(
  twice('client_name', asciiText),
  twice('client_uri', httpsUri),
  twice('redirect_uris', redirectUris),
  fc.tuple(redirectUris, httpsUri).map(([first, uri]): Pair => {
    const fragment = `${uri}#f`
    return { member: 'redirect_uris', values: [first, [fragment]], fragment }
  }),
)

/** The JSON text of `metadata` with `member` written twice: first `first`, last `last`. */
function rawBody(
  metadata: Record<string, unknown>,
  member: string,
  first: unknown,
  last: unknown,
): string {
  const members = Object.entries(metadata).filter(([name]) => name !== member)
  const parts = [
    `${JSON.stringify(member)}:${JSON.stringify(first)}`,
    ...members.map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`),
    `${JSON.stringify(member)}:${JSON.stringify(last)}`,
  ]
  return `{${parts.join(',')}}`
}

export function duplicateKeysCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  return fc.tuple(validMetadata(options), pairs).map(([base, pair]) => build(base, pair))
}

function build(base: Metadata, pair: Pair): FuzzCase {
  const [first, last] = pair.values
  const metadata = { ...base.metadata, [pair.member]: last }
  return {
    kind: 'duplicate-keys',
    metadata,
    rawBody: rawBody(base.metadata, pair.member, first, last),
    echoed: base.echoed.filter((name) => name !== pair.member),
    duplicate: { member: pair.member, values: [first, last] },
    ...(pair.fragment
      ? {
          invalid: {
            member: 'redirect_uris',
            notRegistered: { redirect_uris: { $not: { $contains: pair.fragment } } },
            why:
              `the redirect URI ${pair.fragment} with a fragment, ` +
              'sent as the second of two redirect_uris members',
            requirement: 'R6749-3.1.2-a',
            level: 'must' as const,
          },
        }
      : {}),
  }
}
