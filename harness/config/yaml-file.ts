/**
 * Parses a configuration YAML file (targets.yaml, expectations files) keeping positions, so every
 * error can name `file:line:column`.
 */
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { isNode, LineCounter, parseDocument, type Document } from 'yaml'
import { FileError, FileErrors, type SourceLocation } from '../errors.ts'

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
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset)
    return { file: shownFile, line, column: col }
  }
  if (doc.errors.length > 0) {
    throw new FileErrors(
      doc.errors.map(
        (error) => new FileError('E_CONFIG', at(error.pos[0]), `YAML: ${firstLine(error.message)}`),
      ),
    )
  }
  return {
    value: doc.toJS({ maxAliasCount: 100 }) as unknown,
    shownFile,
    locate: (path) => at(offsetOf(doc, path)),
  }
}

function offsetOf(doc: Document, path: (string | number)[]): number {
  for (let length = path.length; length >= 0; length--) {
    const node: unknown = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true)
    if (isNode(node) && node.range) return node.range[0]
  }
  return 0
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message
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
