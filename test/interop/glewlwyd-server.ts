/**
 * Glewlwyd 2.7 (C; Debian bookworm's `glewlwyd` package) as an interop target: its OpenID
 * Connect plugin does RFC 7591 registration, RFC 7592 client management, the code flow with
 * PKCE, refresh tokens, userinfo and RFC 9207 `iss`.
 *
 * Each run gets a throw-away folder: a sqlite database made from the package's own init script
 * (the dbconfig-common one, which also creates `admin` / `password`), a config file, and a copy of
 * the package's web app (login page). Glewlwyd itself serves HTTPS on 127.0.0.1 and a free port
 * with the test certificate of fixtures/tls, as an unprivileged user (`nobody` when this runs as
 * root). Everything that Glewlwyd keeps in its database (scopes, the registration client, the
 * test user, the OIDC plugin instance) is then set up through its admin REST API, after which
 * the admin password is replaced by a random one.
 *
 * Registration needs an initial access token: a client-credentials token of the confidential
 * client `server` with scope `dcr` (the plugin's `register-client-auth-scope`); the plugin makes
 * it one-time (`register-client-token-one-use`, its default). The login page is Glewlwyd's
 * single-page app, so only the browser driver can log in (see targets.yaml).
 *
 * In front of Glewlwyd, a small TLS proxy in this process serves the origin the harness sees and
 * passes registrations (POST /api/oidc/register) on one at a time: Glewlwyd shares one database
 * connection between its threads, so two registrations at once can store a client's properties
 * under the other's row id (sqlite: "FOREIGN KEY constraint failed", the registration answers
 * 500), and a one-time initial access token used by several registrations at once can register
 * more than one client. Both are races, so the proxy keeps the run deterministic.
 *
 * Two repairs of the Debian package's web app, both in the copy: its CSS and JS links point
 * outside the web root, which Glewlwyd's static file server will not follow (the package's
 * README.Debian puts Apache in front instead), so the copy dereferences
 * them; and its `config.json` is a link to the folder /etc/glewlwyd/config-2.7.json, so the copy
 * takes the package's template file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chownTree, freePort, nobody, stopChild } from './support/child-process.ts'
import { forwardingProxy, type Handler } from './support/forwarding-proxy.ts'
import { startLoopbackHttps, TLS_DIR } from './support/https-server.ts'
import type { InteropServerWithClients } from './support/interop-target.ts'
import {
  REGISTRATION_CLIENT_ID,
  REGISTRATION_SCOPE,
  OTHER_SCOPE,
  serverWithClients,
} from './support/registration-client.ts'

export const GLEWLWYD = '/usr/bin/glewlwyd'
const SHARE = '/usr/share/glewlwyd'
/** The package's sqlite schema and seed (default scopes, modules, user admin). */
const INIT_SQL = '/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3'
const MODULES = '/usr/lib/glewlwyd'
/** The plugin instance name: its endpoints live under /api/oidc, the issuer too. */
const PLUGIN = 'oidc'
const USERNAME = 'alice'
/** The administrator the package's init script seeds, replaced once set up. */
const SEED_ADMIN = { username: 'admin', password: 'password' }
export type GlewlwydServer = InteropServerWithClients

/** The glewlwyd.conf (libconfig) of the run; see /etc/glewlwyd/glewlwyd.conf for each key. */
function configFile(dir: string, port: number, origin: string): string {
  const mime = [
    ['.html', 'text/html'], ['.css', 'text/css'], ['.js', 'application/javascript'],
    ['.json', 'application/json'], ['.png', 'image/png'], ['.ico', 'image/x-icon'],
    ['.woff', 'font/woff'], ['.woff2', 'font/woff2'], ['.ttf', 'font/ttf'],
  ]
  return [
    `port=${port}`,
    'bind_address="127.0.0.1"',
    `external_url="${origin}"`,
    'login_url="login.html"',
    'api_prefix="api"',
    `static_files_path="${dir}/webapp/"`,
    // CORS for the app's own origin only (the package's "*" reaches the authorization endpoint).
    `allow_origin="${origin}"`,
    'log_mode="file"',
    `log_file="${dir}/glewlwyd.log"`,
    `log_level="${process.env.GLEWLWYD_LOG_LEVEL ?? 'WARNING'}"`,
    'cookie_secure=1',
    'admin_session_authentication="cookie"',
    'profile_session_authentication="cookie"',
    'allow_multiple_user_per_session=true',
    'login_api_enabled=true',
    'admin_scope="g_admin"',
    'profile_scope="g_profile"',
    `user_module_path="${MODULES}/user"`,
    `client_module_path="${MODULES}/client"`,
    `user_auth_scheme_module_path="${MODULES}/scheme"`,
    `plugin_module_path="${MODULES}/plugin"`,
    'use_secure_connection=true',
    // Copies in the run's folder: `nobody` may not enter the checkout (a clone under /root).
    `secure_connection_key_file="${dir}/server-key.pem"`,
    `secure_connection_pem_file="${dir}/server.pem"`,
    'hash_algorithm="SHA512"',
    `database = { type = "sqlite3"; path = "${dir}/glewlwyd.db"; };`,
    'static_files_mime_types = (',
    mime.map(([ext, type]) => `  { extension = "${ext}"; mime_type = "${type}"; }`).join(',\n'),
    ')',
    '',
  ].join('\n')
}

