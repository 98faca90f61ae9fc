/**
 * Interop: the whole suite against LemonLDAP::NG 2.16 (Perl; lemonldap-server.ts runs Debian's
 * liblemonldap-ng-portal-perl under Debian's plackup): an OpenID Connect provider with open
 * dynamic registration (no initial access token, no RFC 7592), its login form and consent page,
 * the code flow. Every failure must be one of its documented deviations
 * (expectations/lemonldap.yaml), and every documented deviation must still happen
 * (support/verdict-gate.ts). .ci/run installs the packages; without them this file is skipped,
 * saying so.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { PLACKUP } from './lemonldap-server.ts'
import { interopTarget, itRunsWithOnlyKnownDeviations } from './support/interop-target.ts'

// The modules the portal loads at start (its captcha, OpenID Connect issuer and Plack).
const MODULES = [
  'Lemonldap::NG::Portal',
  'Lemonldap::NG::Portal::Main',
  'Lemonldap::NG::Portal::Issuer::OpenIDConnect',
  'Lemonldap::NG::Portal::Captcha::SecurityImage',
  'Plack::Handler::HTTP::Server::PSGI',
]
const probe = spawnSync(
  '/usr/bin/perl',
  [...MODULES.map((name) => `-M${name}`), '-e', 'print $Lemonldap::NG::Portal::VERSION'],
  { encoding: 'utf8' },
)
const version = probe.status === 0 ? probe.stdout.trim() : undefined
const available = version !== undefined && spawnSync(PLACKUP, ['--version']).status === 0
if (!available) {
  process.stderr.write(
    'interop: LemonLDAP::NG skipped: /usr/bin/perl lacks the portal or Plack ' +
      '(apt-get install liblemonldap-ng-portal-perl libplack-perl libgd-securityimage-perl ' +
      'libimage-magick-perl libstring-random-perl libio-string-perl; .ci/run does)\n',
  )
}

describe.skipIf(!available)('interop: LemonLDAP::NG 2.16 (Perl)', () => {
  it('is the LemonLDAP::NG 2.16 of expectations/lemonldap.yaml (Debian bookworm)', () => {
    expect(version).toMatch(/^2\.16\./)
  })

  const lemonldap = interopTarget('lemonldap')
  const passing = [
    // Open registration and discovery of a provider nobody here wrote.
    'initial-access-token/open-registration',
    'registration/status-201-created',
    'registration/unique-client-credentials',
    // The code flow through LL::NG's login form and consent page, ID token and UserInfo.
    'code-flow/id-token-signature',
    'code-flow/userinfo-sub',
    'code-flow/client-secret-basic',
  ]
  itRunsWithOnlyKnownDeviations(lemonldap, {
    minPassed: 45,
    passing,
    blocked: {
      // Its blocker: redirect_uris ["/cb"] registered (metadata-validation/redirect-uri-relative).
      'errors/redirect-uri-error-code': 'R6749-3.1.2-a',
      // A fragment redirect URI registered even alone (metadata-validation/redirect-uri-fragment).
      'openid-metadata/one-bad-redirect-fails-all': 'R6749-3.1.2-a',
    },
    alsoExpect: (report) => expect(report.target.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/),
  })
})
