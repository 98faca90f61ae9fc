/**
 * What `dcr-conformance fuzz` does, without argument parsing: resolve and start the target as
 * `run` does (run-suite.ts), search (search.ts), delete every client the cases registered
 * (RFC 7592 DELETE, runner/ledger.ts) and describe the findings.
 */
import { loadVocabulary, repoRoot } from '../scenario/vocabulary.ts'
import { prepareTarget } from '../runner/prepare.ts'
import { runConfig } from '../runner/run-config.ts'
import { connectTarget } from '../run-suite.ts'
import { resolveTarget } from '../config/targets.ts'
import { preflightIat } from '../config/preflight.ts'
import { defaultScope } from '../config/scope.ts'
import { createRedactor, type Redactor } from '../redact.ts'
import type { ClosableHttpClient } from '../http/client.ts'
import { RunLedger, type Leftover } from '../runner/ledger.ts'
import { learnTargetSecrets } from '../runner/secrets.ts'
import { TOOL } from '../runner/run-report.ts'
import type { ResolvedTarget, TargetConfig } from '../model/target.ts'
import type { CaseKind } from './case.ts'
import { fuzzCases } from './generators/cases.ts'
import { runCase } from './execute.ts'
import { describeFinding, type Finding } from './finding.ts'
import { search, type SearchResult } from './search.ts'
import { createFuzzServices } from './services.ts'

export const DEFAULT_RUNS = 200
export const DEFAULT_TIME_BUDGET_MS = 300_000
export const DEFAULT_MAX_FINDINGS = 10

export interface FuzzOptions {
  target?: string | TargetConfig
  targetsFile?: string
  /** Reference-server faults (reference target only). */
  faults?: string[]
  seed?: number
  runs?: number
  timeBudgetMs?: number
  maxFindings?: number
  cwd?: string
  env?: Record<string, string | undefined>
  signal?: AbortSignal
  /** The cleanup ledger (the CLI lists what it holds on a hard quit); default a new one. */
  ledger?: RunLedger
  /** Notices as they happen (the console prints them). */
  onNotice?(message: string): void
}

export type FuzzStatus = 'passed' | 'warned' | 'failed' | 'errored' | 'interrupted'

export interface FuzzReport {
  tool: typeof TOOL
  target: { name: string; issuer: string }
  seed: number
  budget: { runs: number; timeBudgetMs: number }
  /** The reference-server faults injected, when any: a replay needs them too. */
  faults?: string[]
  runs: number
  shrinks: number
  durationMs: number
  stoppedBy: SearchResult['stoppedBy']
  status: FuzzStatus
  /** Why the search could not go on (errored status). */
  problem?: string
  findings: Finding[]
  /** Per kind of case: how many were sent, created (2xx) and refused (4xx), shrinking included. */
  answers: Partial<Record<CaseKind, { sent: number; created: number; refused: number }>>
  clients: { registered: number; leftovers: Leftover[] }
  notices: string[]
}

