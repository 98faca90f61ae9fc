/**
 * Finds many learned values in a text in one pass (an Aho-Corasick automaton), where each value
 * must stand as a whole token (docs/redaction.md §3), in time linear in the text: a 900 KB
 * target value and hundreds of learned secrets with a shared prefix cost one scan, never a scan
 * per secret or per position.
 *
 * The whole-token rule is built into the alphabet: the text and every value are read with two
 * extra symbols, WORD_START before a word character that follows a non-word one (or the start)
 * and WORD_END after a word character that precedes a non-word one (or the end). A value that
 * begins with a word character begins with WORD_START, so it only matches where the text has one;
 * inside a value the symbols fall where they fall in the text. No check per candidate is needed.
 */

const WORD_START = 0x10000
const WORD_END = 0x10001
const ALPHABET = 0x10002
/** Slots of the root's table: ASCII, then WORD_START and WORD_END. */
const ROOT_TABLE = 130
const rootSlot = (symbol: number): number =>
  symbol < 128 ? symbol : symbol >= WORD_START ? symbol - WORD_START + 128 : -1

/** Letters, digits and `_` (ASCII): what joins a value to its neighbours. */
export const isWordCode = (code: number): boolean =>
  (code >= 48 && code <= 57) ||
  (code >= 65 && code <= 90) ||
  (code >= 97 && code <= 122) ||
  code === 95

/** A value to find; an open edge (the value is a piece of a longer one) may touch anything. */
export interface TokenPattern {
  value: string
  openStart?: boolean
  openEnd?: boolean
}

/**
 * Whether `pattern`, found at `start` as characters, stands there as a whole token: the rule the
 * automaton reads with WORD_START and WORD_END (see `read`), for one candidate.
 */
export function standsAsToken(text: string, start: number, pattern: TokenPattern): boolean {
  const { value } = pattern
  const end = start + value.length
  const closedStart = !pattern.openStart && isWordCode(value.charCodeAt(0))
  const closedEnd = !pattern.openEnd && isWordCode(value.charCodeAt(value.length - 1))
  if (closedStart && start > 0 && isWordCode(text.charCodeAt(start - 1))) return false
  return !(closedEnd && end < text.length && isWordCode(text.charCodeAt(end)))
}

/**
 * Feeds `text` to `step` as the symbols above; `step` gets the symbol and the text index. The
 * first WORD_START and the last WORD_END are left out at an open edge.
 */
function read(
  text: string,
  step: (symbol: number, at: number) => void,
  { openStart = false, openEnd = false }: Omit<TokenPattern, 'value'> = {},
): void {
  let previousWord = openStart
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const word = isWordCode(code)
    if (word && !previousWord) step(WORD_START, i)
    step(code, i)
    const last = i + 1 === text.length
    if (word && (last ? !openEnd : !isWordCode(text.charCodeAt(i + 1)))) step(WORD_END, i)
    previousWord = word
  }
}

/** A built automaton over a fixed set of values. */
export interface TokenMatcher {
  /** Appends `[start, end)` for whole-token occurrences (overlapping ones joined) to `into`. */
  find(text: string, into: [number, number][]): void
  /** Automaton steps taken so far (transitions and failure links): linear in the text read. */
  readonly steps: number
}

/** The values' trie. Node 0 is the root; edges are one Map keyed by node * ALPHABET + symbol. */
interface Trie {
  edges: Map<number, number>
  parent: number[]
  symbolOf: number[]
  depth: number[]
  /** The longest value that ends at this node (0: none). */
  ownLength: number[]
}

/** The automaton: the trie, its failure links and the root's table; `steps` counts its work. */
interface Automaton {
  edges: Map<number, number>
  fail: Int32Array
  /** The longest value that ends here (this node's own or one on its failure chain). */
  longest: Int32Array
  fromRoot: Int32Array
  steps: number
}

