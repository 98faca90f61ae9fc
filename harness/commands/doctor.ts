/**
 * `dcr-conformance doctor`: a preflight of one target in seconds. TLS trust, discovery at both
 * well-known URLs, the registration endpoint and its IAT, the IAT strategy, the login recipe,
 * and the declared capabilities against what discovery and the probes suggest; every problem
 * with a fix. Exit 0 when nothing failed, 3 when a check failed, 2 on a configuration error.
 */
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import type { EngineActionContext, IatPurpose } from '../actions/iat-context.ts'
import type { CliIo } from './cli-io.ts'
import { parseCommand } from '../config/args.ts'
import { runConfig } from '../runner/run-config.ts'
import { startTarget } from '../providers/registry.ts'
import { discoverTarget } from '../config/discovery.ts'
import { DOCTOR_USAGE } from '../config/usage.ts'
import { HarnessError } from '../errors.ts'
import { createHttpClient } from '../http/client.ts'
import { targetOriginPolicy } from '../http/origin-policy.ts'
import { createRedactor } from '../redact.ts'
import { startBrowserServices, type RunBrowserServices } from '../runner/browser.ts'
import { obtainRunIat } from '../runner/iat-provider.ts'
import { RunLedger } from '../runner/ledger.ts'
import { prepareTarget } from '../runner/prepare.ts'
import { learnTargetSecrets } from '../runner/secrets.ts'
import { loadVocabulary } from '../scenario/vocabulary.ts'
import type { ResolvedTarget, TargetConfig } from '../model/target.ts'
import { capabilityEvidence, compareCapabilities, type CapabilityDiff } from './capability-hints.ts'
import { checkDiscovery, type Finding } from './doctor-discovery.ts'
import { walkMcpServer } from './doctor-mcp.ts'
import { checkRegistration } from './doctor-registration.ts'

type Driver = 'auto' | 'browser' | 'http'

export async function doctorCommand(argv: string[], io: CliIo): Promise<number> {
  const { printError } = await import('./cli-io.ts')
  const stdout = io.stdout ?? process.stdout
  const parsed = parseCommand(
    argv,
    {
      target: { type: 'string' },
      targets: { type: 'string' },
      'login-driver': { type: 'string' },
    },
    { command: 'doctor', usage: DOCTOR_USAGE, stdout },
  )
  if (!parsed) return 0
  const { values } = parsed
  const run = runConfig({
    target: values.target,
    targetsFile: values.targets,
    loginDriver: values['login-driver'] as Driver | undefined,
    cwd: io.cwd,
    env: io.env,
  })
  const { loginDriver: driver } = run
  const env = { ...run.env }
  const { capabilities } = await loadVocabulary()
  const prepared = await prepareTarget({ ...run, capabilities })
  let config = prepared.config
  let caPem = prepared.caPem
  let stop: (() => Promise<void>) | undefined
  if (prepared.launch) {
    const started = await startTarget(prepared.launch)
    stop = () => started.close()
    config = started.target
    caPem = started.caPem
  }
  try {
    // A target given only by its MCP server: the hops to its issuer first (doctor-mcp.ts).
    const mcp = await walkMcpServer(config!, caPem)
    const rest = mcp.found ? await diagnose(mcp.config, caPem, driver, env) : []
    const findings = [...mcp.findings, ...rest]
    const redactor = createRedactor()
    learnTargetSecrets(config!, redactor)
    const print = (text: string) => stdout.write(`${redactor.redactText(text)}\n`)
    print(`doctor: target '${config!.name}' (${config!.issuer || config!.mcp_server})`)
    for (const finding of [...prepared.notices.map(noticeFinding), ...findings]) {
      print(`  ${finding.status.padEnd(4)} ${finding.check}: ${finding.message}`)
      if (finding.fix && finding.status !== 'ok') print(`       fix: ${finding.fix}`)
    }
    const failed = findings.filter((finding) => finding.status === 'fail')
    print(`doctor: ${failed.length === 0 ? 'ready to run' : `${failed.length} problem(s)`}`)
    const stderr = io.stderr ?? process.stderr
    for (const finding of failed) if (finding.error) printError(finding.error, stderr)
    return failed.length > 0 ? 3 : 0
  } finally {
    await stop?.()
  }
}

