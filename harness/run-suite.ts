/**
 * What `dcr-conformance run` does, without argument parsing or exit codes: validate everything,
 * then start the target (the built-in reference server when asked), discover it and run.
 */
import { cleartextForms } from './http/cleartext-forms.ts'
import { createHttpClient, type ClosableHttpClient } from './http/client.ts'
import { targetOriginPolicy } from './http/origin-policy.ts'
import { startTarget } from './providers/registry.ts'
import { startTargetPublisher } from './cimd/target-publisher.ts'
import { resolveTarget } from './config/targets.ts'
import { preflightIat } from './config/preflight.ts'
import { preflightStaticToken } from './config/preflight-static-token.ts'
import { proxyFromEnv, shownProxy, type ProxySettings } from './http/proxy.ts'
import { issuerFromMcpServer, needsMcpIssuer } from './config/mcp-target.ts'
import { SchemaRegistry } from './checks/schemas.ts'
import type { TargetConfig } from './model/target.ts'
import type { Report } from './model/report.ts'
import type { Reporter } from './model/reporter.ts'
import { runScenarios } from './runner/run.ts'
import { HarnessError } from './errors.ts'
import { RunLedger } from './runner/ledger.ts'
import { ledgerEntryFrom } from './actions/ledger-entry.ts'
import { interruptMessage } from './runner/interrupt.ts'
import { reportUnfinishedRun, trackReporters } from './runner/unfinished-run.ts'
import {
  prepareExpectations,
  prepareReporters,
  prepareSuite,
  prepareTarget,
  type PreparedSuite,
  type PreparedTarget,
} from './runner/prepare.ts'
import { runConfig, type RunConfig, type RunRequest } from './runner/run-config.ts'
import type { KnownDeviation } from './runner/expectations.ts'

/** What runSuite takes: any part of the run configuration, and the run's handles. */
export type RunSuiteOptions = RunRequest & RunHandles

/** Not configuration: what the caller keeps a hold of while the run goes on. */
export interface RunHandles {
  /** Interrupts the run (SIGINT/SIGTERM in the CLI); registered clients are still deleted. */
  signal?: AbortSignal
  /** The run's cleanup ledger (the CLI lists its clients when a second Ctrl-C quits at once). */
  ledger?: RunLedger
}

/** Everything validated, nothing sent yet. */
export interface PreparedRun {
  config: RunConfig
  suite: PreparedSuite
  target: PreparedTarget
  expectations?: KnownDeviation[]
  reporters: Reporter[]
}

/** Validates scenarios, target, expectations and reporters; throws exit-2 errors, sends nothing. */
export async function prepareRun(config: RunConfig): Promise<PreparedRun> {
  const suite = await prepareSuite(config)
  const target = await prepareTarget({ ...config, capabilities: suite.capabilities })
  // The explicit file (absolute in the config) or the target's own (absolute in targets.yaml).
  const expectationsFile =
    config.expectations ?? target.config?.expectations ?? target.launch?.entry?.expectations
  const expectations = await prepareExpectations(
    expectationsFile,
    suite.all,
    config.cwd,
    suite.catalog,
  )
  const reporters = await prepareReporters(config)
  return { config, suite, target, ...(expectations ? { expectations } : {}), reporters }
}

/** A target ready for discovery: its config and the run's HTTP client (origin policy, TLS). */
export interface ConnectedTarget {
  config: TargetConfig
  http: ClosableHttpClient
  /** How the target was found, when that took hops (discovery from an MCP server). */
  notices?: string[]
  /** Closes the HTTP client and stops the reference server when one was started. */
  close(): Promise<void>
}

/** Starts the target when a provider starts it, and creates the HTTP client (run, fuzz). */
export async function connectTarget(
  target: PreparedTarget,
  config: Pick<RunConfig, 'faults' | 'referenceConfig'>,
  signal?: AbortSignal,
): Promise<ConnectedTarget> {
  // The process environment names the proxy, for this client as for Chromium (http/proxy.ts).
  const proxy = proxyFromEnv()
  let targetConfig = target.config
  let caPem = target.caPem
  let stopReference: (() => Promise<void>) | undefined
  if (target.launch) {
    // A target its provider starts (harness/providers/): the reference server, a command, ...
    const started = await startTarget(target.launch, {
      ...(config.faults.length ? { faults: config.faults } : {}),
      ...(config.referenceConfig ? { config: config.referenceConfig } : {}),
    })
    stopReference = () => started.close()
    targetConfig = started.target
    caPem = started.caPem
  }
  const clientFor = (target: TargetConfig) =>
    createHttpClient({
      originPolicy: originPolicyFor(target),
      ...(target.limits ? { limits: target.limits } : {}),
      proxy: proxy ?? false,
      tls: {
        ...(caPem ? { ca: caPem } : {}),
        ...(target.tls?.insecure ? { insecure: true } : {}),
      },
    })
  // The target's Client ID Metadata Document publisher (harness/cimd/), unless it runs already.
  let publisher: Awaited<ReturnType<typeof startTargetPublisher>> = undefined
  let mcp: Awaited<ReturnType<typeof issuerFromMcpServer>> | undefined
  try {
    publisher = await startTargetPublisher(targetConfig!)
    if (publisher) targetConfig = publisher.config
    // A target given only by its MCP server: its issuer first (harness/config/mcp-target.ts).
    if (needsMcpIssuer(targetConfig!)) mcp = await issuerFromMcpServer(targetConfig!, clientFor, signal)
  } catch (error) {
    // Nothing is connected yet, so nobody else would stop what was started.
    await publisher?.close()
    await stopReference?.()
    throw error
  }
  const given = targetConfig!
  const http = clientFor(mcp?.config ?? given)
  const notices = [...(mcp?.notices ?? []), ...proxyNotices(proxy)]
  return {
    config: mcp?.config ?? given,
    http,
    ...(notices.length ? { notices } : {}),
    async close() {
      await http.close()
      await stopReference?.()
      await publisher?.close()
    },
  }
}

