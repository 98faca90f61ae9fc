/**
 * The names scenarios may use: requirement IDs (`suites/requirements.yaml`), capabilities
 * (`suites/capabilities.yaml`), fixtures (`harness/actions/fixtures/names.ts`) and response schemas
 * (`fixtures/schemas/*.schema.json`).
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { LineCounter, isMap, isSeq, parseDocument, type Node } from 'yaml'
import { FileError, FileErrors } from '../errors.ts'
import type { Level } from '../types.ts'
import { readTextOrRecord } from './read-text.ts'
import { packageRoot } from '../package-root.ts'
import { FIXTURE_NAMES } from '../actions/fixtures/names.ts'

export interface TestedRequirement {
  id: string
  level: Level
  title: string
}

export interface UntestedRequirement {
  id: string
  reason: string
}

export interface Vocabulary {
  requirements: Map<string, TestedRequirement>
  untested: Map<string, UntestedRequirement>
  capabilities: Map<string, string>
  fixtures: Set<string>
  schemas: Set<string>
}

/** The folder holding this package's package.json (kept under its old name for callers). */
export { packageRoot as repoRoot } from '../package-root.ts'

const LEVELS = new Set(['must', 'should', 'may'])

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
  const requirements = new Map<string, TestedRequirement>()
  const untested = new Map<string, UntestedRequirement>()
  const capabilities = new Map<string, string>()

  const present = (file: string) => !suite || existsSync(file)
  const requirementsDoc = present(requirementsFile)
    ? await readYaml(requirementsFile, errors)
    : undefined
  if (requirementsDoc) {
    const { value, at } = requirementsDoc
    const tested = member(value, 'tested')
    if (!Array.isArray(tested))
      errors.push(at(['tested'], 'expected a list "tested: [{ id, level, title }]"'))
    else {
      tested.forEach((entry, index) => {
        const id = member(entry, 'id')
        const level = member(entry, 'level')
        const title = member(entry, 'title')
        if (typeof id !== 'string' || id === '')
          errors.push(at(['tested', index], 'entry needs an "id"'))
        else if (typeof level !== 'string' || !LEVELS.has(level)) {
          errors.push(
            at(['tested', index, 'level'], `requirement ${id}: level must be must, should or may`),
          )
        } else if (requirements.has(id))
          errors.push(at(['tested', index, 'id'], `duplicate requirement ${id}`))
        else
          requirements.set(id, {
            id,
            level: level as Level,
            title: typeof title === 'string' ? title : '',
          })
      })
    }
    const skipped = member(value, 'untested') ?? []
    if (!Array.isArray(skipped))
      errors.push(at(['untested'], 'expected a list "untested: [{ id, reason }]"'))
    else {
      skipped.forEach((entry, index) => {
        const id = member(entry, 'id')
        const reason = member(entry, 'reason')
        if (typeof id !== 'string' || id === '')
          errors.push(at(['untested', index], 'entry needs an "id"'))
        else if (requirements.has(id) || untested.has(id)) {
          errors.push(at(['untested', index, 'id'], `requirement ${id} is listed twice`))
        } else untested.set(id, { id, reason: typeof reason === 'string' ? reason : '' })
      })
    }
  }

  const capabilitiesDoc = present(capabilitiesFile)
    ? await readYaml(capabilitiesFile, errors)
    : undefined
  if (capabilitiesDoc) {
    const listed = member(capabilitiesDoc.value, 'capabilities')
    if (listed === null || typeof listed !== 'object' || Array.isArray(listed)) {
      errors.push(
        capabilitiesDoc.at(
          ['capabilities'],
          'expected a map "capabilities: { name: description }"',
        ),
      )
    } else {
      for (const [name, description] of Object.entries(listed)) {
        capabilities.set(name, typeof description === 'string' ? description : '')
      }
    }
  }
  if (errors.length > 0) throw new FileErrors(errors)

  return {
    requirements,
    untested,
    capabilities,
    // Fixtures are code: always this package's registry (harness/actions/fixtures/names.ts).
    fixtures: new Set(FIXTURE_NAMES),
    schemas: await namesIn(join(root, 'fixtures', 'schemas'), '.schema.json', []),
  }
}

function member(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
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

interface YamlFile {
  value: unknown
  at(path: (string | number)[], reason: string): FileError
}

async function readYaml(file: string, errors: FileError[]): Promise<YamlFile | undefined> {
  const text = await readTextOrRecord(file, file, 'E_CONFIG', errors)
  if (text === undefined) return undefined
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter })
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const position = error.linePos?.[0] ?? { line: 1, col: 1 }
      const reason =
        error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'YAML error'
      errors.push(
        new FileError('E_CONFIG', { file, line: position.line, column: position.col }, reason),
      )
    }
    return undefined
  }
  return {
    value: doc.toJS() as unknown,
    at(path, reason) {
      let node: unknown = doc.contents
      for (const segment of path) {
        const next: unknown = isMap(node)
          ? node.get(segment, true)
          : isSeq(node)
            ? node.get(Number(segment), true)
            : undefined
        if (!next) break
        node = next
      }
      const offset = (node as Node | null)?.range?.[0] ?? 0
      const position = lineCounter.linePos(offset)
      return new FileError('E_CONFIG', { file, line: position.line, column: position.col }, reason)
    },
  }
}
