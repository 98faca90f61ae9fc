/**
 * Tests that spawn bin/dcr-conformance.js run the compiled dist/, as a user does. `ensureBuilt`
 * rebuilds it (tsconfig.build.json) when a source is newer than the last build (the incremental
 * build's dist/.tsbuildinfo), one process at a time (test files run in parallel), so editing a
 * source and running one e2e test file tests the edit, and `npm test` builds only when needed.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, open, readdir, rm, stat, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const DIST = join(ROOT, 'dist')
// Written by every build that changes something (tsBuildInfoFile in tsconfig.build.json).
const STAMP = join(DIST, '.tsbuildinfo')
const LOCK = join(DIST, '.build-lock')
const SOURCES = ['index.ts', 'harness', 'builtin', 'reference-server', 'reporters']
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json']
/** A lock older than this belongs to a process that died. */
const STALE_LOCK_MS = 300_000

async function newestSourceMs(path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return path.endsWith('.test.ts') ? 0 : info.mtimeMs
  let newest = 0
  for (const entry of await readdir(path)) {
    newest = Math.max(newest, await newestSourceMs(join(path, entry)))
  }
  return newest
}

/** Whether dist/ is missing or older than a source or a tsconfig. */
export async function isStale(): Promise<boolean> {
  if (!existsSync(STAMP) || !existsSync(join(DIST, 'harness', 'cli.js'))) return true
  const built = (await stat(STAMP)).mtimeMs
  for (const path of [...SOURCES, ...CONFIGS]) {
    if ((await newestSourceMs(join(ROOT, path))) > built) return true
  }
  return false
}

function tsc(): Promise<{ code: number; output: string }> {
  const compiler = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [compiler, '-p', 'tsconfig.build.json'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, output: `${stdout}${stderr}` })
      },
    )
  })
}

async function acquireLock(): Promise<() => Promise<void>> {
  await mkdir(DIST, { recursive: true })
  for (;;) {
    try {
      const handle = await open(LOCK, 'wx')
      await handle.close()
      return () => rm(LOCK, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const age = Date.now() - (await stat(LOCK).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs
      if (age > STALE_LOCK_MS) await rm(LOCK, { force: true })
      else await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

/**
 * Builds dist/ when it is stale. Type errors do not stop the e2e tests (the typecheck reports
 * them); a build that emits no entry point does.
 */
export async function ensureBuilt(): Promise<void> {
  if (!(await isStale())) return
  const release = await acquireLock()
  try {
    if (!(await isStale())) return
    const started = Date.now()
    const { code, output } = await tsc()
    if (!existsSync(join(DIST, 'harness', 'cli.js'))) {
      throw new Error(`npm run build emitted no dist/harness/cli.js (exit ${code}):\n${output}`)
    }
    if (!existsSync(STAMP)) throw new Error(`npm run build wrote no ${STAMP} (exit ${code})`)
    // Dated from the build's start (also when nothing changed and tsc left it as it was): a
    // source saved during the build still counts as newer.
    const startedAt = new Date(started)
    await utimes(STAMP, startedAt, startedAt)
  } finally {
    await release()
  }
}
