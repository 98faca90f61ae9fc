/**
 * The names scenarios may use: requirement IDs (`suites/requirements.yaml`), capabilities
 * (`suites/capabilities.yaml`), fixtures (`harness/actions/fixtures/names.ts`) and response schemas
 * (`fixtures/schemas/*.schema.json`).
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { FileError, FileErrors } from '../errors.ts'
import { readYamlOrRecord } from './read-text.ts'
import {
  member,
  readCatalog,
  type Catalog,
  type TestedRequirement,
  type UntestedRequirement,
} from './catalog.ts'
import { packageRoot } from '../package-root.ts'
import { FIXTURE_NAMES } from '../actions/fixtures/names.ts'

export type { TestedRequirement, UntestedRequirement } from './catalog.ts'

export interface Vocabulary {
  requirements: Map<string, TestedRequirement>
  untested: Map<string, UntestedRequirement>
  capabilities: Map<string, string>
  fixtures: Set<string>
  schemas: Set<string>
}

/** The folder holding this package's package.json (kept under its old name for callers). */
export { packageRoot as repoRoot } from '../package-root.ts'

/**
 * Load the vocabulary of the repository at `root` (default: this package). `suite` reads a suite
 * folder's own requirements.yaml and capabilities.yaml instead, either optional (extension.ts).
 */
export async function loadVocabulary(
  root = packageRoot(),
  suite?: { folder: string },
): Promise<Vocabulary> {
  const errors: FileError[] = []
  const folder = suite?.folder ?? join(root, 'suites')
  const requirementsFile = join(folder, 'requirements.yaml')
  const capabilitiesFile = join(folder, 'capabilities.yaml')
  const present = (file: string) => !suite || existsSync(file)
  const catalog: Catalog = present(requirementsFile)
    ? await readCatalog(requirementsFile, errors)
    : { requirements: new Map(), untested: new Map() }
  const capabilities = present(capabilitiesFile)
    ? await readCapabilities(capabilitiesFile, errors)
    : new Map<string, string>()
  if (errors.length > 0) throw new FileErrors(errors)

  return {
    ...catalog,
    capabilities,
    // Fixtures are code: always this package's registry (harness/actions/fixtures/names.ts).
    fixtures: new Set(FIXTURE_NAMES),
    schemas: await namesIn(join(root, 'fixtures', 'schemas'), '.schema.json', []),
  }
}

async function namesIn(folder: string, suffix: string, excluded: string[]): Promise<Set<string>> {
  let files: string[]
  try {
    files = await readdir(folder)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set()
    throw error
  }
  return new Set(
    files
      .filter(
        (file) => file.endsWith(suffix) && !file.endsWith('.d.ts') && !file.endsWith('.test.ts'),
      )
      .map((file) => file.slice(0, -suffix.length))
      .filter((name) => !excluded.includes(name))
      .sort(),
  )
}

/** `capabilities: { name: description }`; problems are pushed to `errors` at their place. */
async function readCapabilities(file: string, errors: FileError[]): Promise<Map<string, string>> {
  const capabilities = new Map<string, string>()
  const parsed = await readYamlOrRecord(file, errors)
  if (!parsed) return capabilities
  const listed = member(parsed.value, 'capabilities')
  if (listed === null || typeof listed !== 'object' || Array.isArray(listed)) {
    const reason = 'expected a map "capabilities: { name: description }"'
    errors.push(new FileError('E_CONFIG', parsed.locate(['capabilities']), reason))
    return capabilities
  }
  for (const [name, description] of Object.entries(listed)) {
    capabilities.set(name, typeof description === 'string' ? description : '')
  }
  return capabilities
}
