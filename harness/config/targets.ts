/**
 * targets.yaml: named targets (README.md, "Running against your server"). Validated by
 * targets.schema.json with `file:line:col` errors; secrets only from the environment
 * (`${{ env.NAME }}`); relative paths resolved against the file's folder.
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { FileError, FileErrors, HarnessError, type SourceLocation } from '../errors.ts'
import type { HttpClient } from '../http/types.ts'
import type { ResolvedTarget, TargetConfig } from '../model/target.ts'
import type { ProviderLaunch } from '../providers/target-provider.ts'
import { isEnvReference, substituteEnv } from './env.ts'
import { didYouMean } from '../did-you-mean.ts'
import { validateWithSchema } from './schema-errors.ts'
import { readConfigYaml } from './yaml-file.ts'
import { discoverTarget } from './discovery.ts'
import { withMcpData } from './mcp-target.ts'
import { packagePath } from '../package-root.ts'
import { withPublisherCapabilities } from '../cimd/capability.ts'

export const targetsSchema = JSON.parse(
  readFileSync(packagePath('harness', 'config', 'targets.schema.json'), 'utf8'),
) as object

/** Fields whose literal (non-env) values are flagged: secrets belong in the environment. */
const SECRET_FIELDS = new Set(['client_secret', 'password', 'token'])

export interface LoadTargetsOptions {
  env?: Record<string, string | undefined>
  /** Only substitute the environment for these targets (others may need variables not set). */
  only?: string[]
  /** Known capability names (suites/capabilities.yaml): anything else is a typo, an error. */
  capabilities?: ReadonlySet<string> | ReadonlyMap<string, unknown>
}

export interface LoadedTargets {
  targets: Map<string, TargetConfig>
  /** Targets a provider starts (`provider:`), resolved once started. */
  launches: Map<string, ProviderLaunch>
  /** Warnings (literal secrets); shown as run notices. */
  notices: string[]
  file: string
  /** Every target name in the file (also those not substituted). */
  names: string[]
}

/**
 * Loads and validates a targets file. Throws `FileErrors` (E_CONFIG) naming `file:line:col` for
 * YAML, schema and missing-variable errors.
 */
export async function loadTargets(
  file: string,
  options: LoadTargetsOptions = {},
): Promise<LoadedTargets> {
  const absolute = resolve(file)
  const yaml = await readConfigYaml(absolute)
  const raw = yaml.value ?? {}
  const yamlWithValue = { ...yaml, value: raw }
  const errors = validateWithSchema(targetsSchema, yamlWithValue)
  if (errors.length > 0) throw new FileErrors(errors)
  const env = options.env ?? process.env
  const targets = new Map<string, TargetConfig>()
  const launches = new Map<string, ProviderLaunch>()
  const notices: string[] = []
  const problems: FileError[] = []
  for (const [name, rawTarget] of Object.entries(raw as Record<string, unknown>)) {
    if (options.only && !options.only.includes(name)) continue
    for (const path of literalSecrets(rawTarget)) {
      const at = yaml.locate([name, ...path])
      notices.push(
        `${at.file}:${at.line}:${at.column}: target '${name}' has a literal secret in ` +
          `'${path.join('.')}'; put it in the environment and write \${{ env.NAME }}`,
      )
    }
    const declared = (rawTarget as { capabilities?: string[] }).capabilities ?? []
    declared.forEach((capability, index) => {
      if (options.capabilities && !options.capabilities.has(capability)) {
        problems.push(
          new FileError(
            'E_CONFIG',
            yaml.locate([name, 'capabilities', index]),
            `unknown capability '${capability}'` +
              `${didYouMean(capability, options.capabilities.keys())} (see suites/capabilities.yaml)`,
          ),
        )
      }
    })
    const entry = { name, locate: yaml.locate, baseDir: dirname(absolute) }
    const { provider, ...rest } = rawTarget as Record<string, unknown>
    if (provider !== undefined) {
      launches.set(name, providerLaunch(entry, provider, rest, env, problems))
      continue
    }
    const value = substituted(entry, rawTarget, env, problems)
    targets.set(name, toTargetConfig(name, value, entry.baseDir))
  }
  if (problems.length > 0) throw new FileErrors(problems)
  const names = Object.keys(raw as Record<string, unknown>)
  return { targets, launches, notices, file: absolute, names }
}

