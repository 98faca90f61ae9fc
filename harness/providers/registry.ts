/**
 * The target providers of this process, by name (the interface is target-provider.ts). The
 * engine's own `command` provider is always there; others register themselves, as the built-in
 * reference target does from builtin/register.ts.
 */
import { readFile } from 'node:fs/promises'
import { didYouMean } from '../did-you-mean.ts'
import { HarnessError, UsageError } from '../errors.ts'
import { commandProvider } from './command.ts'
import type {
  ProviderLaunch,
  ProviderStartRequest,
  StartedTarget,
  TargetProvider,
} from './target-provider.ts'

const providers = new Map<string, TargetProvider>([[commandProvider.name, commandProvider]])

/** Makes `provider` available under its name (a later registration of that name replaces it). */
export function registerTargetProvider(provider: TargetProvider): void {
  providers.set(provider.name, provider)
}

/** The provider registered under `name`, if any. */
export function registeredTargetProvider(name: string): TargetProvider | undefined {
  return providers.get(name)
}

/** The provider registered under `name`; a usage error (exit 2) naming the known ones if none. */
export function targetProvider(name: string): TargetProvider {
  const provider = providers.get(name)
  if (provider) return provider
  const known = [...providers.keys()].sort().join(', ') || 'none'
  throw new UsageError(`no target provider '${name}' in this process (registered: ${known})`)
}

/** A started target with its extra CA read (`tls.ca`), as prepareTarget reads a configured one. */
export interface LaunchedTarget extends StartedTarget {
  caPem?: string
}

/** A fault the provider does not know is a usage error (exit 2), before anything starts. */
async function checkFaultNames(provider: TargetProvider, faults: readonly string[]): Promise<void> {
  if (!provider.faultNames) {
    throw new UsageError(`target provider '${provider.name}' cannot inject faults`)
  }
  const known = await provider.faultNames()
  const unknown = faults.filter((name) => !known.has(name))
  if (unknown.length === 0) return
  const hint = unknown.length === 1 ? didYouMean(unknown[0]!, known) : ''
  throw new UsageError(
    `unknown fault(s): ${unknown.join(', ')}${hint} (see \`dcr-conformance faults\`)`,
  )
}

/** Starts the target of `launch` with its provider; stops it again if its CA cannot be read. */
export async function startTarget(
  launch: ProviderLaunch,
  options: Pick<ProviderStartRequest, 'faults' | 'config'> = {},
): Promise<LaunchedTarget> {
  const provider = targetProvider(launch.provider)
  if (options.faults?.length) await checkFaultNames(provider, options.faults)
  const entry = launch.entry ? { entry: launch.entry } : {}
  const started = await provider.start({ ...options, ...entry })
  const caFile = started.target.tls?.ca
  if (!caFile) return started
  try {
    return { ...started, caPem: await readFile(caFile, 'utf8') }
  } catch (error) {
    await started.close()
    throw new HarnessError(
      'E_CONFIG',
      `target '${started.target.name}': cannot read tls.ca ${caFile}: ${(error as Error).message}`,
    )
  }
}
