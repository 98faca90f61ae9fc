/**
 * Map a path inside a parsed YAML document (`['steps', 1, 'register', 'token']`) to the
 * `file:line:column` of its node, so every error can point at the exact place.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml'
import type { SourceLocation } from '../errors.ts'

export interface LocateOptions {
  /** Point at the key of the last segment rather than its value (unknown keys). */
  key?: boolean
}

export type Locate = (path: (string | number)[], options?: LocateOptions) => SourceLocation

/** A locator for one document; a path that does not exist resolves to its deepest existing node. */
export function createLocator(doc: Document, lineCounter: LineCounter, file: string): Locate {
  return (path, options = {}) => {
    let node: unknown = doc.contents
    let target: unknown = node
    for (const [index, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(doc)
      const last = index === path.length - 1
      if (isMap(node)) {
        const pair = node.items.find(
          (item) =>
            (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(segment),
        )
        if (!pair) break
        node = pair.value
        target = last && options.key ? pair.key : (pair.value ?? pair.key)
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(segment)]
        if (item === undefined) break
        node = item
        target = item
      } else {
        break
      }
    }
    const offset = (target as Node | null | undefined)?.range?.[0] ?? 0
    const position = lineCounter.linePos(offset)
    return { file, line: position.line, column: position.col }
  }
}
