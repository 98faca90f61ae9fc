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
  },
})
