/**
 * The built-in `reference` target, as the engine sees it: the target provider registered under
 * the name `reference` (harness/providers/target-provider.ts). Something outside harness/
 * registers it (builtin/register.ts, loaded by bin/dcr-conformance.js and by the tests), so the
 * engine knows no server. Without a registration, naming the built-in target is a usage error.
 */
import { UsageError } from '../errors.ts'
import { registerTargetProvider, registeredTargetProvider } from '../providers/registry.ts'
import type { ProviderCommand, TargetProvider } from '../providers/target-provider.ts'

export const BUILTIN_PROVIDER = 'reference'

/** The built-in target: a provider that can inject faults and adds `serve` and `faults`. */
export interface BuiltinTarget extends TargetProvider {
  faultNames(): Promise<ReadonlySet<string>>
  readonly commands: { serve: ProviderCommand; faults: ProviderCommand }
}

/** Makes `target` the built-in target of this process. */
export function registerBuiltinTarget(target: Omit<BuiltinTarget, 'name'>): void {
  registerTargetProvider({ ...target, name: BUILTIN_PROVIDER })
}

/** The registered built-in target, if any (fault names are optional for linting). */
export function registeredBuiltinTarget(): BuiltinTarget | undefined {
  const provider = registeredTargetProvider(BUILTIN_PROVIDER)
  return provider && isBuiltin(provider) ? provider : undefined
}

/** The registered built-in target; a usage error (exit 2) when none is. */
export function builtinTarget(): BuiltinTarget {
  const provider = registeredBuiltinTarget()
  if (!provider) {
    throw new UsageError(
      'the built-in reference target is not available in this process: name a target from targets.yaml or an issuer URL',
    )
  }
  return provider
}

function isBuiltin(provider: TargetProvider): provider is BuiltinTarget {
  const commands = provider.commands as Partial<BuiltinTarget['commands']> | undefined
  return typeof provider.faultNames === 'function' && !!commands?.serve && !!commands.faults
}
