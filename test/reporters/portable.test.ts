/**
 * Portable reports (issue 11, item 8): artifact paths relative to the report file, the login
 * driver and the step's line recorded, and `merge` keeping artifact links of reports that were
 * written in other folders.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Report } from '../../harness/model/report.ts'
import { portablePath, withAbsolutePaths } from '../../reporters/artifact-paths.ts'
import { createJsonReporter } from '../../reporters/json.ts'
import { mergeCommand } from '../../reporters/merge.ts'
import { validateReport } from '../../reporters/validate.ts'
import { memoryStream, replay, sampleReport, sampleScenarios } from './sample-report.ts'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** The sample with a screenshot under `artifacts`, the driver and the line of the login step. */
function withArtifact(artifacts: string): Report {
  const scenarios = sampleScenarios()
  const login = scenarios.find((s) => s.id === 'authorize/code-flow')!.steps[0]!
  login.artifacts = [
    { name: 'login-failure.png', path: join(artifacts, 'login-1.png'), contentType: 'image/png' },
  ]
  login.driver = 'http'
  login.line = 14
  return sampleReport({ scenarios })
}

const loginStep = (report: Report) =>
  report.scenarios.find((s) => s.id === 'authorize/code-flow')!.steps[0]!

describe('portable reports', () => {
  it('write artifact paths relative to the JSON file, with the driver and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portable-'))
    dirs.push(dir)
    const file = join(dir, 'reports', 'run.json')
    await replay(createJsonReporter({ path: file }), withArtifact(join(dir, 'artifacts')))
    const written = JSON.parse(await readFile(file, 'utf8')) as Report
    expect(validateReport(written)).toEqual([])
    expect(loginStep(written)).toMatchObject({
      driver: 'http',
      line: 14,
      artifacts: [{ path: '../artifacts/login-1.png' }],
    })
  })

  it('merge resolves each report against its own folder and relativises again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portable-'))
    dirs.push(dir)
    await replay(
      createJsonReporter({ path: join(dir, 'shard-1', 'run.json') }),
      withArtifact(join(dir, 'shard-1', 'artifacts')),
    )
    const stdout = await memoryStream()
    const code = await mergeCommand(['shard-1/run.json', '--reporter', `json=out/merged.json`], {
      stdout,
      stderr: stdout,
      cwd: dir,
    })
    expect(code).toBe(3)
    const merged = JSON.parse(await readFile(join(dir, 'out', 'merged.json'), 'utf8')) as Report
    expect(loginStep(merged).artifacts[0]?.path).toBe('../shard-1/artifacts/login-1.png')
  })

  it('keeps relative paths as they are and uses / separators', () => {
    expect(portablePath('a/b.png', '/x')).toBe('a/b.png')
    expect(portablePath('/x/y/z.png', '/x/q')).toBe('../y/z.png')
    const report = withAbsolutePaths(withArtifact('art'), '/reports')
    expect(loginStep(report).artifacts[0]?.path).toBe('/reports/art/login-1.png')
  })
})
