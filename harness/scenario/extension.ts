/**
 * A suite folder outside the package extends the built-in vocabulary without forking it: its own
 * `requirements.yaml` and `capabilities.yaml` add rows to the package's (suites/README.md), its
 * `fixtures/*.js` add `use` fixtures and its `schemas/*.schema.json` add response schemas. A row
 * may repeat a built-in one only unchanged, and a fixture may not take a built-in name.
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { FileError, FileErrors } from '../errors.ts'
import { packagePath } from '../package-root.ts'
import { loadVocabulary, type Vocabulary } from './vocabulary.ts'

/** Fixture modules a suite folder may hold (`.ts` only where the runtime can import it). */
const FIXTURE_FILE = /^([a-z0-9][a-z0-9-]*)\.(m?js|ts)$/

export interface ExtendedVocabulary extends Vocabulary {
  /** Fixture name -> module file, for the suite folders' own fixtures. */
  fixtureFiles: Map<string, string>
  /** The package's schema folder, then each suite folder's `schemas/`. */
  schemaFolders: string[]
}

/** The package's vocabulary extended by every suite folder (`suitesRoots`) outside it. */
export async function extendedVocabulary(
  suitesRoots: Iterable<string>,
  own?: Vocabulary,
): Promise<ExtendedVocabulary> {
  const base = own ?? (await loadVocabulary())
  const merged: ExtendedVocabulary = {
    requirements: new Map(base.requirements),
    untested: new Map(base.untested),
    capabilities: new Map(base.capabilities),
    fixtures: new Set(base.fixtures),
    schemas: new Set(base.schemas),
    fixtureFiles: new Map(),
    schemaFolders: [packagePath('fixtures', 'schemas')],
  }
  const errors: FileError[] = []
  const packageSuites = packagePath('suites')
  for (const root of new Set(suitesRoots)) {
    if (root === packageSuites) continue
    const suite = await loadVocabulary(root, { folder: root })
    const at = (file: string) => ({ file: join(root, file), line: 1, column: 1 })
    for (const [id, row] of suite.requirements) {
      const known = merged.requirements.get(id)
      if (known && (known.level !== row.level || known.title !== row.title)) {
        const reason = `requirement ${id} is already in the catalog with another level or title; give yours another id`
        errors.push(new FileError('E_CONFIG', at('requirements.yaml'), reason))
      } else merged.requirements.set(id, row)
    }
    for (const [id, row] of suite.untested) {
      if (!merged.requirements.has(id)) merged.untested.set(id, row)
    }
    for (const [name, text] of suite.capabilities) {
      if (!merged.capabilities.has(name)) merged.capabilities.set(name, text)
    }
    for (const [name, file] of await suiteFixtures(root)) {
      if (merged.fixtures.has(name) && merged.fixtureFiles.get(name) !== file) {
        const reason = `fixture name "${name}" is already taken`
        errors.push(new FileError('E_CONFIG', at(`fixtures/${name}`), reason))
      } else {
        merged.fixtures.add(name)
        merged.fixtureFiles.set(name, file)
      }
    }
    const schemas = join(root, 'schemas')
    if (existsSync(schemas)) {
      merged.schemaFolders.push(schemas)
      for (const file of await readdir(schemas)) {
        if (file.endsWith('.schema.json')) merged.schemas.add(file.slice(0, -'.schema.json'.length))
      }
    }
  }
  if (errors.length > 0) throw new FileErrors(errors)
  return merged
}

/** `fixtures/<name>.js` (or `.mjs`, `.ts`) of a suite folder, by name. */
export async function suiteFixtures(root: string): Promise<Map<string, string>> {
  const folder = join(root, 'fixtures')
  const found = new Map<string, string>()
  if (!existsSync(folder)) return found
  for (const file of (await readdir(folder)).sort()) {
    const match = FIXTURE_FILE.exec(file)
    const name = match?.[1]
    if (name && !file.endsWith('.d.ts') && !found.has(name)) found.set(name, join(folder, file))
  }
  return found
}