/** A private RSA JWKS for the plugin's signatures. */
function signingJwks(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  // The plugin refuses a key without `alg` (400 on the plugin instance).
  const key = privateKey.export({ format: 'jwk' })
  const jwk = { ...key, kid: 'interop-1', alg: 'RS256', use: 'sig' }
  return JSON.stringify({ keys: [jwk] })
}

/** The OIDC plugin instance (parameter names as the package's admin.js defaults them). */
function pluginInstance(issuer: string): Record<string, unknown> {
  return {
    module: 'oidc',
    name: PLUGIN,
    display_name: 'OpenID Connect',
    enabled: true,
    parameters: {
      iss: issuer,
      'jwt-type': 'rsa',
      'jwt-key-size': '256',
      'jwks-private': signingJwks(),
      'default-kid': 'interop-1',
      'jwks-show': true,
      'access-token-duration': 3600,
      'refresh-token-duration': 1209600,
      'code-duration': 600,
      'refresh-token-rolling': true,
      'allow-non-oidc': true,
      'auth-type-code-enabled': true,
      'auth-type-token-enabled': true,
      'auth-type-id-token-enabled': true,
      'auth-type-none-enabled': true,
      'auth-type-password-enabled': false,
      'auth-type-client-enabled': true,
      'auth-type-device-enabled': false,
      'auth-type-refresh-enabled': true,
      'allowed-scope': ['openid', OTHER_SCOPE],
      'subject-type': 'public',
      'pkce-allowed': true,
      'pkce-method-plain-allowed': false,
      // RFC 9207 `iss` in authorization responses.
      'oauth-as-iss-id': true,
      'request-parameter-allow': true,
      'register-client-allowed': true,
      'register-client-auth-scope': [REGISTRATION_SCOPE],
      'register-client-credentials-scope': [],
      'register-client-token-one-use': true,
      'register-client-management-allowed': true,
      'register-default-properties': {},
      'introspection-revocation-allowed': false,
    },
  }
}

interface Answer {
  status: number
  body: string
  cookies: string[]
}

let testCa: string | undefined
/** The test CA that signs Glewlwyd's certificate, read once. */
const caPem = (): string => (testCa ??= readFileSync(`${TLS_DIR}ca.pem`, 'utf8'))

