/**
 * The suite 1x and 4x for the scaling benchmark: the package's suites copied 4 times into a
 * scratch folder as `suites/c1` ... `suites/c4`, each file's `id` prefixed with its copy (ids
 * follow paths, harness/scenario/lint.ts), next to the catalog and capabilities files so the
 * copies lint like the originals. 1x is `suites/c1` alone, so both runs load from the same place.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { expandPatterns } from '../harness/scenario/files.ts'
import { root } from './processes.ts'

export async function scaledSuites(
  scratch: string,
): Promise<{ one: string; four: string; scenarios: number }> {
  const source = join(root, 'suites')
  const target = join(scratch, 'suites')
  const files = await expandPatterns([source], source)
  await mkdir(target, { recursive: true })
  for (const name of ['requirements.yaml', 'capabilities.yaml']) {
    await copyFile(join(source, name), join(target, name))
  }
  for (let copy = 1; copy <= 4; copy++) {
    for (const { file } of files) {
      const path = relative(source, file)
      const text = await readFile(file, 'utf8')
      const renamed = text.replace(/^id:[ \t]*(\S+)/m, `id: c${copy}/$1`)
      if (renamed === text) throw new Error(`${path}: no id line to rename`)
      await mkdir(dirname(join(target, `c${copy}`, path)), { recursive: true })
      await writeFile(join(target, `c${copy}`, path), renamed)
    }
  }
  return { one: join(target, 'c1'), four: target, scenarios: files.length }
}
