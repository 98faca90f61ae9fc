/** Writes a throw-away suites folder (with the engine tests' vocabulary) for one test. */
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const vocabulary = fileURLToPath(new URL('../../fixtures/suites/', import.meta.url))

/** `files` maps paths under suites/ (`a/b.yaml`) to YAML text; returns the suites folder. */
export async function writeSuite(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dcrc-suite-'))
  const suites = join(root, 'suites')
  await mkdir(suites, { recursive: true })
  await copyFile(join(vocabulary, 'requirements.yaml'), join(suites, 'requirements.yaml'))
  await copyFile(join(vocabulary, 'capabilities.yaml'), join(suites, 'capabilities.yaml'))
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(suites, path)), { recursive: true })
    await writeFile(join(suites, path), text)
  }
  return suites
}

/** The engine tests' own fixture suites (test/fixtures/suites). */
export const FIXTURE_SUITES = vocabulary
