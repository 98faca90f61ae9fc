import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SCENARIO_TIMEOUT_MS, runConfig } from '../../../harness/runner/run-config.ts'
import { packageRoot } from '../../../harness/package-root.ts'

describe('runConfig', () => {
  it('fills in the defaults once and freezes the result', () => {
    const config = runConfig({ cwd: '/project', env: {} })
    expect(config).toMatchObject({
      cwd: '/project',
      target: 'reference',
      targetsFile: '/project/targets.yaml',
      faults: [],
      suite: [join(packageRoot(), 'suites')],
      timeoutMs: DEFAULT_SCENARIO_TIMEOUT_MS,
      loginDriver: 'auto',
      sessionReuse: true,
      bail: false,
      quiet: false,
      reporters: [],
    })
    expect(config.seed).toBeGreaterThanOrEqual(0)
    expect(config.seed).toBeLessThanOrEqual(0xffff_ffff)
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.suite)).toBe(true)
    expect(() => {
      ;(config as { workers?: number }).workers = 3
    }).toThrow(TypeError)
  })

  it('resolves files against the working folder and parses the shard', () => {
    const config = runConfig({
      cwd: '/project',
      targetsFile: 'conf/targets.yaml',
      expectations: 'known.yaml',
      shard: '2/3',
      seed: 0,
      artifactsDir: 'reports/artifacts',
    })
    expect(config.targetsFile).toBe('/project/conf/targets.yaml')
    expect(config.artifactsDir).toBe('/project/reports/artifacts')
    expect(config.expectations).toBe('/project/known.yaml')
    expect(config.shard).toEqual({ index: 2, total: 3 })
    expect(config.seed).toBe(0)
  })

  it('allows faults on the reference target only', () => {
    expect(runConfig({ faults: ['iat-reusable'] }).faults).toEqual(['iat-reusable'])
    expect(() => runConfig({ target: 'https://x.test', faults: ['iat-reusable'] })).toThrow(
      expect.objectContaining({ code: 'E_USAGE', message: expect.stringMatching(/--fault/) }),
    )
    expect(() => runConfig({ target: 'dev', faults: ['iat-reusable'] })).toThrow(
      expect.objectContaining({ code: 'E_USAGE' }),
    )
  })

  it('refuses an unknown login driver and a bad shard as usage errors', () => {
    expect(() => runConfig({ loginDriver: 'lynx' as 'http' })).toThrow(
      expect.objectContaining({ code: 'E_USAGE', message: expect.stringMatching(/login-driver/) }),
    )
    expect(() => runConfig({ shard: '4/3' })).toThrow(expect.objectContaining({ code: 'E_USAGE' }))
  })
})
