/**
 * Interop: the whole suite against Glewlwyd 2.7 (C; Debian bookworm's `glewlwyd` package, started
 * by glewlwyd-server.ts): registration behind a one-time initial access token, RFC 7592
 * management, the code flow through Glewlwyd's own login app. Every failure must be one of its
 * documented deviations (expectations/glewlwyd.yaml), and every documented deviation must still
 * happen (support/verdict-gate.ts). The login app is a single-page app, so the run logs in with
 * Chromium; .ci/run installs glewlwyd. Without /usr/bin/glewlwyd or a browser this file is
 * skipped, saying so.
 */
import { existsSync } from 'node:fs'
import { describe, expect } from 'vitest'
import { discoverBrowser } from '../../harness/browser/discovery.ts'
import { GLEWLWYD } from './glewlwyd-server.ts'
import { interopTarget, itRunsWithOnlyKnownDeviations } from './support/interop-target.ts'
import type { Unattributed } from './support/verdict-gate.ts'

// The browser the run itself would find (harness/browser/discovery.ts).
const browser = (await discoverBrowser()).executable
const missing = [existsSync(GLEWLWYD) ? [] : [GLEWLWYD], browser ? [] : ['a Chromium']].flat()
if (missing.length > 0) {
  process.stderr.write(
    `interop: Glewlwyd skipped: ${missing.join(' and ')} missing ` +
      '(apt-get install glewlwyd chromium; .ci/run does)\n',
  )
}

/**
 * Scenarios a documented deviation leaves inconclusive: scenario -> the requirement their blocker
 * violates (support/verdict-gate.ts).
 */
const BLOCKED: Readonly<Record<string, string>> = {
  // A registration without token_endpoint_auth_method gets no secret (R7591-2-b,
  // metadata-validation/auth-method-default).
  'registration/defaults-echoed': 'R7591-2-b',
  'code-flow/seed-walkthrough': 'R7591-2-b',
  // A client registered as public is refused as one (R7591-3.2.1-g, substitution-enforced).
  'personas/mcp-resource-charset': 'R7591-3.2.1-g',
  // Loopback port compared (R8252-7.3-a, code-flow/loopback-any-port).
  'code-flow/loopback-only-port-differs': 'R8252-7.3-a',
  // A fragment redirect URI registered even alone (R6749-3.1.2-a, redirect-uri-fragment).
  'openid-metadata/one-bad-redirect-fails-all': 'R6749-3.1.2-a',
  // The read answers without registration_access_token (R7592-2.1-a, client-management/read).
  ...Object.fromEntries(
    [
      'foreign-rat',
      'missing-or-invalid-rat',
      'read-idempotent',
      'rotated-credentials-work',
      'update-client-id-required',
      'update-client-name',
      'update-client-secret',
      'update-invalid-metadata',
      'update-omitted-members',
      'update-replaces-redirect-uris',
      'update-server-managed-members',
      'update-shows-defaults',
    ].map((id) => [`client-management/${id}`, 'R7592-2.1-a']),
  ),
}

/**
 * Scenarios left inconclusive by a Glewlwyd behaviour whose blocking precondition names no
 * `violates` (support/verdict-gate.ts). Remove an entry once its scenario can be admitted.
 */
const UNATTRIBUTED: Unattributed = {
  // client_credentials without scope: 403, empty body (RFC 6749 §3.3: default or invalid_scope).
  'client-management/rat-only': { step: 'access-token', answer: /expected 200, got 403/ },
  // No client_secret for the omitted method (R7591-2-b): the token step's unmet precondition
  // (harness/errors.ts UnmetPreconditionError) names no requirement.
  ...Object.fromEntries(
    [
      'default-id-token-alg',
      'default-max-age',
      'registered-id-token-alg',
      'require-auth-time',
      'signed-userinfo',
    ].map((id) => [
      `openid-metadata/${id}`,
      { step: 'redeem', answer: /client_secret_basic needs the client's client_secret/ },
    ]),
  ),
  // A client registered with auth method none is refused 403 unauthorized_client; this
  // scenario's blocker names no requirement.
  'code-flow/refresh-rotation-public-client': {
    step: 'redeem',
    answer: /a refresh token was issued \(status\): expected 200, got 403/,
  },
  // A client_credentials client without redirect_uris is refused 400 invalid_redirect_uri.
  'code-flow/client-secret-basic-token': { step: 'reg', answer: /expected <= 299, got 400/ },
  'openid-metadata/auth-assertion-alg-none-refused': {
    step: 'reg',
    answer: /expected <= 299, got 400/,
  },
}

describe.skipIf(missing.length > 0)('interop: Glewlwyd 2.7 (C)', () => {
  itRunsWithOnlyKnownDeviations(interopTarget('glewlwyd'), {
    loginDriver: 'browser',
    timeoutMs: 600_000,
    blocked: BLOCKED,
    unattributed: UNATTRIBUTED,
    minPassed: 60,
    passing: [
      'registration/echo-all-metadata',
      'registration/unique-client-credentials',
      'errors/status-and-json-body',
      'code-flow/pkce-required-for-public-clients',
      'code-flow/redirect-uri-exact-match',
      // Registrations passed on one at a time (glewlwyd-server.ts).
      'initial-access-token/concurrent-use',
    ],
    alsoExpect: (report) =>
      expect(report.target.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/oidc$/),
  })
})
