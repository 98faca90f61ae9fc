/**
 * The provider registry (harness/providers/registry.ts): a provider registered under a name is
 * what a targets.yaml `provider:` of that name starts, with the run's faults and overrides; the
 * built-in `reference` target is the provider of that name (harness/config/builtin-target.ts).
 */
import { describe, expect, it } from 'vitest'
import { BUILTIN_PROVIDER, builtinTarget } from '../../../harness/config/builtin-target.ts'
import {
  registeredTargetProvider,
  registerTargetProvider,
  startTarget,
} from '../../../harness/providers/registry.ts'
import type {
  ProviderStartRequest,
  TargetProvider,
} from '../../../harness/providers/target-provider.ts'

/** An in-process provider that records what it was asked to start. */
function recordingProvider(
  name: string,
  faults?: string[],
): TargetProvider & { asked: ProviderStartRequest[] } {
  const asked: ProviderStartRequest[] = []
  return {
    name,
    asked,
    async start(request) {
      asked.push(request)
      return { target: { name, issuer: 'https://idp.test' }, close: async () => {} }
    },
    ...(faults ? { faultNames: async () => new Set(faults) } : {}),
  }
}

describe('the provider registry', () => {
  it('starts a registered provider with the faults and overrides of the run', async () => {
    const provider = recordingProvider('in-process', ['broken'])
    registerTargetProvider(provider)
    const options = { faults: ['broken'], config: { a: 1 } }
    const started = await startTarget({ provider: 'in-process' }, options)
    expect(started.target).toEqual({ name: 'in-process', issuer: 'https://idp.test' })
    expect(started.caPem).toBeUndefined()
    expect(provider.asked).toEqual([{ faults: ['broken'], config: { a: 1 } }])
  })

  it('refuses a fault the provider does not know (exit 2), before starting', async () => {
    const provider = recordingProvider('typo-check', ['secret-expiry-ms', 'error-200'])
    registerTargetProvider(provider)
    const typo = startTarget({ provider: 'typo-check' }, { faults: ['secret-expiry-mss'] })
    await expect(typo).rejects.toMatchObject({
      code: 'E_USAGE',
      message: expect.stringMatching(
        /unknown fault\(s\): secret-expiry-mss \(did you mean "secret-expiry-ms"\?\)/,
      ),
    })
    const two = startTarget({ provider: 'typo-check' }, { faults: ['error-200', 'a', 'b'] })
    await expect(two).rejects.toThrow(/unknown fault\(s\): a, b \(see/)
    expect(provider.asked).toEqual([])
  })

  it('reads the CA a started target names, and stops a target whose CA is missing', async () => {
    let closed = 0
    registerTargetProvider({
      name: 'no-ca',
      async start() {
        const tls = { ca: '/no/such/ca.pem' }
        const target = { name: 'no-ca', issuer: 'https://idp.test', tls }
        return { target, close: async () => void closed++ }
      },
    })
    await expect(startTarget({ provider: 'no-ca' })).rejects.toMatchObject({ code: 'E_CONFIG' })
    expect(closed).toBe(1)
  })

  it('has the built-in reference target as the provider of that name', () => {
    expect(registeredTargetProvider(BUILTIN_PROVIDER)).toBe(builtinTarget())
    expect(Object.keys(builtinTarget().commands).sort()).toEqual(['faults', 'serve'])
  })
})
