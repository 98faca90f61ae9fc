import { describe, expect, it } from 'vitest'
import {
  annotations,
  escapeData,
  escapeProperty,
  formatAnnotation,
  isWorkspaceFile,
} from '../../reporters/annotations.ts'
import { createReporters } from '../../reporters/index.ts'
import { memoryStream, replay, sampleReport, sampleScenarios } from './sample-report.ts'

/** The sample with the lines the runner records for each step. */
function reportWithLines() {
  const scenarios = sampleScenarios()
  for (const scenario of scenarios) scenario.steps.forEach((step, i) => (step.line = 9 + i * 7))
  return sampleReport({ scenarios })
}

describe('GitHub Actions annotations', () => {
  it('annotates failing MUST checks and errors at the scenario file and step line', () => {
    const found = annotations(reportWithLines())
    expect(found.map((a) => `${a.level} ${a.file}:${a.line} ${a.title}`)).toEqual([
      'error suites/authorize/code-flow.yaml:9 authorize/code-flow: errored at step login',
      'error suites/registration/status-201.yaml:9 ' +
        'registration/status-201 > reg: status is 201 (must)',
      'warning suites/registration/cache-control.yaml:9 ' +
        'registration/cache-control > reg: Pragma no-cache (should)',
      'warning suites/registration/status-201.yaml:9 ' +
        'registration/status-201 > reg: secret differs (should)',
    ])
    // A known deviation does not fail the run: no annotation for token/refresh.
    expect(found.some((a) => a.file?.includes('token/refresh'))).toBe(false)
    expect(found[1]?.message).toBe(
      'R7591-3.2.1-a "Success is 201 Created with a JSON object body" (RFC 7591 §3.2.1 ' +
        'https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1)\n' +
        'expected status 201, got 200 <b>&</b>',
    )
    expect(found[0]?.message).toContain('\nhint: the login never reached the callback')
  })

  it('names a scenario file outside the checkout in the message, not as the file', () => {
    const report = reportWithLines()
    for (const scenario of report.scenarios) {
      scenario.file = `node_modules/dcr-conformance/${scenario.file}`
    }
    const found = annotations(report)
    expect(found.map((a) => [a.file, a.line])).toEqual(found.map(() => [undefined, undefined]))
    expect(found[1]?.message).toMatch(
      /\nscenario: node_modules\/dcr-conformance\/suites\/registration\/status-201\.yaml:9$/,
    )
    expect(formatAnnotation(found[1]!)).toMatch(/^::error title=registration\/status-201 > reg/)
    expect(annotations(reportWithLines())[1]?.message).not.toContain('scenario:')
    const files = ['acme/x.yaml', '../x.yaml', '/abs/x.yaml', 'a\\node_modules\\x.yaml']
    expect(files.map(isWorkspaceFile)).toEqual([true, false, false, false])
  })

  it('formats workflow commands with their escapes', () => {
    const line = formatAnnotation({
      level: 'error',
      file: 'suites/a,b.yaml',
      line: 12,
      title: 'x > y: 50% (must)',
      message: 'first\nsecond 100%',
    })
    expect(line).toBe(
      '::error file=suites/a%2Cb.yaml,line=12,title=x > y%3A 50%25 (must)::first%0Asecond 100%25',
    )
    expect(escapeData('a\r\nb')).toBe('a%0D%0Ab')
    expect(escapeProperty('a:b,c')).toBe('a%3Ab%2Cc')
  })

  it('print under GITHUB_ACTIONS=true after the console, never into a streamed report', async () => {
    const run = async (env: Record<string, string>, specs: string[] = []) => {
      const stream = await memoryStream()
      const reporters = createReporters(specs, { stream, env, cwd: '/tmp' })
      for (const reporter of reporters) await replay(reporter, reportWithLines())
      return stream.text()
    }
    const inActions = await run({ GITHUB_ACTIONS: 'true' })
    const lines = inActions.trimEnd().split('\n')
    expect(lines.filter((line) => line.startsWith('::error '))).toHaveLength(2)
    expect(lines.filter((line) => line.startsWith('::warning '))).toHaveLength(2)
    expect(lines.at(-1)).toMatch(/^::warning file=suites\/registration\/status-201.yaml,line=9,/)
    expect(inActions).toContain('::error file=suites/registration/status-201.yaml,line=9,title=')
    expect(await run({})).not.toContain('::error')
    const streamedJson = await run({ GITHUB_ACTIONS: 'true' }, ['json'])
    expect(streamedJson).not.toContain('::error')
    expect(() => JSON.parse(streamedJson) as unknown).not.toThrow()
  })
})
