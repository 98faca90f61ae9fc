/**
 * The one reader of a requirement catalog (`suites/requirements.yaml`, or a suite folder's own):
 * the vocabulary that lint and the run use, and the coverage matrix, both read it here.
 */
import { FileError } from '../errors.ts'
import type { Level } from '../model/scenario.ts'
import { readYamlOrRecord } from './read-text.ts'

/** A `tested` row: scenarios may cite it. */
export interface TestedRequirement {
  id: string
  level: Level
  title: string
  /** The vendor of a vendor-specific row (`vendor: curity`). */
  vendor?: string
}

/** An `untested` row: no scenario may cite it, and it says why. */
export interface UntestedRequirement {
  id: string
  reason: string
  title?: string
  level?: string
  vendor?: string
  /** Why no scenario covers it (`not-black-box`, `needs-environment`, `slow`, `not-yet`). */
  category?: string
}

export interface Catalog {
  requirements: Map<string, TestedRequirement>
  untested: Map<string, UntestedRequirement>
}

const LEVELS = new Set(['must', 'should', 'may'])

type At = (path: (string | number)[], reason: string) => FileError

/** Reads `file`; every problem is pushed to `errors` at its place, and what is valid is kept. */
export async function readCatalog(file: string, errors: FileError[]): Promise<Catalog> {
  const catalog: Catalog = { requirements: new Map(), untested: new Map() }
  const parsed = await readYamlOrRecord(file, errors)
  if (!parsed) return catalog
  const at: At = (path, reason) => new FileError('E_CONFIG', parsed.locate(path), reason)
  readTested(member(parsed.value, 'tested'), catalog, at, errors)
  readUntested(member(parsed.value, 'untested') ?? [], catalog, at, errors)
  return catalog
}

interface Entry {
  id: string
  entry: unknown
  path: (string | number)[]
}

/** The entries of a `tested` or `untested` list that have an id; the others are errors. */
function entriesWithId(
  list: unknown,
  section: 'tested' | 'untested',
  at: At,
  errors: FileError[],
): Entry[] {
  if (!Array.isArray(list)) {
    const shape = section === 'tested' ? '{ id, level, title }' : '{ id, reason }'
    errors.push(at([section], `expected a list "${section}: [${shape}]"`))
    return []
  }
  const found: Entry[] = []
  list.forEach((entry: unknown, index) => {
    const id = member(entry, 'id')
    if (typeof id === 'string' && id !== '') found.push({ id, entry, path: [section, index] })
    else errors.push(at([section, index], 'entry needs an "id"'))
  })
  return found
}

function readTested(tested: unknown, catalog: Catalog, at: At, errors: FileError[]): void {
  for (const { id, entry, path } of entriesWithId(tested, 'tested', at, errors)) {
    const level = member(entry, 'level')
    if (typeof level !== 'string' || !LEVELS.has(level)) {
      errors.push(at([...path, 'level'], `requirement ${id}: level must be must, should or may`))
    } else if (catalog.requirements.has(id)) {
      errors.push(at([...path, 'id'], `duplicate requirement ${id}`))
    } else {
      const title = member(entry, 'title')
      const vendor = member(entry, 'vendor')
      catalog.requirements.set(id, {
        id,
        level: level as Level,
        title: typeof title === 'string' ? title : '',
        ...(typeof vendor === 'string' ? { vendor } : {}),
      })
    }
  }
}

function readUntested(untested: unknown, catalog: Catalog, at: At, errors: FileError[]): void {
  for (const { id, entry, path } of entriesWithId(untested, 'untested', at, errors)) {
    if (catalog.requirements.has(id) || catalog.untested.has(id)) {
      errors.push(at([...path, 'id'], `requirement ${id} is listed twice`))
      continue
    }
    const reason = member(entry, 'reason')
    const row: UntestedRequirement = { id, reason: typeof reason === 'string' ? reason : '' }
    for (const name of ['title', 'level', 'vendor', 'category'] as const) {
      const value = member(entry, name)
      if (typeof value === 'string') row[name] = value
    }
    catalog.untested.set(id, row)
  }
}

/** An own member of a plain object, else undefined. */
export function member(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
}
