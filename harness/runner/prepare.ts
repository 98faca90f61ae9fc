/**
 * Everything that can be checked before a single request is sent: scenario files (YAML, schema,
 * lint), target configuration, expectations file, reporters, TLS files. Errors here exit 2.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import { FileErrors, HarnessError, UsageError } from '../errors.ts'
import { loadScenarioFiles, type LoadedScenario } from '../scenario/load.ts'
import { expandPatterns } from '../scenario/files.ts'
import type { ScenarioHeader } from '../scenario/header.ts'
import { lintScenarios, type LintVocabulary } from '../scenario/lint.ts'
import { extendedVocabulary } from '../scenario/extension.ts'
import { registerSuiteFixtures } from '../actions/fixtures/external.ts'
import { isReporterModule, loadReporterModule } from './custom-reporter.ts'
import { loadTargets, targetFromIssuer } from '../config/targets.ts'
import { BUILTIN_PROVIDER, registeredBuiltinTarget } from '../config/builtin-target.ts'
import type { ProviderLaunch } from '../providers/target-provider.ts'
import type { TargetConfig } from '../model/target.ts'
import type { ShardOfPlan } from '../model/report.ts'
import type { Reporter } from '../model/reporter.ts'
import { loadExpectations, type KnownDeviation } from './expectations.ts'
import type { CatalogRow } from '../verdicts/requirements.ts'
import { planScenarios } from './plan.ts'
import { defaultSuitesFolder } from './suite-patterns.ts'
import { REFERENCE_TARGET, type RunConfig } from './run-config.ts'

/** What preparing the scenarios reads of the run configuration. */
export type SuiteSelection = Pick<RunConfig, 'cwd' | 'suite' | 'grep' | 'tags' | 'shard'>

/** What resolving the target reads of the run configuration. */
export type TargetSelection = Pick<RunConfig, 'cwd' | 'env' | 'target' | 'targetsFile'> & {
  /** Known capabilities: a targets-file entry declaring another one is a config error. */
  capabilities?: ReadonlySet<string> | ReadonlyMap<string, unknown>
}

export interface PreparedSuite {
  /** Every scenario loaded (for expectation ids); with --grep or --tag, those that can match. */
  all: LoadedScenario[]
  planned: LoadedScenario[]
  /** The capability names the scenarios' vocabulary knows. */
  capabilities: ReadonlySet<string> | ReadonlyMap<string, unknown>
  /** The requirements catalog (titles and levels) the scenarios cite. */
  catalog: ReadonlyMap<string, CatalogRow>
  /** This run's shard of the whole plan, when sharded. */
  shard?: ShardOfPlan
  /** Response schema folders: the package's, then the suite folders' own (extension.ts). */
  schemaFolders?: string[]
}

/** Loads, lints and plans scenarios. Throws FileErrors/UsageError (exit 2). */
export async function prepareSuite(selection: SuiteSelection): Promise<PreparedSuite> {
  const { cwd, shard } = selection
  const filters = {
    ...(selection.grep !== undefined ? { grep: selection.grep } : {}),
    ...(selection.tags ? { tags: [...selection.tags] } : {}),
  }
  planScenarios([], filters) // an invalid --grep is a usage error before any file is read
  // With --grep or --tag, files whose header cannot match are not parsed (scenario/header.ts).
  const filtered = filters.grep !== undefined || filters.tags !== undefined
  const mayMatch = (header: ScenarioHeader) => planScenarios([{ doc: header }], filters).length > 0
  const all = await loadScenarioFiles([...selection.suite], {
    cwd,
    ...(filtered ? { mayMatch } : {}),
  })
  const vocabulary = await vocabularyFor(all)
  const errors = lintScenarios(all, vocabulary)
  if (errors.length > 0) throw new FileErrors(errors)
  const whole = planScenarios(all, filters)
  // An empty selection (a mistyped --grep or --tag) would otherwise pass as a run of nothing. An
  // empty shard of a non-empty plan is not one: a plan may have fewer scenarios than shards.
  if (whole.length === 0) throw new UsageError(emptySelection(selection))
  const planned = shard ? planScenarios(all, { ...filters, shard }) : whole
  return {
    all,
    planned,
    capabilities: vocabulary.capabilities,
    catalog: vocabulary.catalog,
    schemaFolders: vocabulary.schemaFolders,
    // Every shard of one plan names the same plan, so `merge` can tell a missing shard.
    ...(shard ? { shard: { ...shard, plan: planHash(whole) } } : {}),
  }
}

/** Why nothing was selected, naming the selection. */
function emptySelection(selection: SuiteSelection): string {
  // The package's own suites (no --suite given) are not named: the user did not choose them.
  const chosen = selection.suite.filter((pattern) => pattern !== defaultSuitesFolder())
  const parts = [
    ...chosen.map((pattern) => `--suite ${relative(selection.cwd, pattern) || '.'}`),
    ...(selection.grep !== undefined ? [`--grep ${JSON.stringify(String(selection.grep))}`] : []),
    ...(selection.tags?.length ? [`--tag ${selection.tags.join(',')}`] : []),
  ]
  return `no scenario matches the selection (${parts.join(' ')}): nothing would be tested`
}

/** A short hash of the ids of a whole (unsharded) plan. */
function planHash(scenarios: LoadedScenario[]): string {
  const ids = scenarios.map((scenario) => scenario.doc.id).join('\n')
  return createHash('sha256').update(ids).digest('hex').slice(0, 16)
}

