/**
 * `dcr-conformance init ISSUER`: reads the issuer's discovery document, asks the registration
 * endpoint whether it needs an initial access token, and writes a commented targets.yaml entry:
 * suggested capabilities, the IAT strategy, secrets as `${{ env.NAME }}` placeholders
 * (config/env.ts) and the schema comment for editors. Clients the probe registers are deleted.
 * `init --mcp-server URL` walks the MCP server's hops to its issuer first (doctor-mcp.ts) and
 * writes `mcp_server` in place of `issuer`.
 */
import { existsSync } from 'node:fs'
import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { dirname, relative, resolve, sep } from 'node:path'
import type { CliIo } from './cli-io.ts'
import { registerAction } from '../actions/register.ts'
import { discoverTarget } from '../config/discovery.ts'
import { targetFromIssuer } from '../config/targets.ts'
import { INIT_USAGE } from '../config/usage.ts'
import { parseCommand } from '../config/args.ts'
import { HarnessError, UsageError } from '../errors.ts'
import { createHttpClient } from '../http/client.ts'
import { createOriginPolicy } from '../http/origin-policy.ts'
import { packagePath } from '../package-root.ts'
import { RunLedger } from '../runner/ledger.ts'
import type { ResolvedTarget, TargetConfig } from '../model/target.ts'
import { capabilityEvidence, suggestedCapabilities } from './capability-hints.ts'
import { checkDiscovery } from './doctor-discovery.ts'
import { hopFindings, scopeFinding, walkMcpServer, type McpWalk } from './doctor-mcp.ts'
import { targetEntry, type EntryFacts } from './init-entry.ts'

/** The targets schema, at the package root in the sources and the installed package alike. */
export const TARGETS_SCHEMA_FILE = packagePath('harness', 'config', 'targets.schema.json')

export async function initCommand(argv: string[], io: CliIo): Promise<number> {
  const stdout = io.stdout ?? process.stdout
  const parsed = parseCommand(
    argv,
    {
      name: { type: 'string' },
      targets: { type: 'string' },
      ca: { type: 'string' },
      'mcp-server': { type: 'string' },
    },
    { command: 'init', usage: INIT_USAGE, stdout, operands: true },
  )
  if (!parsed) return 0
  const { values, positionals } = parsed
  const mcpServer = values['mcp-server']
  if (positionals.length !== (mcpServer === undefined ? 1 : 0)) {
    throw new UsageError(
      'init: give exactly one ISSUER URL, or --mcp-server URL alone (see dcr-conformance init --help)',
    )
  }
  const cwd = io.cwd ?? process.cwd()
  const base =
    mcpServer === undefined ? targetFromIssuer(positionals[0]!) : targetFromMcpServer(mcpServer)
  const name = values.name ?? base.name.replace(/[^A-Za-z0-9._-]+/g, '-')
  // The targets schema's propertyNames pattern (harness/config/targets.schema.json).
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new UsageError(`init: --name '${name}' is not a valid target name`)
  }
  const file = values.targets === '-' ? undefined : resolve(cwd, values.targets ?? 'targets.yaml')
  const existing = file && existsSync(file) ? await readFile(file, 'utf8') : undefined
  // Before anything is sent: an entry is never written twice.
  if (existing !== undefined && new RegExp(`^${name.replace(/[.]/g, '\\.')}:`, 'm').test(existing)) {
    throw new UsageError(`init: ${file} already has a target '${name}' (choose another --name)`)
  }
  const caFile = values.ca ? resolve(cwd, values.ca) : undefined
  const caPem = caFile ? await readCa(caFile) : undefined
  const config = { ...base, name, ...(caFile ? { tls: { ca: caFile } } : {}) }
  const facts = await learn(config, caPem, io.env ?? process.env)
  const ca = caFile && file ? relativePath(dirname(file), caFile) : caFile
  const entry = targetEntry(name, { ...facts, ...(ca ? { ca } : {}) })
  if (!file) {
    stdout.write(entry)
    return 0
  }
  if (existing !== undefined) {
    await appendFile(file, `${existing.endsWith('\n') || existing === '' ? '' : '\n'}\n${entry}`)
  } else {
    const schema = relativePath(dirname(file), TARGETS_SCHEMA_FILE)
    await writeFile(file, `# yaml-language-server: $schema=${schema}\n\n${entry}`)
  }
  const targetsOption = values.targets ? ` --targets ${values.targets}` : ''
  stdout.write(
    `wrote target '${name}' to ${file}; next: dcr-conformance doctor --target ${name}${targetsOption}\n`,
  )
  return 0
}

