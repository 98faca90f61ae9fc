/**
 * Comments stand alone (docs/architecture.md): no TypeScript source of the repository cites a
 * document that is not in it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { unshippedReferences } from './support/comment-references.ts'

const REPO = join(import.meta.dirname, '..', '..')
const SKIPPED = new Set(['node_modules', 'dist', '.git'])

function sources(folder: string, found: string[] = []): string[] {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue
    const path = join(folder, entry.name)
    if (entry.isDirectory()) sources(path, found)
    else if (/\.(ts|js|mjs)$/.test(entry.name)) found.push(relative(REPO, path))
  }
  return found
}

/** A `.md` path names a file of the repo, from the repo root or from the citing file's folder. */
function inRepo(path: string, from: string): boolean {
  return existsSync(join(REPO, path)) || existsSync(join(REPO, dirname(from), path))
}

describe('comment references', () => {
  it('finds design-note names and missing documents, and nothing in strings or real files', () => {
    const source = [
      '/** Exit codes (DESIGN §2); see docs/verdicts.md and RFC 7591 §3.2.1. */',
      '// the BRW module; note N4; shared/research/defect-patterns.md; docs/gone.md',
      '// requirements.md §0.2; writes report.md by default',
      "const text = 'DESIGN shared/x.md docs/gone.md'",
    ].join('\n')
    // Line 4 is the string: never read as a comment.
    const exists = (path: string) => path === 'docs/verdicts.md'
    expect(unshippedReferences('harness/x.ts', source, exists)).toEqual([
      'harness/x.ts:1: DESIGN',
      'harness/x.ts:2: BRW',
      'harness/x.ts:2: note N4',
      'harness/x.ts:2: shared/research/defect-patterns.md',
      'harness/x.ts:2: shared/research/defect-patterns.md',
      'harness/x.ts:2: docs/gone.md',
      'harness/x.ts:3: requirements.md',
    ])
  })

  it('no source of the repository cites a document that is not in it', () => {
    const files = sources(REPO)
    expect(files.length).toBeGreaterThan(300)
    const found = files.flatMap((file) =>
      unshippedReferences(file, readFileSync(join(REPO, file), 'utf8'), inRepo),
    )
    expect(found).toEqual([])
  })
})
