/**
 * URIs that are not allowed where they are sent: a relative redirect URI (RFC 6749 §3.1.2, a
 * MUST) or an active-content one (R6749-3.1.2-b, a SHOULD), an active-content user-facing URL
 * (RFC 7591 §5), and for OpenID targets a cleartext `jwks_uri` or `initiate_login_uri` (OIDC DCR
 * §2: https).
 */
import fc from 'fast-check'
import type { FuzzCase, InvalidMember } from '../case.ts'
import { validMetadata, withMember, type GeneratorOptions, type Metadata } from './valid.ts'
import { CLIENT_HOST } from './values.ts'

const activeContent = fc.constantFrom('javascript:alert(1)', 'data:text/html,hi')
/** A relative redirect URI breaks R6749-3.1.2-a (a MUST); an active-content one R6749-3.1.2-b. */
const badRedirect = fc.oneof(
  fc
    .stringMatching(/^\/[a-z]{0,6}$/)
    .map((uri) => ({ uri, requirement: 'R6749-3.1.2-a', level: 'must' as const })),
  activeContent.map((uri) => ({ uri, requirement: 'R6749-3.1.2-b', level: 'should' as const })),
)
const cleartext = fc.stringMatching(/^[a-z]{0,6}$/).map((path) => `http://${CLIENT_HOST}/${path}`)

const USER_FACING = ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri']

type Variant = fc.Arbitrary<(base: Metadata) => FuzzCase>

function redirectVariant(): Variant {
  return fc.tuple(badRedirect, fc.nat()).map(([bad, position]) => (base) => {
    const { uri, requirement, level } = bad
    const others = base.metadata.redirect_uris as string[]
    const at = position % (others.length + 1)
    const list = [...others.slice(0, at), uri, ...others.slice(at)]
    return caseOf(withMember(base, 'redirect_uris', list), {
      member: 'redirect_uris',
      notRegistered: { redirect_uris: { $not: { $contains: uri } } },
      why: `the redirect URI ${uri}`,
      requirement,
      level,
    })
  })
}

function memberVariant(
  members: string[],
  values: fc.Arbitrary<string>,
  requirement: string,
  level: 'must' | 'should',
): Variant {
  return fc.tuple(fc.constantFrom(...members), values).map(([member, uri]) => (base) =>
    caseOf(withMember(base, member, uri), {
      member,
      notRegistered: { [member]: { $not: { $eq: uri } } },
      why: `${member} ${uri}`,
      requirement,
      level,
    }),
  )
}

function caseOf(metadata: Metadata, invalid: InvalidMember): FuzzCase {
  return { kind: 'bad-uri', ...metadata, invalid }
}

export function badUriCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  const variants: Variant[] = [
    redirectVariant(),
    memberVariant(USER_FACING, activeContent, 'R7591-5-c', 'should'),
  ]
  if (options.oidc) {
    variants.push(memberVariant(['jwks_uri', 'initiate_login_uri'], cleartext, 'OIDCR-2-j', 'must'))
  }
  return fc.tuple(validMetadata(options), fc.oneof(...variants)).map(([base, make]) => make(base))
}
