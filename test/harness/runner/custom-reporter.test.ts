import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { HarnessError } from '../../../harness/errors.ts'
import { isReporterModule, loadReporterModule } from '../../../harness/runner/custom-reporter.ts'

describe('isReporterModule', () => {
  it('tells module paths from built-in reporter names', () => {
    for (const spec of ['./r.js', '../r.mjs', '/abs/r.js', 'file:///r.js', 'r.ts', './r.js=out.txt']) {
      expect(isReporterModule(spec), spec).toBe(true)
    }
    for (const spec of ['console', 'json=out.json', 'junit', 'html=report.html', 'markdown=-']) {
      expect(isReporterModule(spec), spec).toBe(false)
    }
  })
})

describe('loadReporterModule', () => {
  const options = { stream: new PassThrough(), env: {} }

  it('calls a default-exported factory with the path after "=" resolved', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'dcrc-reporter-'))
    await writeFile(join(cwd, 'r.mjs'), 'export default (o) => ({ path: o.path, onRunEnd() {} })\n')
    const reporter = (await loadReporterModule('./r.mjs=out/events.txt', { ...options, cwd })) as unknown as { path: string }
    expect(reporter.path).toBe(join(cwd, 'out', 'events.txt'))
  })

  it('refuses a module without onRunEnd, or one that does not load', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'dcrc-reporter-'))
    await writeFile(join(cwd, 'bad.mjs'), 'export default { onScenarioEnd() {} }\n')
    const error = await loadReporterModule('./bad.mjs', { ...options, cwd }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(HarnessError)
    expect((error as HarnessError).code).toBe('E_CONFIG')
    expect((error as HarnessError).message).toMatch(/^--reporter \.\/bad\.mjs: the module must export a factory/)
    const missing = await loadReporterModule('./none.mjs', { ...options, cwd }).catch((caught: unknown) => caught)
    expect((missing as HarnessError).message).toMatch(/^--reporter \.\/none\.mjs: cannot load the module/)
  })
})
