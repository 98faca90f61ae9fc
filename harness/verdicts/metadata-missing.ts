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
import { UnresolvedReferenceError } from '../scenario/template.ts'
import type { CheckResult } from '../model/result.ts'

export const METADATA_MISSING_CHECK = "the target's metadata has the member this step uses"

/** The metadata member a template error could not find, or undefined for any other error. */
export function missingMetadataMember(error: unknown): string | undefined {
  if (!(error instanceof UnresolvedReferenceError)) return undefined
  // The member itself is missing, not something inside a member that is there.
  const [root, parent, member] = error.segments
  const missing = root === 'target' && parent === 'metadata' && error.missingAt === 2
  return missing ? String(member) : undefined
}

/**
 * The failing precondition of a step whose template `error` is a member missing from the
 * target's metadata; none for any other error.
 */
export function metadataMissingChecksFor(error: unknown): CheckResult[] {
  const member = missingMetadataMember(error)
  return member === undefined ? [] : metadataMissingChecks(member)
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
