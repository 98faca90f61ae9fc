/**
 * Conformant registration metadata (RFC 7591 §2, OIDC DCR §2): a web client with https redirect
 * URIs on one host, and any of the optional members with values every server may accept. The
 * server may still refuse or replace values (RFC 7591 §2); the oracle allows that.
 */
import fc from 'fast-check'
import { asciiText, email, httpsUri, redirectUris, unicodeText } from './values.ts'

/** What every generator builds on. */
export interface GeneratorOptions {
  /** Send `scope: ${{ target.scope }}` (the target has a default scope, suites/README.md). */
  withScope: boolean
  /** The target declares capability `oidc`: OpenID-only members are invalid in OpenID ways. */
  oidc: boolean
}

/** Metadata and the members whose echo must equal what was sent. */
export interface Metadata {
  metadata: Record<string, unknown>
  echoed: string[]
}

/** Members returned unchanged when returned (descriptive and identifying, RFC 7591 §2). */
export const ECHOED_MEMBERS = new Set([
  'redirect_uris',
  'client_name',
  'client_uri',
  'logo_uri',
  'tos_uri',
  'policy_uri',
  'contacts',
  'software_id',
  'software_version',
])

/** Consistent grant and response types (OIDC DCR §2 table), absent meaning the defaults. */
const grantChoices: Record<string, unknown>[] = [
  {},
  { grant_types: ['authorization_code'] },
  { grant_types: ['authorization_code'], response_types: ['code'] },
  { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] },
]

const authMethods = ['client_secret_basic', 'client_secret_post', 'none']

/** Extension members a server must ignore (RFC 7591 §2): names that no specification defines. */
const unknownMembers = fc.dictionary(
  fc.stringMatching(/^[a-z]{1,8}$/).map((word) => `x_fuzz_${word}`),
  fc.oneof(asciiText, fc.integer(), fc.boolean(), fc.array(asciiText, { maxLength: 2 })),
  { maxKeys: 2 },
)

const optionalMembers = fc.record(
  {
    client_name: fc.oneof(asciiText, unicodeText),
    'client_name#de': unicodeText,
    client_uri: httpsUri,
    logo_uri: httpsUri,
    tos_uri: httpsUri,
    policy_uri: httpsUri,
    contacts: fc.uniqueArray(email, { minLength: 1, maxLength: 3 }),
    software_id: fc.uuid(),
    software_version: fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]{1,2})?$/),
    token_endpoint_auth_method: fc.constantFrom(...authMethods),
    id_token_signed_response_alg: fc.constant('RS256'),
    subject_type: fc.constant('public'),
    default_max_age: fc.integer({ min: 1, max: 86_400 }),
    require_auth_time: fc.boolean(),
  },
  { requiredKeys: [] },
)

/** Valid metadata; `extra` members are merged last (generators of special members use it). */
export function validMetadata(options: GeneratorOptions): fc.Arbitrary<Metadata> {
  return fc
    .record({
      redirect_uris: redirectUris,
      optional: optionalMembers,
      grants: fc.constantFrom(...grantChoices),
      unknown: unknownMembers,
    })
    .map(({ redirect_uris, optional, grants, unknown }) => {
      const metadata: Record<string, unknown> = {
        redirect_uris,
        ...(options.withScope ? { scope: '${{ target.scope }}' } : {}),
        ...grants,
        ...optional,
        ...unknown,
      }
      return { metadata, echoed: echoedOf(metadata) }
    })
}

/** The members of `metadata` whose echo the oracle compares. */
export function echoedOf(metadata: Record<string, unknown>): string[] {
  // A language-tagged member (`client_name#de`, RFC 7591 §2.2) is echoed like its base member.
  return Object.keys(metadata).filter((name) => ECHOED_MEMBERS.has(name.split('#')[0]!))
}

/** `base` with `member` replaced (or added); the member no longer counts as echoed. */
export function withMember(base: Metadata, member: string, value: unknown): Metadata {
  return {
    metadata: { ...base.metadata, [member]: value },
    echoed: base.echoed.filter((name) => name !== member),
  }
}
