/**
 * A parsed document's node positions as plain data, walked exactly as source-map.ts walks the
 * live document, so that a cached parse (parse-cache.ts) locates every path where the live
 * parse would: same offsets, same fallbacks to the deepest existing node.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Document } from 'yaml'
import type { SourceLocation } from '../errors.ts'
import type { Locate } from './source-map.ts'

/**
 * One node: `a` its start offset; a map's pairs `m` as [key, key offset, value or null], a
 * sequence's items `s`, an alias's resolved node `r`.
 */
export interface PositionNode {
  a: number
  m?: [string, number, PositionNode | null][]
  s?: PositionNode[]
  r?: PositionNode
}

/** The most nodes a tree may have: aliases are copied, and a cached file is an ordinary one. */
const MAX_NODES = 200_000

/** The document's position tree; undefined when it would be larger than MAX_NODES. */
export function positionTree(doc: Document): PositionNode | undefined {
  let nodes = 0
  const walk = (node: unknown): PositionNode => {
    if (++nodes > MAX_NODES) throw new RangeError('too many nodes')
    const a = (node as { range?: [number] } | null)?.range?.[0] ?? 0
    if (isAlias(node)) return { a, r: walk(node.resolve(doc)) }
    if (isMap(node)) {
      const m = node.items.map((pair): [string, number, PositionNode | null] => [
        isScalar(pair.key) ? String(pair.key.value) : String(pair.key),
        (pair.key as { range?: [number] } | null)?.range?.[0] ?? 0,
        pair.value === null || pair.value === undefined ? null : walk(pair.value),
      ])
      return { a, m }
    }
    if (isSeq(node)) return { a, s: node.items.map(walk) }
    return { a }
  }
  try {
    return doc.contents === null ? { a: 0 } : walk(doc.contents)
  } catch (error) {
    if (error instanceof RangeError) return undefined
    throw error
  }
}

/** The locator of a position tree (the twin of source-map.ts's createLocator). */
export function treeLocator(tree: PositionNode, lineStarts: readonly number[], file: string): Locate {
  const lineCounter = new LineCounter()
  for (const start of lineStarts) lineCounter.addNewLine(start)
  return (path, options = {}): SourceLocation => {
    let node: PositionNode | null = tree
    let target: number = tree.a
    for (const [index, segment] of path.entries()) {
      if (node?.r) node = node.r
      const last = index === path.length - 1
      if (node?.m) {
        const pair: [string, number, PositionNode | null] | undefined = node.m.find(
          ([key]) => key === String(segment),
        )
        if (!pair) break
        node = pair[2]
        target = last && options.key ? pair[1] : (pair[2]?.a ?? pair[1])
      } else if (node?.s) {
        const item: PositionNode | undefined = node.s[Number(segment)]
        if (item === undefined) break
        node = item
        target = item.a
      } else {
        break
      }
    }
    const position = lineCounter.linePos(target)
    return { file, line: position.line, column: position.col }
  }
}
