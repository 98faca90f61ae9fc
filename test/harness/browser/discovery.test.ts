import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discoverBrowser } from '../../../harness/browser/discovery.ts'

describe('browser discovery', () => {
  let dir: string
  let fake: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'brw-discovery-'))
    fake = join(dir, 'chromium')
    await writeFile(fake, '#!/bin/sh\n')
    await chmod(fake, 0o755)
    await writeFile(join(dir, 'not-executable'), '')
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  const none = async (): Promise<undefined> => undefined

  it('prefers DCR_BROWSER, then the target setting', async () => {
    const found = await discoverBrowser({
      env: { DCR_BROWSER: fake },
      targetBrowser: '/nope',
      playwrightExecutable: none,
      systemPaths: [],
    })
    expect(found).toMatchObject({ executable: fake, source: 'DCR_BROWSER' })
    const fromTarget = await discoverBrowser({
      env: { DCR_BROWSER: join(dir, 'missing') },
      targetBrowser: fake,
      playwrightExecutable: none,
      systemPaths: [],
    })
    expect(fromTarget).toMatchObject({ executable: fake, source: 'target' })
  })

  it('skips missing and non-executable files and falls back to system paths, then PATH', async () => {
    const found = await discoverBrowser({
      env: { PATH: '' },
      playwrightExecutable: async () => join(dir, 'not-executable'),
      systemPaths: [join(dir, 'missing'), fake],
    })
    expect(found).toMatchObject({ executable: fake, source: 'system' })
    const onPath = await discoverBrowser({
      env: { PATH: dir },
      playwrightExecutable: none,
      systemPaths: [],
    })
    expect(onPath).toMatchObject({ executable: fake, source: 'PATH' })
  })

  it('lists every place it looked when nothing is found', async () => {
    const found = await discoverBrowser({
      env: { DCR_BROWSER: '/missing/chrome', PATH: '/nowhere' },
      playwrightExecutable: none,
      systemPaths: ['/missing/chromium'],
    })
    expect(found.executable).toBeUndefined()
    expect(found.looked[0]).toBe('DCR_BROWSER=/missing/chrome')
    expect(found.looked).toContain('/missing/chromium')
    expect(found.looked.at(-1)).toMatch(/^PATH for chromium/)
  })
})