interface EntryPlace {
  name: string
  locate: (path: (string | number)[]) => SourceLocation
  baseDir: string
}

/** The entry with the environment substituted; a missing variable is a problem at its place. */
function substituted(
  entry: EntryPlace,
  value: unknown,
  env: Record<string, string | undefined>,
  problems: FileError[],
): Record<string, unknown> {
  const result = substituteEnv(value, env)
  for (const gap of result.missing) {
    problems.push(
      new FileError(
        'E_CONFIG',
        entry.locate([entry.name, ...gap.path]),
        `environment variable ${gap.name} is not set (needed by target '${entry.name}')`,
      ),
    )
  }
  return result.value as Record<string, unknown>
}

/**
 * An entry with `provider:` (harness/providers/target-provider.ts): the provider member now, the
 * rest once the provider has started, with the variables the started target exported.
 */
function providerLaunch(
  entry: EntryPlace,
  provider: unknown,
  rest: Record<string, unknown>,
  env: Record<string, string | undefined>,
  problems: FileError[],
): ProviderLaunch {
  const settings =
    typeof provider === 'string' ? {} : substituted(entry, { provider }, env, problems).provider
  const named = (settings as { name?: unknown }).name
  const name = typeof provider === 'string' ? provider : typeof named === 'string' ? named : 'command'
  return {
    provider: name,
    entry: {
      target: entry.name,
      settings: settings as Record<string, unknown>,
      baseDir: entry.baseDir,
      ...(typeof rest.expectations === 'string' && !rest.expectations.includes('${{')
        ? { expectations: resolvePath(entry.baseDir, rest.expectations) }
        : {}),
      resolve(exported) {
        const late: FileError[] = []
        // The exported variables over the run's environment, looked up through it (never copied).
        const merged = Object.assign(Object.create(env) as typeof env, exported)
        const value = substituted(entry, rest, merged, late)
        if (late.length > 0) throw new FileErrors(late)
        return toTargetConfig(entry.name, value, entry.baseDir)
      },
    },
  }
}

/** The interface form: the targets of a file by name. */
export async function loadTargetsFile(
  file: string,
  options: LoadTargetsOptions = {},
): Promise<Map<string, TargetConfig>> {
  return (await loadTargets(file, options)).targets
}

function toTargetConfig(name: string, raw: Record<string, unknown>, baseDir: string): TargetConfig {
  const config = { ...raw, name } as TargetConfig & { description?: string }
  // Only an MCP server given: the issuer is found from it before anything is sent with credentials.
  if (typeof config.issuer !== 'string') config.issuer = ''
  if (config.tls?.ca) config.tls = { ...config.tls, ca: resolvePath(baseDir, config.tls.ca) }
  if (config.expectations) config.expectations = resolvePath(baseDir, config.expectations)
  if (config.login?.script)
    config.login = { ...config.login, script: resolvePath(baseDir, config.login.script) }
  const cimdTls = config.cimd?.tls
  if (cimdTls) {
    const tls = { cert: resolvePath(baseDir, cimdTls.cert), key: resolvePath(baseDir, cimdTls.key) }
    config.cimd = { ...config.cimd, tls }
  }
  return config
}

function resolvePath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path)
}

function literalSecrets(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const found: (string | number)[][] = []
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const here = [...path, Array.isArray(value) ? Number(key) : key]
      if (typeof item === 'string' && SECRET_FIELDS.has(key) && !isEnvReference(item))
        found.push(here)
      else found.push(...literalSecrets(item, here))
    }
  }
  return found
}

/**
 * A target given on the command line as a bare issuer URL: open registration, no IAT.
 */
export function targetFromIssuer(issuer: string): TargetConfig {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw new HarnessError('E_USAGE', `--target: '${issuer}' is neither a target name nor a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new HarnessError('E_USAGE', `--target: issuer URL must be http(s): ${issuer}`)
  }
  return {
    name: url.host,
    issuer: issuer.replace(/\/+$/, ''),
    registration: { iat: { strategy: 'none' } },
    capabilities: ['open_registration'],
  }
}

/** Discovery at both well-known URLs (OpenID preferred); endpoint overrides applied. */
export async function resolveTarget(
  config: TargetConfig,
  http: HttpClient,
): Promise<ResolvedTarget> {
  return withPublisherCapabilities(await discoverTarget(withMcpData(config), http))
}
