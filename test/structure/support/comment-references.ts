/**
 * References in comments to documents the repository does not hold: the names under which design
 * notes kept outside it were cited (the patterns below), and a `.md` document that does not exist
 * (a path with a folder, or a name cited with a section sign). A comment must stand alone: it
 * cites a file of the repo or a spec section (RFC 7591 §3.2).
 */
import { commentsAndStrings } from './source-text.ts'

const UNSHIPPED = [/\bDESIGN\b/, /\bBRW\b/, /\bnotes? N\d+\b/i, /(?:^|[\s(`'"])shared\/[\w./-]+/]
// Most sources name none of these: they are not parsed at all.
const CANDIDATE = /DESIGN|BRW|notes? N\d|shared\/|\.md\b/i
const MARKDOWN = /(?:^|[\s(`'"])((?:\.\.?\/)*[\w.-]*\/[\w./-]*[\w-]\.md|[\w-]+\.md(?= §))/g

/**
 * `file:line: reference` for each such reference in the comments of `source`. `exists` says
 * whether a repo-relative or file-relative `.md` path is in the repository.
 */
export function unshippedReferences(
  file: string,
  source: string,
  exists: (path: string, from: string) => boolean,
): string[] {
  const found: string[] = []
  if (!CANDIDATE.test(source)) return found
  for (const { text, line } of commentsAndStrings(file, source).comments) {
    for (const pattern of UNSHIPPED) {
      const match = pattern.exec(text)
      if (match) found.push(`${file}:${line}: ${match[0].trim()}`)
    }
    for (const match of text.matchAll(MARKDOWN)) {
      if (!exists(match[1]!, file)) found.push(`${file}:${line}: ${match[1]}`)
    }
  }
  return found
}
