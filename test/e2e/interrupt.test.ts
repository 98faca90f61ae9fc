/**
 * Ctrl-C as a user meets it (issue 10, item 2 and acceptance 2): a real `dcr-conformance` process
 * with real Chromium logging in, against the reference server running in this (separate) process
 * so its store can be counted. The first signal finishes the job: exit 3, every report written
 * `interrupted`, 0 clients left on the server, the browser gone. A second one quits at once and
 * names the clients it leaves.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReferenceTarget, type ReferenceTarget } from '../../builtin/reference-target.ts'
import { validateReport } from '../../reporters/validate.ts'
import type { Report } from '../../harness/model/report.ts'
import { startCli } from '../hostile/helpers/cli-process.ts'

const SUITES = fileURLToPath(new URL('../../suites/', import.meta.url))
const hasChromium = (() => {
  try {
    readFileSync(process.env.DCR_BROWSER ?? '/usr/bin/chromium')
    return true
  } catch {
    return false
  }
})()

let reference: ReferenceTarget
let dir: string
let targetsFile: string
const SECRET_ENV = 'DCRC_INTERRUPT_TEST_IAT_SECRET'

beforeAll(async () => {
  reference = await startReferenceTarget()
  dir = await mkdtemp(join(tmpdir(), 'dcrc-interrupt-'))
  targetsFile = join(dir, 'targets.yaml')
  const { name: _name, ...target } = reference.target
  const iat = target.registration?.iat as { client_secret?: string } | undefined
  process.env[SECRET_ENV] = iat?.client_secret ?? ''
  if (iat?.client_secret) iat.client_secret = `\${{ env.${SECRET_ENV} }}`
  // JSON is YAML: the target exactly as the built-in one describes itself.
  await writeFile(targetsFile, JSON.stringify({ ref: target }, null, 2))
})

afterAll(async () => {
  await reference?.close()
})

/** Clients on the reference server (static ones included). */
const clientCount = () => (reference.server.store as unknown as { size: { clients: number } }).size.clients

/** PIDs whose parent is `pid` (Chromium is a child of the harness process). */
function childPids(pid: number): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) found.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return found
}

/** The console's progress line: scenarios have started and some have ended. */
const RUNNING = /\[\s*\d+\/\d+\] (running|✓ passed)/

/** Chromium processes started by `pid`, waiting for the first one (bounded by the test). */
async function chromiumOf(pid: number): Promise<number[]> {
  for (;;) {
    const found = childPids(pid).filter((child) => {
      try {
        return /chrom/i.test(readFileSync(`/proc/${child}/cmdline`, 'utf8'))
      } catch {
        return false
      }
    })
    if (found.length > 0) return found
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function runArgs(report: string, driver: 'browser' | 'http', suite: string): string[] {
  return [
    '--target', 'ref', '--targets', targetsFile, '--suite', join(SUITES, suite),
    '--login-driver', driver, '--workers', '4', '--seed', '7',
    '--reporter', 'console', '--reporter', `json=${report}`, '--reporter', `junit=${report}.xml`,
  ]
}

describe('interrupting a run', () => {
  it.skipIf(!hasChromium)(
    'SIGINT with the browser running: exit 3, reports marked interrupted, 0 clients left, browser closed',
    async () => {
      const before = clientCount()
      const report = join(dir, 'browser.json')
      const cli = startCli(runArgs(report, 'browser', 'code-flow'))
      // Scenarios are running and Chromium is up, logging in.
      await cli.waitFor(RUNNING, 90_000)
      const browsers = await chromiumOf(cli.child.pid!)
      expect(browsers.length).toBeGreaterThan(0)
      cli.child.kill('SIGINT')
      expect(await cli.exited).toBe(3)
      expect(cli.stderr()).toMatch(/interrupted \(SIGINT\)/)
      expect(cli.stdout()).toMatch(/Result: INTERRUPTED \(interrupted by SIGINT\)/)
      const json = JSON.parse(await readFile(report, 'utf8')) as Report
      expect(validateReport(json)).toEqual([])
      expect(json.status).toBe('interrupted')
      expect(json.reason).toBe('interrupted by SIGINT')
      expect(json.leftovers ?? []).toEqual([])
      expect(json.counts.passed).toBeGreaterThan(0)
      expect(json.scenarios.some((s) => s.notRun === true)).toBe(true)
      expect(await readFile(`${report}.xml`, 'utf8')).toMatch(/name="status" value="interrupted"/)
      expect(clientCount()).toBe(before)
      for (const pid of browsers) expect(alive(pid)).toBe(false)
    },
    180_000,
  )

  it('SIGTERM without a browser: the same, exit 3 and 0 clients left', async () => {
    const before = clientCount()
    const report = join(dir, 'http.json')
    const cli = startCli(runArgs(report, 'http', ''))
    await cli.waitFor(RUNNING, 90_000)
    cli.child.kill('SIGTERM')
    expect(await cli.exited).toBe(3)
    const json = JSON.parse(await readFile(report, 'utf8')) as Report
    expect(json.status).toBe('interrupted')
    expect(json.reason).toBe('interrupted by SIGTERM')
    expect(json.leftovers ?? []).toEqual([])
    expect(clientCount()).toBe(before)
  }, 180_000)

  it('a second SIGINT quits at once and names the clients still registered', async () => {
    const report = join(dir, 'twice.json')
    const cli = startCli(runArgs(report, 'http', ''))
    await cli.waitFor(RUNNING, 90_000)
    cli.child.kill('SIGINT')
    await cli.waitFor(/repeat to quit now/)
    cli.child.kill('SIGINT')
    expect(await cli.exited).toBe(130)
    expect(cli.stderr()).toMatch(
      /SIGINT again: quitting now; (no registered client is left|\d+ registered client\(s\) not deleted:\n {2}leftover client: \S+)/,
    )
  }, 180_000)
})
