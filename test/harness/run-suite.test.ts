/**
 * harness/run-suite.ts `connectTarget`: when a step after the provider's start fails (here the
 * Client ID Metadata Document publisher cannot listen), the started target is stopped again:
 * nothing else would, since nothing is connected yet.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { isRunning } from '../support/process.ts'
import { describe, expect, it } from 'vitest'
import { loadTargets } from '../../harness/config/targets.ts'
import { connectTarget } from '../../harness/run-suite.ts'
import { tempFolderForFile } from '../support/for-file.ts'

// Writes its pid, then the ready line; closes on SIGTERM.
const SERVER = `
import { createServer } from 'node:http'
import { writeFileSync } from 'node:fs'
writeFileSync('pid', String(process.pid))
const server = createServer((req, res) => res.end('ok'))
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ issuer: 'http://127.0.0.1:' + server.address().port, env: {} }))
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
`


const folder = await tempFolderForFile('dcrc-connect-target-')

describe('connectTarget', () => {
  it('stops the started target when the publisher cannot start', async () => {
    await writeFile(join(folder, 'server.mjs'), SERVER)
    const busy = createServer()
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done))
    try {
      const port = (busy.address() as AddressInfo).port
      const file = join(folder, 'targets.yaml')
      const yaml = [
        'local:',
        `  provider: { command: [${JSON.stringify(process.execPath)}, server.mjs] }`,
        `  cimd: { listen: "127.0.0.1:${port}", public_base_url: "https://docs.example.test" }`,
        '',
      ].join('\n')
      await writeFile(file, yaml)
      const launch = (await loadTargets(file, { env: {} })).launches.get('local')!
      const error = await connectTarget({ isReference: false, launch, notices: [] }, { faults: [] })
        .then(() => undefined, (caught: unknown) => caught)
      expect(error).toBeInstanceOf(Error)
      const pid = Number(await readFile(join(folder, 'pid'), 'utf8'))
      expect(pid).toBeGreaterThan(0)
      expect(isRunning(pid)).toBe(false)
    } finally {
      await new Promise<void>((done) => busy.close(() => done()))
    }
  })
})