export async function runFuzz(options: FuzzOptions = {}): Promise<FuzzReport> {
  const started = performance.now()
  const seed = options.seed ?? Math.floor(Math.random() * 0x1_0000_0000)
  const budget = {
    runs: options.runs ?? DEFAULT_RUNS,
    timeBudgetMs: options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
  }
  const vocabulary = await loadVocabulary(repoRoot())
  // The target part of a run configuration: the same defaults and rules as `run`.
  const config = runConfig({
    target: options.target,
    targetsFile: options.targetsFile,
    faults: options.faults,
    cwd: options.cwd,
    env: options.env,
  })
  const prepared = await prepareTarget({ ...config, capabilities: vocabulary.capabilities })
  const notices = [...prepared.notices]
  const redactor = createRedactor()
  const notice = (message: string) => {
    const clean = redactor.redactText(message)
    if (notices.includes(clean)) return
    notices.push(clean)
    options.onNotice?.(clean)
  }
  const connected = await connectTarget(prepared, config, options.signal)
  // What connecting found out (the proxy in use, an MCP server's issuer), as `run` says it.
  for (const message of connected.notices ?? []) notice(message)
  const ledger = options.ledger ?? new RunLedger()
  const answers: FuzzReport['answers'] = {}
  let target: ResolvedTarget | undefined
  let result: SearchResult
  let leftovers: Leftover[] = []
  let registered = 0
  try {
    target = await resolveTarget(connected.config, connected.http)
    learnTargetSecrets(target, redactor)
    await preflightIat(target, connected.http, options.signal)
    const context = { target, http: connected.http, ledger, redactor, seed, notice, answers }
    result = await searchTarget(context, budget, options)
  } finally {
    registered = ledger.entries().length
    if (target) leftovers = await deleteClients(ledger, target, connected.http)
    await connected.close()
  }
  const findings = result.findings.map((raw) => describeFinding(raw, seed, redactor))
  return {
    tool: TOOL,
    target: { name: target.name, issuer: target.issuer },
    seed,
    budget,
    ...(options.faults?.length ? { faults: [...options.faults] } : {}),
    runs: result.runs,
    shrinks: result.shrinks,
    durationMs: Math.round(performance.now() - started),
    stoppedBy: result.stoppedBy,
    status: statusOf(result, findings),
    ...(result.setupProblem ? { problem: redactor.redactText(result.setupProblem) } : {}),
    findings,
    answers,
    clients: { registered, leftovers: redactor.redactValue(leftovers) },
    notices,
  }
}

interface SearchContext {
  target: ResolvedTarget
  http: ClosableHttpClient
  ledger: RunLedger
  redactor: Redactor
  seed: number
  notice(message: string): void
  answers: FuzzReport['answers']
}

/** The search with the run's services; counts the answers per kind of case. */
async function searchTarget(
  context: SearchContext,
  budget: FuzzReport['budget'],
  options: FuzzOptions,
): Promise<SearchResult> {
  const { target, answers, notice } = context
  const signal = options.signal ? { signal: options.signal } : {}
  const fuzz = await createFuzzServices({ ...context, ...signal })
  try {
    return await search({
      arbitrary: fuzzCases({
        withScope: defaultScope(target, target.metadata) !== undefined,
        oidc: target.capabilities.includes('oidc'),
      }),
      seed: context.seed,
      runs: budget.runs,
      timeBudgetMs: budget.timeBudgetMs,
      maxFindings: options.maxFindings ?? DEFAULT_MAX_FINDINGS,
      runCase: async (fuzzCase) => {
        const run = await runCase(fuzzCase, fuzz.services)
        const status = run.result.steps[0]?.exchanges.at(-1)?.response?.status ?? 0
        const count = (answers[fuzzCase.kind] ??= { sent: 0, created: 0, refused: 0 })
        count.sent++
        if (status >= 200 && status < 300) count.created++
        if (status >= 400 && status < 500) count.refused++
        return run
      },
      ...signal,
    })
  } finally {
    await fuzz
      .close()
      .catch((error: unknown) => notice(`closing the browser services failed: ${String(error)}`))
  }
}

/** Every client a case registered, deleted a few at a time within the target's concurrency. */
function deleteClients(ledger: RunLedger, target: ResolvedTarget, http: ClosableHttpClient) {
  const endpoint = target.endpoints['registration_endpoint']
  return ledger.deleteAll(http, {
    canDelete: target.capabilities.includes('delete'),
    ...(endpoint ? { registrationEndpoint: endpoint } : {}),
    ...(target.limits?.concurrency ? { concurrency: target.limits.concurrency } : {}),
  })
}

function statusOf(result: SearchResult, findings: Finding[]): FuzzStatus {
  if (result.stoppedBy === 'setup') return 'errored'
  if (result.stoppedBy === 'interrupt') return 'interrupted'
  if (findings.some((finding) => finding.level === 'must')) return 'failed'
  return findings.length > 0 ? 'warned' : 'passed'
}

/** The exit code, as `run` has it: 0 none found, 1 findings, 3 runtime (errored, interrupted). */
export function exitCodeOf(report: FuzzReport): number {
  if (report.status === 'errored' || report.status === 'interrupted') return 3
  return report.status === 'failed' ? 1 : 0
}
