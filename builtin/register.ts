/**
 * Registers the reference server as the engine's built-in `reference` target provider
 * (harness/config/builtin-target.ts, harness/providers/target-provider.ts). Imported for its
 * effect by bin/dcr-conformance.js and by the tests (test/setup.ts); everything heavy is loaded
 * only when used, so start-up stays light.
 */
import { registerBuiltinTarget } from '../harness/config/builtin-target.ts'

registerBuiltinTarget({
  async start({ faults, config }) {
    const { startReferenceTarget } = await import('./reference-target.ts')
    return startReferenceTarget({
      ...(faults?.length ? { faults: [...faults] } : {}),
      ...(config ? { config: { ...config } } : {}),
    })
  },
  async faultNames() {
    const { faultCatalogue } = await import('../reference-server/faults.ts')
    return new Set(faultCatalogue.map((fault) => fault.name))
  },
  commands: {
    serve: async (argv, io) => (await import('../reference-server/cli.ts')).serveCommand(argv, io),
    faults: async (argv, io) => (await import('../reference-server/cli.ts')).faultsCommand(argv, io),
  },
})
