/**
 * The one YAML reader that keeps positions: scenario files, the requirement and capability
 * catalogs, targets.yaml and expectations files all parse here, so every error they report names
 * `file:line:column` the same way.
 */
import { LineCounter, parseDocument, type Document } from 'yaml'
import { FileError } from '../errors.ts'
import { cachedParse } from './parse-cache.ts'
import { createLocator, type Locate } from './source-map.ts'

export interface YamlSource {
  /** The parsed value (plain JavaScript); null for an empty file. */
  value: unknown
  /** The location of the node at a path, or of its deepest existing ancestor. */
  locate: Locate
}

export interface YamlParseOptions {
  /** The code of every error (E_CONFIG for configuration, E_SCENARIO for scenario files). */
  code: 'E_CONFIG' | 'E_SCENARIO'
  /** YAML 1.1 merge keys: `<<: *anchor` merges the anchored map instead of adding a "<<" member. */
  merge?: boolean
  /** Rewords the first line of a YAML error message (its position is already in the location). */
  reason?: (message: string) => string
}

/**
 * Parses `text`; syntax errors, duplicate keys and alias bombs come back as located errors. The
 * package's own files come from the build's cache (parse-cache.ts).
 */
export function parseYaml(
  text: string,
  file: string,
  options: YamlParseOptions,
): YamlSource | FileError[] {
  return cachedParse(text, file, options.merge ?? false) ?? parseLive(text, file, options).parsed
}

/** The parse itself, with the document it came from (parse-cache-build.ts caches both). */
export function parseLive(
  text: string,
  file: string,
  options: YamlParseOptions,
): { parsed: YamlSource | FileError[]; doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    merge: options.merge ?? false,
  })
  const reason = (message: string) => (options.reason ?? ((m: string) => m))(firstLine(message))
  const done = (parsed: YamlSource | FileError[]) => ({ parsed, doc, lineCounter })
  if (doc.errors.length > 0) {
    return done(
      doc.errors.map((error) => {
        const { line, col } = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0])
        return new FileError(options.code, { file, line, column: col }, reason(error.message))
      }),
    )
  }
  const locate = createLocator(doc, lineCounter, file)
  try {
    return done({ value: doc.toJS({ maxAliasCount: 100 }) as unknown, locate })
  } catch (error) {
    return done([new FileError(options.code, locate([]), reason((error as Error).message))])
  }
}

/** The message's first line without the " at line N, column M:" that prettyErrors appends. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '')
}