function buildTrie(patterns: readonly TokenPattern[]): Trie {
  const trie: Trie = { edges: new Map(), parent: [0], symbolOf: [0], depth: [0], ownLength: [0] }
  const { edges, parent, symbolOf, depth, ownLength } = trie
  for (const pattern of patterns) {
    let node = 0
    read(
      pattern.value,
      (symbol) => {
        const key = node * ALPHABET + symbol
        let next = edges.get(key)
        if (next === undefined) {
          next = parent.length
          edges.set(key, next)
          parent.push(node)
          symbolOf.push(symbol)
          depth.push(depth[node]! + 1)
          ownLength.push(0)
        }
        node = next
      },
      pattern,
    )
    ownLength[node] = Math.max(ownLength[node]!, pattern.value.length)
  }
  return trie
}

/** Failure links, breadth first, and with them the longest value ending at each node. */
function linkFailures(trie: Trie): { fail: Int32Array; longest: Int32Array } {
  const { edges, parent, symbolOf, depth, ownLength } = trie
  const count = parent.length
  const fail = new Int32Array(count)
  const longest = new Int32Array(count)
  const order = Array.from({ length: count }, (_, node) => node)
  order.sort((a, b) => depth[a]! - depth[b]!)
  for (const node of order) {
    if (node === 0) continue
    const up = parent[node]!
    const symbol = symbolOf[node]!
    let f = up === 0 ? -1 : fail[up]!
    while (f >= 0 && !edges.has(f * ALPHABET + symbol)) f = f === 0 ? -1 : fail[f]!
    fail[node] = f < 0 ? 0 : edges.get(f * ALPHABET + symbol)!
    longest[node] = Math.max(ownLength[node]!, longest[fail[node]!]!)
  }
  return { fail, longest }
}

/**
 * The root's edges for ASCII and the two word symbols as a small array: most symbols of a text
 * leave the root at once. A table of the whole alphabet (256 KB) cost more to clear on every
 * build than it saved: a run builds an automaton per learned value (redact-learned.ts).
 */
function rootTable(trie: Trie): Int32Array {
  const fromRoot = new Int32Array(ROOT_TABLE)
  for (let node = 1; node < trie.parent.length; node++) {
    const slot = rootSlot(trie.symbolOf[node]!)
    if (trie.parent[node] === 0 && slot >= 0) fromRoot[slot] = node
  }
  return fromRoot
}

function findAll(a: Automaton, text: string, into: [number, number][]): void {
  const { edges, fail, longest, fromRoot } = a
  const edge = (node: number, symbol: number): number | undefined => {
    if (node !== 0) return edges.get(node * ALPHABET + symbol)
    const slot = rootSlot(symbol)
    return slot >= 0 ? fromRoot[slot] : edges.get(symbol)
  }
  let node = 0
  // This pass's matches end in order: one overlapping the previous one extends it.
  let previous: [number, number] | undefined
  read(text, (symbol, at) => {
    let next = edge(node, symbol)
    while (next === undefined && node !== 0) {
      node = fail[node]!
      a.steps++
      next = edge(node, symbol)
    }
    a.steps++
    node = next ?? 0
    const length = longest[node]!
    if (length === 0 || symbol === WORD_START) return
    const start = at + 1 - length
    if (previous && start < previous[1]) {
      previous[0] = Math.min(previous[0], start)
      previous[1] = at + 1
    } else {
      previous = [start, at + 1]
      into.push(previous)
    }
  })
}

/** Builds the automaton for `patterns` (each value at least one character). */
export function buildTokenMatcher(patterns: readonly TokenPattern[]): TokenMatcher {
  const trie = buildTrie(patterns)
  const automaton: Automaton = {
    edges: trie.edges,
    ...linkFailures(trie),
    fromRoot: rootTable(trie),
    steps: 0,
  }
  return {
    get steps() {
      return automaton.steps
    },
    find: (text, into) => findAll(automaton, text, into),
  }
}

/**
 * `text` with each maximal run of overlapping matches replaced by `mark` (overlapping secrets
 * leave no part visible).
 */
export function replaceMatches(text: string, matches: [number, number][], mark: string): string {
  if (matches.length === 0) return text
  matches.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  let out = ''
  let copiedUpTo = 0
  let start = -1
  let end = -1
  for (const [from, to] of matches) {
    if (from < end) {
      end = Math.max(end, to)
      continue
    }
    if (start >= 0) out += text.slice(copiedUpTo, start) + mark
    if (start >= 0) copiedUpTo = end
    start = from
    end = to
  }
  out += text.slice(copiedUpTo, start) + mark + text.slice(end)
  return out
}
