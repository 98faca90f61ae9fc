/**
 * LemonLDAP::NG 2.16 (Perl; Debian bookworm's liblemonldap-ng-portal-perl) as an interop target:
 * its portal as an OpenID Connect provider with open dynamic client registration.
 *
 * Per run, in a throw-away folder: a lemonldap-ng.ini naming a File configuration backend, and
 * lmConf-1.json, the portal's whole configuration: Demo authentication and user database (the
 * built-in users dwho/dwho, rtyler/rtyler, msmith/msmith), Apache::Session::File sessions in the
 * folder, the OpenID Connect issuer (issuerDBOpenIDConnectActivation) with a fresh RSA signing key
 * and `oidcServiceAllowDynamicRegistration`. Debian's plackup runs the portal's own PSGI app
 * (Lemonldap::NG::Portal::Main, the same as /usr/share/lemonldap-ng/portal/htdocs/index.psgi) with
 * HTTP::Server::PSGI on 127.0.0.1 and a free port, as an unprivileged child process (it drops to
 * nobody when started as root). In front of it, a small TLS-terminating proxy in this process
 * serves https://127.0.0.1:PORT with the test certificate of fixtures/tls; that origin is the
 * portal URL and the issuer the harness sees.
 *
 * Everything OAuth-facing is LL::NG's: discovery, JWKS, registration (which saves a new
 * configuration lmConf-N.json per client), the authorization endpoint with its login form and
 * consent page, the token and userinfo endpoints. LL::NG has no initial access token and no
 * RFC 7592 endpoint. Its portal reloads the configuration only every `checkTime` seconds, so a
 * newly registered client is unknown until then; checkTime -1 (lemonldap-ng.ini) makes it check
 * for a newer configuration on every request, as a single-process test deployment can afford.
 *
 * `node --import tsx test/interop/support/serve.ts lemonldap` prints the ready line the
 * `lemonldap` entry of targets.yaml reads, and serves until SIGTERM or SIGINT.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeFormComponent } from '../../harness/redact-names.ts'
import { chownTree, freePort, nobody, stopChild } from './support/child-process.ts'
import { forwardingProxy, type Handler } from './support/forwarding-proxy.ts'
import { startLoopbackHttps } from './support/https-server.ts'
import type { InteropServer } from './support/interop-target.ts'

/** Debian's plackup (libplack-perl). */
export const PLACKUP = '/usr/bin/plackup'
/** A user of LL::NG's Demo backend (Lemonldap::NG::Portal::Lib::Demo). */
const USER = { username: 'dwho', password: 'dwho' }
const STATIC_DIR = '/usr/share/lemonldap-ng/portal/htdocs/static'
const TEMPLATE_DIR = '/usr/share/lemonldap-ng/portal/templates'

/** The portal's PSGI app, with its static files (the login page's CSS and scripts). */
const PSGI = `use strict;
use Plack::Builder;
use Plack::App::File;
use Lemonldap::NG::Portal::Main;
my $portal = Lemonldap::NG::Portal::Main->run({});
builder {
  mount '/static' => Plack::App::File->new(root => '${STATIC_DIR}')->to_app;
  mount '/' => $portal;
};
`

/** lmConf-1.json: what the LL::NG manager would save for this test deployment. */
function portalConfiguration(dir: string, origin: string): Record<string, unknown> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  const sessions = (name: string) => ({
    Directory: join(dir, name),
    LockDirectory: join(dir, name, 'lock'),
  })
  return {
    cfgNum: 1,
    cfgAuthor: 'dcr-conformance',
    cfgDate: String(Math.floor(Date.now() / 1000)),
    cfgVersion: '2.16.1',
    authentication: 'Demo',
    userDB: 'Same',
    passwordDB: 'Demo',
    demoExportedVars: { cn: 'cn', mail: 'mail', uid: 'uid' },
    exportedVars: {},
    whatToTrace: 'uid',
    portal: `${origin}/`,
    // The SSO cookie's Domain: the portal's own host (LL::NG refuses to start without one).
    domain: '127.0.0.1',
    cookieName: 'lemonldap',
    securedCookie: 1,
    portalSkin: 'bootstrap',
    locationRules: { '127.0.0.1': { default: 'accept' } },
    globalStorage: 'Apache::Session::File',
    globalStorageOptions: {
      ...sessions('sessions'),
      generateModule: 'Lemonldap::NG::Common::Apache::Session::Generate::SHA256',
    },
    persistentStorage: 'Apache::Session::File',
    persistentStorageOptions: sessions('psessions'),
    localSessionStorage: 'Cache::FileCache',
    localSessionStorageOptions: {
      namespace: 'lemonldap-ng-sessions',
      default_expires_in: 600,
      cache_root: join(dir, 'cache'),
    },
    notification: 0,
    loginHistoryEnabled: 0,
    // No password-reset or self-registration mail pages (they need an SMTP set-up).
    captcha_mail_enabled: 0,
    captcha_register_enabled: 0,
    issuerDBOpenIDConnectActivation: 1,
    oidcServiceMetaDataIssuer: origin,
    oidcServicePrivateKeySig: privateKey,
    oidcServicePublicKeySig: publicKey,
    oidcServiceKeyIdSig: 'dcr-conformance',
    oidcServiceAllowDynamicRegistration: 1,
    // Claims of the profile and email scopes from the Demo user's attributes.
    oidcServiceDynamicRegistrationExportedVars: { name: 'cn', email: 'mail' },
  }
}