function relativePath(from: string, to: string): string {
  const path = relative(from, to).split(sep).join('/')
  return path.startsWith('.') ? path : `./${path}`
}

async function readCa(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(`init: cannot read --ca ${file}: ${(error as Error).message}`)
  }
}

/** A target given by its MCP server URL: its issuer is found by the hops (doctor-mcp.ts). */
function targetFromMcpServer(url: string): TargetConfig {
  return { ...targetFromIssuer(url), issuer: '', mcp_server: url }
}

/** The MCP hops first when the issuer is not known, as `init`'s error or the entry's comments. */
async function walk(config: TargetConfig, caPem: string | undefined): Promise<McpWalk> {
  const walked = await walkMcpServer(config, caPem)
  if (walked.found) return walked
  const failed = walked.findings.find((finding) => finding.status === 'fail')
  const message = `init: ${failed?.message ?? 'no issuer'}; fix: ${failed?.fix ?? ''}`
  throw new HarnessError(failed?.error?.code ?? 'E_DISCOVERY', message)
}

/** Discovery and one registration without a token (deleted again when it succeeds). */
async function learn(
  given: TargetConfig,
  caPem: string | undefined,
  env: Record<string, string | undefined>,
): Promise<EntryFacts> {
  const mcp = await walk(given, caPem)
  const config = mcp.config
  const http = createHttpClient({
    originPolicy: createOriginPolicy({ issuer: config.issuer, credentialOrigins: [] }),
    tls: caPem ? { ca: caPem } : {},
  })
  try {
    const discovery = await checkDiscovery(config, http, env)
    const failed = discovery.findings.find((finding) => finding.status === 'fail')
    if (failed) {
      const message = `init: ${failed.message}; fix: ${failed.fix ?? ''}`
      throw new HarnessError(failed.error?.code ?? 'E_DISCOVERY', message)
    }
    const target = await discoverTarget(config, http)
    const status = await probeRegistration(target, http)
    // RFC 7591 §3: a server that wants an initial access token refuses a registration without.
    const iatRequired =
      status === 401 || status === 403 ? true : status >= 200 && status < 300 ? false : undefined
    const evidence = capabilityEvidence(config.issuer, discovery.metadata ?? {}, {
      rfc8414: discovery.rfc8414,
      ...(iatRequired !== undefined ? { iatRequired } : {}),
    })
    // The issuer has its own line in the entry (init-entry.ts): the hops and the scope here.
    const found = mcp.discovery && [...hopFindings(mcp.discovery.hops), scopeFinding(mcp.discovery)]
    return {
      issuer: config.issuer,
      metadata: discovery.metadata ?? {},
      capabilities: [...suggestedCapabilities(evidence), ...(mcp.discovery ? ['mcp'] : [])],
      registrationStatus: status,
      ...(found ? { mcp: { server: config.mcp_server!, hops: found.map((f) => f.message) } } : {}),
    }
  } finally {
    await http.close()
  }
}

async function probeRegistration(
  target: ResolvedTarget,
  http: ReturnType<typeof createHttpClient>,
): Promise<number> {
  if (!target.endpoints['registration_endpoint']) return 0
  const ledger = new RunLedger()
  const context = {
    target,
    http,
    ledger,
    initialAccessToken: async () => undefined,
    browser: () => Promise.reject(new HarnessError('E_INTERNAL', 'init opens no browser')),
    callbackUrl: 'http://127.0.0.1/callback',
    scenarioId: 'init',
    artifactsDir: '.',
    signal: AbortSignal.timeout(30_000),
    notice: () => undefined,
  }
  try {
    const metadata = { client_name: 'dcr-conformance init', redirect_uris: [context.callbackUrl] }
    return (await registerAction.execute({ token: 'none', metadata }, context)).data.status ?? 0
  } finally {
    await ledger.deleteAll(http, {
      canDelete: true,
      registrationEndpoint: target.endpoints['registration_endpoint'],
    })
  }
}
