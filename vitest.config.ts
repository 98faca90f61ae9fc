import { availableParallelism } from 'node:os'
import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // dist/ is the build the e2e tests spawn (test/e2e/helpers/build.ts), never a test source.
    exclude: [...configDefaults.exclude, 'dist/**'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // At least two files at once: vitest's default (CPUs - 1) runs one at a time on two cores,
    // while the interop files mostly wait on their servers (test/interop/lemonldap-server.ts lets
    // one registration through a second).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
