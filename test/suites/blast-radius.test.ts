/**
 * One server bug, one verdict (docs/verdicts.md, "Writing set-up so one bug gets one verdict"):
 * with a fault on, the whole default suite fails only checks citing the fault's own requirements,
 * or the few other requirements the faulty answer truly breaks as well (listed with the reason),
 * and errors nowhere. The faults are those whose answers once cascaded into failures of
 * scenarios about something else: an error in a 200, an HTML error page, a client registered
 * without its redirect URI or code grant (or with no default grant), Basic credentials not
 * decoded, a JSON body refused, the configuration endpoint's reads, a verifier refused, a JWK Set
 * that leaks private keys, a metadata issuer that differs, shared client ids, a delete that keeps
 * the client, a stale update response, loopback URIs matched on any path, members left out or
 * mistyped in the registration response.
 * Refused tokens (iat-never-accepted) are in initial-access-token.test.ts, with their root cause.
 */
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../builtin/reference-target.ts'
import { runSuite } from '../../harness/run-suite.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import { faultCatalogue } from '../../reference-server/index.ts'

/** Fault -> requirements beyond its own that its answers also break, each with the reason. */
const ALSO_BROKEN: Record<string, Record<string, string>> = {
  'error-200': {
    'R7592-2.2-g': 'a refused update must answer RFC 7591 §3.2.2 error response (400)',
    'CUR-ERR-1': 'Curity rejections are 400 JSON errors',
  },
  'error-html': {
    'R7592-2.2-g': 'a refused update must answer RFC 7591 §3.2.2 error response (JSON)',
    'CUR-ERR-1': 'Curity rejections are 400 JSON errors',
  },
  'redirect-uris-dropped': {
    'OIDCR-3.2-a': 'the response shows other redirect URIs than those registered',
    'CUR-TPL-1': 'the template client does not come back as the template',
  },
  'redirect-rewritten': { 'CUR-TPL-1': 'the template client does not come back as the template' },
  'grant-types-default-missing': {
    'CUR-DEF-1': "Curity's default grants for a client that names none are missing too",
  },
  'basic-not-urldecoded': {},
  'json-body-refused': {},
  'client-id-numeric': {},
  'config-read-text-plain': {
    'R7592-2.1-a': 'a body that is not read as JSON is no client information response',
  },
  'config-read-partial': {},
  'rcu-wrong-client': {
    'R7592-2-a': 'the registration_client_uri handed out does not work: a read through it fails',
    'R7592-2.1-a': 'no client information response comes back through it',
    'R7592-2.3-a': 'a delete through it fails',
    'CUR-MGMT-3': 'the management client cannot read the client through it either',
  },
  'redirect-mismatch-redirects': {
    'MCP-CIMD-b': 'the MCP rule is that an unlisted redirect URI gets no redirect at all',
    'MCP-RED-a': 'the MCP rule is that a loopback URI of another host gets no redirect at all',
  },
  'pkce-s256-wrong-encoding': {},
  'jwks-private-key-leak': {},
  'rotated-secret-not-saved': {
    'CUR-MGMT-2': 'the secret Curity says was rotated is not in force',
  },
  'discovery-issuer-mismatch': {
    'MCP-ASM-b': 'a client discards metadata whose issuer is not the entry it was found from',
  },
  'client-id-reused': {},
  'delete-200-or-keeps': { 'CUR-MGMT-3': "Curity's delete with a dcrm token answers 204" },
  'config-404-unknown': {},
  'unknown-client-invalid-request': {},
  'put-response-stale': {
    'CUR-MGMT-3': 'the update with a dcrm token answers the updated client_name',
  },
  'loopback-any-path': {},
  'no-echo': {
    'R7591-3.2.1-d': 'a secret is issued without client_secret_expires_at',
    'OIDCR-3.2-b': 'no registration access token nor configuration URI',
    'R7591-3.2.1-i': 'the software statement is not returned',
    'CUR-DEF-1': 'token_endpoint_auth_method and token_endpoint_auth_methods are missing',
    'CUR-MGMT-1': 'no registration_client_uri nor registration access token with its lifetime',
  },
  'secret-expiry-string': {
    'R7592-2.1-a': 'the read response carries the same member',
    'R7592-2.2-a': 'the update response carries the same member',
    'CUR-DEF-2': "Curity's never-expiring secret has client_secret_expires_at 0",
  },
  'no-secret-expiry': {
    'R7592-2.1-a': 'the read response lacks the same member',
    'R7592-2.2-a': 'the update response lacks the same member',
  },
  'secret-expiry-ms': {
    'R7592-2.1-a': 'the read response carries the same members',
    'R7592-2.2-a': 'the update response carries the same members',
  },
  'contacts-as-string': { 'R7592-2.1-a': 'the read response carries the same member' },
  'auth-method-unstated-post': {
    'R6749-2.3.1-a': 'the issued secret does not authenticate with Basic, the method stated',
    'CUR-DEF-1': "Curity's default client_secret_basic is not stated",
  },
  'basic-ignored': {
    'R6749-5.2-a': 'a failed Basic authentication is not 401 invalid_client with a Basic challenge',
  },
  'crash-on-bad-json': { 'R7591-3.2.2-a': 'the refusal is a 500 HTML page, not a 400 JSON error' },
  'state-dropped': {
    'R6749-4.1.2.1-a': 'the error redirect for an unregistered response type has no state',
  },
  'redirect-uris-first-only': {
    'R6749-3.1.2-a': 'a second redirect URI with a fragment is registered unchecked',
  },
}

/** Failed must checks as `scenario requirement`, outside the allowed requirements. */
async function strayFailures(fault: string): Promise<{ stray: string[]; errored: string[] }> {
  const own = faultCatalogue.find((entry) => entry.name === fault)?.requirements ?? []
  const allowed = new Set([...own, ...Object.keys(ALSO_BROKEN[fault] ?? {})])
  const reference = await startReferenceTarget({ faults: [fault] })
  try {
    const report = await runSuite({
      target: reference.target,
      loginDriver: 'http',
      workers: 4,
      cwd: repoRoot(),
    })
    const stray = report.scenarios.flatMap((scenario) =>
      scenario.steps.flatMap((step) =>
        step.checks
          .filter((check) => !check.ok && check.level === 'must' && check.requirement)
          .filter((check) => !allowed.has(check.requirement!))
          .map((check) => `${scenario.id} ${check.requirement}`),
      ),
    )
    const errored = report.scenarios.filter((s) => s.outcome === 'errored').map((s) => s.id)
    return { stray: [...new Set(stray)], errored }
  } finally {
    await reference.close()
  }
}

describe('a fault fails only what it breaks', () => {
  it.each(Object.keys(ALSO_BROKEN))('%s', { timeout: 180_000 }, async (fault) => {
    expect(faultCatalogue.map((entry) => entry.name)).toContain(fault)
    expect(await strayFailures(fault)).toEqual({ stray: [], errored: [] })
  })
})
