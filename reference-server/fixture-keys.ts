/**
 * Where the server's test keys are (fixtures/keys, test-only: fixtures/keys/README.md). The
 * folder sits at the package root, above this file both in the sources (`reference-server/`) and
 * in the build (`dist/reference-server/`), so it is found by walking up rather than by a fixed
 * relative path. The server finds it itself: it imports nothing from the harness.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cachedFolder: string | undefined

function keysFolder(): string {
  if (cachedFolder) return cachedFolder
  let folder = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(folder, 'fixtures', 'keys'))) {
    const parent = dirname(folder)
    if (parent === folder) throw new Error('fixtures/keys not found above reference-server/')
    folder = parent
  }
  cachedFolder = join(folder, 'fixtures', 'keys')
  return cachedFolder
}

/** Path of a test key file in fixtures/keys. */
export function fixtureKeyPath(name: string): string {
  return join(keysFolder(), name)
}
