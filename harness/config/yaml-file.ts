/**
 * Parses a configuration YAML file (targets.yaml, expectations files) keeping positions, so every
 * error can name `file:line:column`.
 */
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { FileError, FileErrors, type SourceLocation } from '../errors.ts'
import { parseYaml } from '../yaml/parse.ts'

export interface ConfigYaml {
  /** The parsed value (plain JavaScript). */
  value: unknown
  /** The file name as shown in messages (relative to the working directory when inside it). */
  shownFile: string
  /** The location of the node at `path`, or of its nearest existing ancestor. */
  locate(path: (string | number)[]): SourceLocation
}

/** Reads and parses `file`; YAML syntax errors throw `FileErrors` (E_CONFIG). */
export async function readConfigYaml(file: string): Promise<ConfigYaml> {
  const shownFile = showFile(file)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error)
    throw new FileErrors([
      new FileError('E_CONFIG', { file: shownFile, line: 1, column: 1 }, reason),
    ])
  }
  return parseConfigYaml(text, shownFile)
}

export function parseConfigYaml(text: string, shownFile: string): ConfigYaml {
  const parsed = parseYaml(text, shownFile, { code: 'E_CONFIG', reason: (m) => `YAML: ${m}` })
  if (Array.isArray(parsed)) throw new FileErrors(parsed)
  return { value: parsed.value, shownFile, locate: (path) => parsed.locate(path) }
}

/** Relative to the working directory when the file is inside it, else as given. */
export function showFile(file: string): string {
  const rel = relative(process.cwd(), file)
  return rel && !rel.startsWith('..') ? rel : file
}

/** Splits an ajv instancePath (`/a/0/b`) into path segments. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return []
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}