/**
 * RFC 6749 §2.3.1: the client id and secret in HTTP Basic are form-urlencoded. LL::NG 2.16
 * compares them undecoded (Lib/OpenIDConnect.pm getEndPointAuthenticationCredentials), so an id
 * or secret with a `/` (its alphabet is [A-Za-z0-9./]) fails; the repair decodes them first.
 */
function decodedBasic(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const plain = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = plain.indexOf(':')
  if (colon < 0) return undefined
  const decode = decodeFormComponent
  const pair = `${decode(plain.slice(0, colon))}:${decode(plain.slice(colon + 1))}`
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`
}

/**
 * Forwards requests to the portal, as a reverse proxy in front of LL::NG would. `repair` (off with
 * DCR_LEMONLDAP_RAW=1): form-decode HTTP Basic client credentials (decodedBasic), and let one
 * registration through per wall-clock second: LL::NG keys a registered client by
 * `register-<time in seconds>` (Issuer/OpenIDConnect.pm registration), so a second registration
 * in the same second replaces the first one, whose client_id stops working.
 */
function proxy(port: number, repair: boolean): Handler {
  return forwardingProxy({
    upstream: `http://127.0.0.1:${port}`,
    headers: (req) => {
      const basic = repair ? decodedBasic(req.headers.authorization) : undefined
      return {
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '127.0.0.1',
        ...(basic ? { authorization: basic } : {}),
      }
    },
    serialized: (req) =>
      repair && req.method === 'POST' && req.url?.split('?')[0] === '/oauth2/register',
    // The next wall-clock second after the previous registration's answer.
    waitBefore: (answeredAt) => (Math.floor(answeredAt / 1000) + 1) * 1000 - Date.now(),
  })
}

/** Resolves once the portal answers its discovery document. */
async function waitUntilReady(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`plackup exited:\n${log()}`)
    const ok = await new Promise<boolean>((resolve) => {
      const probe = httpRequest(
        { host: '127.0.0.1', port, path: '/.well-known/openid-configuration' },
        (answer) => {
          answer.resume()
          resolve(answer.statusCode === 200)
        },
      )
      probe.on('error', () => resolve(false))
      probe.end()
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`LL::NG portal not ready in 30 s:\n${log()}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

export async function startLemonLdapServer(): Promise<InteropServer> {
  const https = await startLoopbackHttps()
  const dir = await mkdtemp(join(tmpdir(), 'dcr-lemonldap-'))
  for (const sub of ['conf', 'sessions/lock', 'psessions/lock', 'cache']) {
    await mkdir(join(dir, sub), { recursive: true })
  }
  const ini = [
    '[all]',
    'logLevel = notice',
    // Check for a newer configuration on every request (see the header comment).
    'checkTime = -1',
    '[configuration]',
    'type = File',
    `dirName = ${join(dir, 'conf')}`,
    '[portal]',
    'staticPrefix = /static',
    `templateDir = ${TEMPLATE_DIR}`,
    'languages = en',
    '',
  ].join('\n')
  await writeFile(join(dir, 'lemonldap-ng.ini'), ini)
  await writeFile(join(dir, 'app.psgi'), PSGI)
  const conf = portalConfiguration(dir, https.origin)
  await writeFile(join(dir, 'conf', 'lmConf-1.json'), `${JSON.stringify(conf, null, 1)}\n`)

  // Unprivileged: as root, the portal runs as nobody, owning its folder.
  const root = process.getuid?.() === 0
  const ids = root ? await nobody() : undefined
  if (ids) await chownTree(dir, ids)
  const port = await freePort()
  // -E deployment: no Plack::Middleware::StackTrace, so a 500 is LL::NG's, not a Perl trace.
  const args = ['-E', 'deployment', '-s', 'HTTP::Server::PSGI', '--host', '127.0.0.1']
  const child = spawn(
    PLACKUP,
    [...args, '--port', String(port), 'app.psgi'],
    {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', LLNG_DEFAULTCONFFILE: join(dir, 'lemonldap-ng.ini') },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
    },
  )
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000)
    if (process.env.DCR_LEMONLDAP_LOG) process.stderr.write(chunk)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const close = async (): Promise<void> => {
    await stopChild(child)
    await https.close()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitUntilReady(port, child, () => output)
  } catch (error) {
    await close()
    throw error
  }
  https.server.on('request', proxy(port, process.env.DCR_LEMONLDAP_RAW !== '1'))

  return {
    issuer: https.origin,
    env: {
      LEMONLDAP_ISSUER: https.origin,
      LEMONLDAP_USER: USER.username,
      LEMONLDAP_PASSWORD: USER.password,
    },
    close,
  }
}