/**
 * Starts (reference) or discovers the target and runs the planned scenarios. Whatever happens
 * after validation, every reporter gets a report: a run that cannot start (or is interrupted
 * before its scenarios) is reported `errored` or `interrupted` with the reason
 * (runner/unfinished-run.ts); an error is then rethrown for the CLI's one `error:` line.
 */
export async function executeRun(
  prepared: PreparedRun,
  handles: RunHandles = {},
): Promise<Report> {
  const tracked = trackReporters(prepared.reporters)
  const startedAt = new Date()
  let connected: ConnectedTarget | undefined
  try {
    connected = await connectTarget(prepared.target, prepared.config, handles.signal)
    return await discoverAndRun(prepared, handles, connected, tracked.reporters)
  } catch (error) {
    if (tracked.ended()) throw error
    const interrupted = handles.signal?.aborted === true
    const report = await reportUnfinishedRun({
      reporters: tracked,
      target: connected?.config ?? prepared.target.config,
      scenarios: prepared.suite.planned,
      status: interrupted ? 'interrupted' : 'errored',
      reason: interrupted ? interruptMessage(handles.signal!) : errorLine(error),
      startedAt,
      seed: prepared.config.seed,
      ...(prepared.suite.shard ? { shard: prepared.suite.shard } : {}),
      catalog: prepared.suite.catalog,
    })
    if (interrupted) return report
    throw error
  } finally {
    await connected?.close()
  }
}

async function discoverAndRun(
  prepared: PreparedRun,
  handles: RunHandles,
  connected: ConnectedTarget,
  reporters: Reporter[],
): Promise<Report> {
  const { config: targetConfig, http } = connected
  const resolved = await resolveTarget(targetConfig, http)
  // doctor's blocking parts first: a wrong IAT secret or static token is one line, not every
  // scenario errored or failed.
  await preflightIat(resolved, http, handles.signal)
  const ledger = handles.ledger ?? new RunLedger()
  await preflightStaticToken(resolved, http, {
    ...(handles.signal ? { signal: handles.signal } : {}),
    // A client the probe registered after all is deleted with the run's others.
    onRegistered: (body) => {
      const entry = ledgerEntryFrom(body)
      if (entry) ledger.track(entry)
    },
  })
  const { suite } = prepared
  return await runScenarios(prepared.config, {
    target: resolved,
    scenarios: suite.planned,
    http,
    reporters,
    notices: [...prepared.target.notices, ...(connected.notices ?? [])],
    catalog: suite.catalog,
    ...(await suiteSchemas(suite.schemaFolders)),
    shard: suite.shard,
    expectations: prepared.expectations,
    ...handles,
    ledger,
  })
}

/** Which proxy the run's requests go through, said once (its user and password left out). */
function proxyNotices(proxy: ProxySettings | undefined): string[] {
  if (!proxy) return []
  const through = [
    ...(proxy.https ? [`https through ${shownProxy(proxy.https)}`] : []),
    ...(proxy.http ? [`http through ${shownProxy(proxy.http)}`] : []),
  ]
  return [
    `proxy from the environment: ${through.join(', ')}; bypassed for ${proxy.noProxy} ` +
      '(NO_PROXY and loopback)',
  ]
}

/** The one line an error prints (harness/commands/cli-io.ts printError says the same). */
function errorLine(error: unknown): string {
  if (error instanceof HarnessError) return `${error.message} [${error.code}]`
  return `harness fault: ${error instanceof Error ? error.message : String(error)}`
}

/**
 * The target's origin policy. A target declaring `plain_http_probe` lets the cleartext probe
 * (registration/cleartext-http-refused) send its registration, with an IAT, to the `http://`
 * forms of the issuer's origin (actions/fixtures/plain-http-probe.ts): that is what the
 * capability allows, for the probe's requests only; no other request goes there with one.
 */
function originPolicyFor(config: TargetConfig) {
  const probe: string[] = []
  if (config.capabilities?.includes('plain_http_probe')) {
    probe.push(...cleartextForms(new URL(config.issuer)).map((url) => new URL(url).origin))
  }
  return targetOriginPolicy(config, probe)
}

/** Validate, start, run; returns the (redacted) report. */
export async function runSuite(options: RunSuiteOptions = {}): Promise<Report> {
  const { signal, ledger, ...request } = options
  return executeRun(await prepareRun(runConfig(request)), { signal, ledger })
}

/** A suite folder's own schemas join the package's (harness/scenario/extension.ts). */
async function suiteSchemas(folders: string[] | undefined): Promise<{ schemas?: SchemaRegistry }> {
  return folders && folders.length > 1 ? { schemas: await SchemaRegistry.load(folders) } : {}
}
