/**
 * Reference-server policies that switch on a capability its default policy lacks, so scenarios
 * requiring it run too: clean in reference.test.ts, under their faults in fault-proof.test.ts.
 */
import type { LoadedScenario } from '../../harness/scenario/load.ts'
import { resolveConfig } from '../../reference-server/index.ts'
import { capabilitiesFor } from '../../builtin/capabilities.ts'
import { mergeConfig } from '../../reference-server/config.ts'

export const CAPABILITY_POLICIES: Record<string, Record<string, unknown>> = {
  open_registration: { registration: { authentication: 'none' } },
  pkce_required: { pkce: { requireForAllClients: true } },
}

/** The reference policy a scenario needs (merged overrides of its `requires`), if any. */
export function policyOf(scenario: LoadedScenario): Record<string, unknown> | undefined {
  const overrides = (scenario.doc.requires ?? [])
    .map((flag) => CAPABILITY_POLICIES[flag])
    .filter((p) => p !== undefined)
  if (overrides.length === 0) return undefined
  return overrides.reduce<Record<string, unknown>>(
    (merged, policy) => mergeConfig(merged, policy),
    {},
  )
}

/** Capabilities the reference server declares under a policy (served over TLS, as the harness runs it). */
export function capabilitiesUnder(policy: Record<string, unknown> | undefined): string[] {
  return capabilitiesFor(resolveConfig(policy), true)
}
