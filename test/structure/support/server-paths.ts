/**
 * Module paths of the reference server or its adapter held in string literals: an import the
 * import graph cannot see (`import(variable)`), so the engine could know the server through it.
 */
import { commentsAndStrings } from './source-text.ts'

const SERVER_PATH = /(?:^|[./])(?:reference-server|builtin)\//

/** `file:line: path` for every string of `source` that names a path under those folders. */
export function serverPathsInStrings(file: string, source: string): string[] {
  return commentsAndStrings(file, source).strings.flatMap(({ text, line }) => {
    return SERVER_PATH.test(text) ? [`${file}:${line}: ${text}`] : []
  })
}