function noticeFinding(message: string): Finding {
  return { check: 'config', status: 'hint', message }
}

/** Every check against one configured target; sends requests, deletes what it registered. */
export async function diagnose(
  config: TargetConfig,
  caPem: string | undefined,
  driver: Driver,
  env: Record<string, string | undefined>,
): Promise<Finding[]> {
  const http = createHttpClient({
    originPolicy: targetOriginPolicy(config),
    ...(config.limits ? { limits: config.limits } : {}),
    tls: { ...(caPem ? { ca: caPem } : {}), ...(config.tls?.insecure ? { insecure: true } : {}) },
  })
  try {
    const discovery = await checkDiscovery(config, http, env)
    if (discovery.blocked || discovery.findings.some((finding) => finding.status === 'fail')) {
      return discovery.findings
    }
    const target = await discoverTarget(config, http)
    const findings = [...discovery.findings]
    const probed = await probe(target, http, driver, findings)
    const evidence = capabilityEvidence(config.issuer, discovery.metadata ?? {}, {
      rfc8414: discovery.rfc8414,
      ...probed,
    })
    findings.push(...capabilityFindings(compareCapabilities(target.capabilities, evidence)))
    return findings
  } finally {
    await http.close()
  }
}

function capabilityFindings(diff: CapabilityDiff): Finding[] {
  const findings: Finding[] = []
  if (diff.missing.length > 0) {
    findings.push({
      check: 'capabilities',
      status: 'hint',
      message: `discovery and probes suggest declaring: ${diff.missing.join(', ')}`,
      fix: 'add them to capabilities (scenarios needing them are skipped otherwise)',
    })
  }
  if (diff.unsupported.length > 0) {
    findings.push({
      check: 'capabilities',
      status: 'hint',
      message: `declared, but discovery and probes speak against: ${diff.unsupported.join(', ')}`,
      fix: 'remove them, or expect failures in the scenarios that need them',
    })
  }
  if (findings.length > 0) return findings
  const message = 'the declared capabilities agree with discovery and the probes'
  return [{ check: 'capabilities', status: 'ok', message }]
}

/** Registration, IAT and login, with the engine's actions; every registered client is deleted. */
async function probe(
  target: ResolvedTarget,
  http: ReturnType<typeof createHttpClient>,
  driver: Driver,
  findings: Finding[],
) {
  const notices: string[] = []
  const ledger = new RunLedger()
  const artifactsDir = join(tmpdir(), 'dcr-conformance-doctor')
  let browser: RunBrowserServices | undefined
  try {
    const notice = (message: string) => void notices.push(message)
    browser = await startBrowserServices({ target, driver, http, notice, artifactsDir })
    const services = browser
    const iat = (purpose: IatPurpose, signal?: AbortSignal) =>
      obtainRunIat({ target, http, browser: services, artifactsDir }, purpose, signal)
    const context: EngineActionContext = {
      iat,
      target,
      http,
      ledger,
      initialAccessToken: async (signal) => (await iat('initial-access-token', signal)).token,
      browser: async () => services,
      callbackUrl: services.callbackUrlFor('doctor'),
      scenarioId: 'doctor',
      artifactsDir,
      signal: AbortSignal.timeout(120_000),
      notice,
    }
    const loginWanted = !!target.login || target.capabilities.includes('user_login')
    const result = await checkRegistration(context, loginWanted)
    findings.push(...result.findings, ...notices.map(noticeFinding))
    return result.facts
  } catch (error) {
    const message = (error as Error).message.replace(/\s+/g, ' ')
    const cause = error instanceof HarnessError ? error : new HarnessError('E_INTERNAL', message)
    findings.push({ check: 'registration', status: 'fail', message, error: cause })
    return {}
  } finally {
    await browser?.close().catch(() => undefined)
    const endpoint = target.endpoints['registration_endpoint']
    const leftovers = await ledger.deleteAll(http, {
      canDelete: true,
      ...(endpoint ? { registrationEndpoint: endpoint } : {}),
    })
    for (const left of leftovers) {
      const message = `client ${left.client_id} left over: ${left.reason}`
      findings.push({ check: 'cleanup', status: 'hint', message })
    }
  }
}
