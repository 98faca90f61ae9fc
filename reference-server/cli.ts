/**
 * `dcr-conformance serve` and `dcr-conformance faults`: run the reference server by hand, list its
 * faults. Usage errors print a message and return 2.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { parse as parseYaml } from 'yaml'
import { faultCatalogue } from './faults.ts'
import { startReferenceServer } from './index.ts'
import type { ReferenceServerOptions } from './api.ts'

const serveUsage = `Usage: dcr-conformance serve [options]

Runs the reference authorization server until SIGINT/SIGTERM.

Options:
  --port N             port to listen on (default: a random free port)
  --host H             address to bind (default 127.0.0.1)
  --config FILE        policy overrides, JSON or YAML (see reference-server/config.ts)
  --fault NAME         break one rule (repeatable; see \`dcr-conformance faults\`)
  --tls-cert FILE      serve HTTPS with this PEM certificate (needs --tls-key)
  --tls-key FILE       PEM private key for --tls-cert
  -h, --help           show this help

The registration client is \`server\`; its secret comes from DCR_REFERENCE_CLIENT_SECRET, else it
is random and printed.`

const faultsUsage = `Usage: dcr-conformance faults [--format text|json]

Lists the reference server's faults: each breaks exactly one rule, with the requirement IDs it violates.`

class CliUsageError extends Error {}

type Out = { write(text: string): unknown }

const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  config: { type: 'string' },
  fault: { type: 'string', multiple: true },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

const FAULTS_OPTIONS = {
  format: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** `node:util` parseArgs in strict mode; its first error line becomes a usage error. */
function parseStrict<T extends ParseArgsConfig['options']>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new CliUsageError((error as Error).message.split('\n')[0] ?? 'bad arguments')
  }
}

type ServeArgs = ReturnType<typeof parseServeArgs>

function parseServeArgs(argv: string[]) {
  const values = parseStrict(argv, SERVE_OPTIONS)
  const faults = values.fault ?? []
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined))
    throw new CliUsageError('--tls-cert and --tls-key go together')
  const known = new Set(faultCatalogue.map((f) => f.name))
  const unknown = faults.filter((f) => !known.has(f))
  if (unknown.length > 0)
    throw new CliUsageError(
      `unknown fault(s): ${unknown.join(', ')} (see \`dcr-conformance faults\`)`,
    )
  return {
    help: values.help === true,
    port: values.port === undefined ? undefined : portOf(values.port),
    host: values.host,
    config: values.config,
    faults,
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
  }
}

function portOf(text: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535)
    throw new CliUsageError(`--port must be a number 0-65535, got ${JSON.stringify(text)}`)
  return port
}

async function loadConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new CliUsageError(`cannot read --config ${file}: ${(error as Error).message}`)
  }
  let value: unknown
  try {
    value = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    throw new CliUsageError(
      `${file}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    )
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CliUsageError(`${file}: must hold an object`)
  return value as Record<string, unknown>
}

/** `serve`: prints the issuer and credentials, runs until SIGINT/SIGTERM. */
export async function serveCommand(
  argv: string[],
  io: { stdout?: Out; stderr?: Out; signal?: AbortSignal } = {},
): Promise<number> {
  const stdout = io.stdout ?? process.stdout
  const stderr = io.stderr ?? process.stderr
  let args: ServeArgs
  const options: ReferenceServerOptions = {}
  try {
    args = parseServeArgs(argv)
    if (args.help) {
      stdout.write(`${serveUsage}\n`)
      return 0
    }
    if (args.config) options.config = await loadConfigFile(args.config)
    if (args.tlsCert && args.tlsKey) {
      try {
        options.tls = {
          cert: await readFile(args.tlsCert, 'utf8'),
          key: await readFile(args.tlsKey, 'utf8'),
        }
      } catch (error) {
        throw new CliUsageError(`cannot read TLS files: ${(error as Error).message}`)
      }
    }
  } catch (error) {
    if (error instanceof CliUsageError) {
      stderr.write(`dcr-conformance serve: ${error.message}\n${serveUsage}\n`)
      return 2
    }
    throw error
  }
  if (args.port !== undefined) options.port = args.port
  if (args.host !== undefined) options.host = args.host
  options.faults = args.faults

  let server
  try {
    server = await startReferenceServer(options)
  } catch (error) {
    stderr.write(`dcr-conformance serve: cannot start: ${(error as Error).message}\n`)
    return 2
  }
  const fromEnv =
    process.env.DCR_REFERENCE_CLIENT_SECRET !== undefined &&
    server.config.registrationClient.client_secret === undefined
  const rc = server.registrationClient
  stdout.write(
    [
      `issuer:              ${server.issuer}`,
      `discovery:           ${server.issuer}/.well-known/openid-configuration`,
      `registration client: ${rc.client_id} / ${fromEnv ? '(secret from DCR_REFERENCE_CLIENT_SECRET)' : rc.client_secret}  (client_credentials, scope ${rc.scope})`,
      `management client:   ${server.managementClient.client_id} / ${server.managementClient.client_secret}  (scope dcrm)`,
      `login:               ${server.user.username} / ${server.user.password}`,
      `faults:              ${server.faults.length > 0 ? server.faults.join(', ') : 'none'}`,
      `example:             curl -s -u ${rc.client_id}:$SECRET -d grant_type=client_credentials -d scope=dcr ${server.origin}/oauth/v2/oauth-token`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  )
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    io.signal?.addEventListener('abort', stop, { once: true })
  })
  await server.close()
  return 0
}

/** `faults`: the catalogue as a table or JSON. */
export async function faultsCommand(
  argv: string[],
  io: { stdout?: Out; stderr?: Out } = {},
): Promise<number> {
  const stdout = io.stdout ?? process.stdout
  const stderr = io.stderr ?? process.stderr
  let values
  try {
    values = parseStrict(argv, FAULTS_OPTIONS)
    if (values.format !== undefined && values.format !== 'text' && values.format !== 'json')
      throw new CliUsageError('--format must be text or json')
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error
    stderr.write(`dcr-conformance faults: ${error.message}\n${faultsUsage}\n`)
    return 2
  }
  if (values.help) {
    stdout.write(`${faultsUsage}\n`)
    return 0
  }
  const format = values.json ? 'json' : (values.format ?? 'text')
  if (format === 'json') {
    stdout.write(`${JSON.stringify(faultCatalogue, null, 2)}\n`)
    return 0
  }
  const width = Math.max(...faultCatalogue.map((f) => f.name.length))
  const lines = faultCatalogue.map(
    (f) => `${f.name.padEnd(width)}  ${f.description}  [${f.requirements.join(', ')}]`,
  )
  stdout.write(`${faultCatalogue.length} faults (use with --fault NAME):\n\n${lines.join('\n')}\n`)
  return 0
}