/** One request to Glewlwyd's API over HTTPS, trusting the test CA. */
function call(origin: string, method: string, path: string, body?: unknown, cookie?: string) {
  const ca = caPem()
  const payload = body === undefined ? undefined : JSON.stringify(body)
  return new Promise<Answer>((resolve, reject) => {
    const req = request(`${origin}${path}`, {
      method,
      ca,
      headers: {
        ...(payload ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
      },
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const cookies = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0] ?? '')
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), cookies })
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

async function waitUntilServing(origin: string, child: ChildProcess, log: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break
    try {
      if ((await call(origin, 'GET', '/config/')).status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  let tail = ''
  try {
    tail = readFileSync(log, 'utf8').split('\n').slice(-20).join('\n')
  } catch {
    // no log written
  }
  throw new Error(`glewlwyd did not start (exit ${child.exitCode}):\n${tail}`)
}

/** Sets up scopes, clients, the user and the plugin as the admin; returns the secrets. */
async function provision(origin: string, issuer: string) {
  const login = await call(origin, 'POST', '/api/auth/', SEED_ADMIN)
  const cookie = login.cookies.join('; ')
  const admin = async (method: string, path: string, body?: unknown): Promise<void> => {
    const answer = await call(origin, method, `/api${path}`, body, cookie)
    if (answer.status !== 200) {
      throw new Error(`glewlwyd set-up: ${method} ${path}: ${answer.status} ${answer.body}`)
    }
  }
  if (login.status !== 200) throw new Error(`glewlwyd admin login: ${login.status}`)
  const scope = (name: string, description: string) => ({
    name,
    display_name: name,
    description,
    password_required: true,
    password_max_age: 0,
    scheme: {},
  })
  await admin('PUT', '/scope/openid', scope('openid', 'OpenID Connect'))
  await admin('POST', '/scope/', scope(REGISTRATION_SCOPE, 'Register clients (RFC 7591)'))
  await admin('POST', '/scope/', scope(OTHER_SCOPE, 'A scope that does not allow registration'))
  const registrationSecret = randomBytes(24).toString('base64url')
  await admin('POST', '/client/', {
    client_id: REGISTRATION_CLIENT_ID,
    name: 'Registration client (initial access tokens)',
    enabled: true,
    confidential: true,
    client_secret: registrationSecret,
    authorization_type: ['client_credentials'],
    scope: [REGISTRATION_SCOPE, OTHER_SCOPE],
    redirect_uri: [],
    token_endpoint_auth_method: ['client_secret_basic'],
  })
  const password = randomBytes(18).toString('base64url')
  await admin('POST', '/user/', {
    username: USERNAME,
    name: 'Alice Interop',
    email: 'alice@interop.test',
    password,
    scope: ['openid'],
    enabled: true,
  })
  await admin('POST', '/mod/plugin/', pluginInstance(issuer))
  // The seed's well-known admin password must not outlive the set-up.
  await admin('PUT', '/user/admin', {
    username: SEED_ADMIN.username,
    name: 'The Administrator',
    scope: ['g_admin', 'g_profile'],
    enabled: true,
    password: randomBytes(24).toString('base64url'),
  })
  return { registrationSecret, user: { username: USERNAME, password } }
}

/** A copy of the package's web app that Glewlwyd's static file server can serve. */
function webapp(dir: string): void {
  const target = join(dir, 'webapp')
  cpSync(`${SHARE}/webapp`, target, { recursive: true, dereference: true })
  rmSync(join(target, 'config.json'), { recursive: true, force: true })
  cpSync(`${SHARE}/templates/config.json`, join(target, 'config.json'))
}

/**
 * The run's folder: the database from the package's init script, the web app, the TLS files and
 * the config file, owned by `nobody` when this runs as root.
 */
async function prepareFolder(
  dir: string,
  port: number,
  origin: string,
  ids: { uid: number; gid: number } | undefined,
): Promise<void> {
  const init = spawnSync('sqlite3', [join(dir, 'glewlwyd.db')], {
    input: readFileSync(INIT_SQL, 'utf8'),
    encoding: 'utf8',
  })
  if (init.status !== 0) throw new Error(`sqlite3 ${INIT_SQL}: ${init.stderr || init.error}`)
  webapp(dir)
  for (const file of ['server.pem', 'server-key.pem']) cpSync(`${TLS_DIR}${file}`, join(dir, file))
  writeFileSync(join(dir, 'glewlwyd.conf'), configFile(dir, port, origin))
  if (ids) await chownTree(dir, ids)
}

/** Forwards to Glewlwyd at `inner`, one registration at a time (see the header comment). */
function proxy(inner: string, ca: string): Handler {
  return forwardingProxy({
    upstream: inner,
    ca,
    serialized: (req) =>
      req.method === 'POST' && (req.url ?? '').split('?')[0] === `/api/${PLUGIN}/register`,
  })
}

export async function startGlewlwydServer(): Promise<GlewlwydServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dcr-glewlwyd-'))
  const front = await startLoopbackHttps()
  let child: ChildProcess | undefined
  const stop = async (): Promise<void> => {
    await front.close()
    await stopChild(child)
    if (!process.env.GLEWLWYD_KEEP_DIR) rmSync(dir, { recursive: true, force: true })
  }
  try {
    const port = await freePort()
    const inner = `https://127.0.0.1:${port}`
    const origin = front.origin
    const issuer = `${origin}/api/${PLUGIN}`
    // Glewlwyd never runs as root here.
    const ids = process.getuid?.() === 0 ? await nobody() : undefined
    await prepareFolder(dir, port, origin, ids)
    child = spawn(GLEWLWYD, [`--config-file=${join(dir, 'glewlwyd.conf')}`], {
      stdio: 'ignore',
      ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
    })
    await waitUntilServing(inner, child, join(dir, 'glewlwyd.log'))
    const { registrationSecret, user } = await provision(inner, issuer)
    front.server.on('request', proxy(inner, caPem()))
    const env = {
      GLEWLWYD_ISSUER: issuer,
      GLEWLWYD_IAT_CLIENT_SECRET: registrationSecret,
      GLEWLWYD_USER: user.username,
      GLEWLWYD_PASSWORD: user.password,
    }
    return { ...serverWithClients(front, { issuer, registrationSecret, user, env }), close: stop }
  } catch (error) {
    await stop()
    throw error
  }
}
