import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { UsageError } from '../../harness/errors.ts'
import { createReporters, parseReporterSpec } from '../../reporters/index.ts'
import { validateReport } from '../../reporters/validate.ts'
import { memoryStream, replay, sampleReport } from './sample-report.ts'
import { parseXml } from './xml-wellformed.ts'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'rep-index-'))
  dirs.push(dir)
  return dir
}

async function runAll(specs: string[], cwd: string) {
  const stream = await memoryStream()
  const reporters = createReporters(specs, { stream, cwd, env: {} })
  const report = sampleReport()
  for (const reporter of reporters) await replay(reporter, report)
  return stream.text()
}

describe('parseReporterSpec', () => {
  it('parses NAME and NAME=PATH and rejects unknown names', () => {
    expect(parseReporterSpec('console')).toEqual({ name: 'console' })
    expect(parseReporterSpec('junit=out/junit.xml')).toEqual({
      name: 'junit',
      path: 'out/junit.xml',
    })
    expect(parseReporterSpec('md=x.md')).toEqual({ name: 'markdown', path: 'x.md' })
    expect(() => parseReporterSpec('tap')).toThrow(UsageError)
    expect(() => parseReporterSpec('tap')).toThrow(
      /unknown reporter "tap".*console, json, junit, html, markdown/,
    )
    expect(() => parseReporterSpec('json=')).toThrow(UsageError)
  })
})

describe('createReporters', () => {
  it('defaults to the console', async () => {
    const dir = await tempDir()
    const out = await runAll([], dir)
    expect(out).toContain('2 passed, 2 failed')
    expect(await readdir(dir)).toEqual([])
  })

  it('writes file reporters to their paths, creating folders; the console stays, naming them', async () => {
    const dir = await tempDir()
    const out = await runAll(
      ['json=a/b/report.json', 'junit=a/junit.xml', 'html=h/r.html', 'markdown=m.md'],
      dir,
    )
    expect(out).toContain('2 passed, 2 failed')
    expect(out.trimEnd().split('\n').slice(-4)).toEqual([
      `json report: ${join(dir, 'a/b/report.json')}`,
      `junit report: ${join(dir, 'a/junit.xml')}`,
      `html report: ${join(dir, 'h/r.html')}`,
      `markdown report: ${join(dir, 'm.md')}`,
    ])
    expect(
      validateReport(JSON.parse(await readFile(join(dir, 'a/b/report.json'), 'utf8'))),
    ).toEqual([])
    expect(parseXml(await readFile(join(dir, 'a/junit.xml'), 'utf8')).name).toBe('testsuites')
    expect(await readFile(join(dir, 'h/r.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/)
    expect(await readFile(join(dir, 'm.md'), 'utf8')).toMatch(/^# dcr-conformance/)
  })

  it('uses default file names in cwd; json alone goes to the stream', async () => {
    const dir = await tempDir()
    await runAll(['console', 'json', 'junit', 'html', 'markdown'], dir)
    expect((await readdir(dir)).sort()).toEqual([
      'dcr-conformance-report.json',
      'junit.xml',
      'report.html',
      'report.md',
    ])
    const other = await tempDir()
    const out = await runAll(['json'], other)
    expect(validateReport(JSON.parse(out))).toEqual([])
    expect(await readdir(other)).toEqual([])
  })

  it('writes the console text to a file when given a path', async () => {
    const dir = await tempDir()
    const out = await runAll(['console=logs/run.txt'], dir)
    expect(out).toBe('')
    const text = await readFile(join(dir, 'logs/run.txt'), 'utf8')
    expect(text).toContain('✓ passed  registration/basic  (12 ms)')
    expect(text).not.toMatch(/\u001b/)
  })

  it('adds no console when the run names it or streams another report', async () => {
    const dir = await tempDir()
    expect(await runAll(['console=logs/run.txt', 'junit=j.xml'], dir)).toBe('')
    const streamed = await runAll(['json=-', 'junit=j2.xml'], dir)
    expect(validateReport(JSON.parse(streamed))).toEqual([])
  })

  it('rejects an unknown reporter', () => {
    expect(() => createReporters(['console', 'nope'])).toThrow(UsageError)
  })
})

describe('--quiet', () => {
  it('silences the console and its file lines, and still writes every file report', async () => {
    const dir = await tempDir()
    const stream = await memoryStream()
    const reporters = createReporters(['junit=out.xml', 'console=console.txt'], {
      stream,
      cwd: dir,
      env: {},
      quiet: true,
    })
    for (const reporter of reporters) await replay(reporter, sampleReport())
    expect(stream.text()).toBe('')
    expect(parseXml(await readFile(join(dir, 'out.xml'), 'utf8')).name).toBe('testsuites')
    // A console report to a file is a file report: --quiet keeps it.
    expect(await readFile(join(dir, 'console.txt'), 'utf8')).toContain('Result: ERRORED')
    const loud = await runAll(['junit=out.xml'], dir)
    expect(loud).toContain('Result: ERRORED')
    expect(loud.trimEnd().endsWith(`junit report: ${join(dir, 'out.xml')}`)).toBe(true)
  })
})

describe('the summary ends with the files written', () => {
  it('names every file after the console summary, whatever the order of --reporter', async () => {
    const dir = await tempDir()
    const text = await runAll(['junit=a.xml', 'console', 'html=b.html'], dir)
    const lines = text.trimEnd().split('\n')
    expect(lines.slice(-3)).toEqual([
      expect.stringMatching(/^Requirements: /),
      `junit report: ${join(dir, 'a.xml')}`,
      `html report: ${join(dir, 'b.html')}`,
    ])
  })
})