/**
 * The package's requirements, capabilities, fixtures and schemas, extended by each suite folder
 * outside the package that carries its own (harness/scenario/extension.ts); the suite folders'
 * fixtures become loadable by name for this run.
 */
async function vocabularyFor(
  scenarios: LoadedScenario[],
): Promise<
  LintVocabulary & { catalog: ReadonlyMap<string, CatalogRow>; schemaFolders: string[] }
> {
  const names = await extendedVocabulary(scenarios.map((scenario) => scenario.suitesRoot))
  registerSuiteFixtures(names.fixtureFiles)
  const faults = await faultNames()
  return {
    requirements: names.requirements,
    catalog: names.requirements,
    capabilities: names.capabilities,
    untested: names.untested,
    fixtures: names.fixtures,
    schemas: names.schemas,
    schemaFolders: names.schemaFolders,
    ...(faults ? { faults } : {}),
  }
}

/** The built-in target's fault names, when one is registered (builtin-target.ts). */
async function faultNames(): Promise<ReadonlySet<string> | undefined> {
  return registeredBuiltinTarget()?.faultNames()
}

export interface PreparedTarget {
  /** The config, or undefined for the built-in reference target (started later). */
  config?: TargetConfig
  isReference: boolean
  /** Set when a provider starts the target (the reference target, or an entry with `provider:`). */
  launch?: ProviderLaunch
  notices: string[]
  /** PEM text of the extra CA (read now so a missing file is a config error). */
  caPem?: string
}

/** Resolves `--target` without sending anything. */
export async function prepareTarget(selection: TargetSelection): Promise<PreparedTarget> {
  const { cwd, target } = selection
  if (target === REFERENCE_TARGET) {
    return { isReference: true, launch: { provider: BUILTIN_PROVIDER }, notices: [] }
  }
  let config: TargetConfig
  const notices: string[] = []
  if (typeof target !== 'string') config = target
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) config = targetFromIssuer(target)
  else {
    const file = selection.targetsFile
    if (!existsSync(file)) {
      throw new UsageError(
        `--target ${target}: no targets file at ${file} (use --targets FILE or an issuer URL)`,
      )
    }
    const loaded = await loadTargets(file, {
      only: [target],
      env: selection.env,
      ...(selection.capabilities ? { capabilities: selection.capabilities } : {}),
    })
    const launch = loaded.launches.get(target)
    if (launch) return { isReference: false, launch, notices: [...loaded.notices] }
    const found = loaded.targets.get(target)
    if (!found) {
      const known = loaded.names.length ? ` (known: ${loaded.names.join(', ')}, reference)` : ''
      throw new UsageError(`--target ${target}: no such target in ${file}${known}`)
    }
    config = found
    notices.push(...loaded.notices)
  }
  if (config.tls?.insecure) {
    notices.push(
      `TLS certificate verification is DISABLED for target '${config.name}' (tls.insecure: true); use only for development`,
    )
  }
  let caPem: string | undefined
  if (config.tls?.ca) {
    try {
      caPem = await readFile(resolve(cwd, config.tls.ca), 'utf8')
    } catch (error) {
      throw new HarnessError(
        'E_CONFIG',
        `target '${config.name}': cannot read tls.ca ${config.tls.ca}: ${(error as Error).message}`,
      )
    }
  }
  return { config, isReference: false, notices, ...(caPem ? { caPem } : {}) }
}

/**
 * Loads the expectations file; ids must name scenarios that exist: loaded ones, or files under
 * the same suites folders (a run of one folder may use a target's file covering all of them).
 */
export async function prepareExpectations(
  file: string | undefined,
  all: LoadedScenario[],
  cwd = process.cwd(),
  requirements?: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): Promise<KnownDeviation[] | undefined> {
  if (!file) return undefined
  const known = new Set(all.map((scenario) => scenario.doc.id))
  for (const root of new Set(all.map((scenario) => scenario.suitesRoot))) {
    for (const id of await scenarioIdsUnder(root)) known.add(id)
  }
  return loadExpectations(resolve(cwd, file), {
    scenarios: known,
    ...(requirements ? { requirements: new Set(requirements.keys()) } : {}),
  })
}

/** Ids of the scenario files under a suites folder, from their paths (id = path, lint-checked). */
async function scenarioIdsUnder(root: string): Promise<string[]> {
  try {
    const files = await expandPatterns([root], root)
    return files.map(({ file }) =>
      relative(root, file)
        .split(sep)
        .join('/')
        .replace(/\.ya?ml$/, ''),
    )
  } catch {
    return []
  }
}

/** Reporters from specs (validated now) or given objects. */
export async function prepareReporters(
  config: Pick<RunConfig, 'reporters' | 'stream' | 'cwd' | 'env' | 'quiet'>,
): Promise<Reporter[]> {
  const { stream, cwd, env } = config
  const given = config.reporters
  const named = given.filter((r): r is string => typeof r === 'string')
  // `--reporter ./my-reporter.js`: the user's module, beside the built-in ones (custom-reporter.ts).
  const specs = named.filter((spec) => !isReporterModule(spec))
  const objects = given.filter((r): r is Reporter => typeof r !== 'string')
  for (const spec of named.filter(isReporterModule)) {
    objects.push(await loadReporterModule(spec, { stream, cwd, env }))
  }
  // A reporter module alone keeps the console on, as a file reporter does.
  if (named.length === 0) return objects
  const { createReporters } = await import('../../reporters/index.ts')
  return [...createReporters(specs, { stream, cwd, env, quiet: config.quiet }), ...objects]
}
