/**
 * A step that names a member of the target's metadata (`${{ target.metadata.jwks_uri }}`) the
 * server's discovery document does not have judges nothing: what it would test rests on that
 * member (the keys to verify with, the values a registration may take). The document itself is
 * judged once, by the discovery scenarios (RFC 8414 §2, OpenID Connect Discovery §3 list what it
 * must carry), so a missing member is one verdict there, and a failing precondition here: the
 * step and its scenario are inconclusive with this cause, not errored as a broken scenario.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
import { HarnessError } from '../errors.ts'
import type { CheckResult } from '../model/result.ts'

/** The check's name begins so (the member follows); reporters find it by this. */
export const METADATA_MISSING_CHECK = "the target's metadata has the member this step uses"

/** The metadata member a template error could not find, or undefined for any other error. */
export function missingMetadataMember(error: unknown): string | undefined {
  if (!(error instanceof HarnessError) || error.code !== 'E_TEMPLATE') return undefined
  // template.ts names the first missing segment and its parent: the member itself is missing
  // when its parent is target.metadata (a deeper miss inside a member present is not this).
  const found = /^unresolved reference \S+: no "([^"]+)" in target\.metadata(?: |$)/
  return found.exec(error.message)?.[1]
}

/** The failing precondition for a step that needs `member` of the target's metadata. */
export function metadataMissingChecks(member: string): CheckResult[] {
  return [
    {
      name: METADATA_MISSING_CHECK,
      level: 'must',
      ok: false,
      message:
        `no ${member} in it: this step judges nothing (the discovery scenarios judge the ` +
        'metadata)',
    },
  ]
}
