/** The reference server with Client ID Metadata Document clients (reference-server/cimd/). */
import type { ReferenceServer } from '../../../reference-server/index.ts'
import { authorize, pkcePair, start, tokenRequest } from '../helpers.ts'
import type { AuthorizeResult, Reply } from '../helpers.ts'
import type { DocumentServer } from './document-server.ts'
import { testCa } from './document-server.ts'

export const redirectUri = 'http://127.0.0.1:4000/callback'

/** A reference server that trusts `docs` (its origin and the test CA), with optional faults. */
export function startTrusting(
  docs: DocumentServer,
  options: { faults?: string[]; cimd?: Record<string, unknown> } = {},
): Promise<ReferenceServer> {
  return start({
    ...(options.faults ? { faults: options.faults } : {}),
    config: { cimd: { trusted_origins: [docs.origin], ca: testCa, ...options.cimd } },
  })
}

/** The authorization request of a CIMD client (PKCE S256), logging in when the page appears. */
export async function authorizeCimd(
  s: ReferenceServer,
  clientId: string,
  extra: Record<string, string | undefined> = {},
): Promise<AuthorizeResult & { verifier: string }> {
  const { verifier, challenge } = pkcePair()
  const result = await authorize(s, {
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid read',
    state: 'st',
    nonce: 'n',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  })
  return { ...result, verifier }
}

/** Where an authorization went: `code`, `redirect-<error>`, or `page-<status>-<error>`. */
export function outcome(r: AuthorizeResult): string {
  if (r.query?.get('code')) return 'code'
  if (r.location) return `redirect-${r.query?.get('error') ?? 'other'}`
  const error = /data-error="([^"]+)"/.exec(r.page ?? '')?.[1]
  return `page-${r.status}${error ? `-${error}` : ''}`
}

/** The description on the server's error page. */
export function pageReason(r: AuthorizeResult): string {
  return /<\/strong><\/p>\s*<p>([^<]*)<\/p>/.exec(r.page ?? '')?.[1] ?? ''
}

/** The code flow to the token response, as a public client (`none` + PKCE). */
export async function publicTokenFor(s: ReferenceServer, clientId: string): Promise<Reply> {
  const r = await authorizeCimd(s, clientId)
  const code = r.query?.get('code')
  if (!code) throw new Error(`no code: ${outcome(r)} ${r.page?.slice(0, 300) ?? ''}`)
  return tokenRequest(s, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: r.verifier,
  })
}
