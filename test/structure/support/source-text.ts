/**
 * The comments and string literals of a TypeScript source, as the TypeScript parser reads them
 * (so a quote inside a regex or a `//` inside a string is never mistaken for either).
 */
import ts from 'typescript'

export interface Located {
  text: string
  line: number
}

export function commentsAndStrings(fileName: string, source: string): {
  comments: Located[]
  strings: Located[]
} {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true)
  const lineOf = (pos: number): number => file.getLineAndCharacterOfPosition(pos).line + 1
  const comments = new Map<number, Located>()
  const strings: Located[] = []
  const addComments = (ranges: ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      comments.set(range.pos, { text: source.slice(range.pos, range.end), line: lineOf(range.pos) })
    }
  }
  const visit = (node: ts.Node): void => {
    addComments(ts.getLeadingCommentRanges(source, node.getFullStart()))
    addComments(ts.getTrailingCommentRanges(source, node.getEnd()))
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      strings.push({ text: node.text, line: lineOf(node.getStart()) })
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  addComments(ts.getLeadingCommentRanges(source, file.endOfFileToken.getFullStart()))
  return { comments: [...comments.values()], strings }
}
