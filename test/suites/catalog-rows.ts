/**
 * The row ids of suites/requirements.yaml read as plain YAML, apart from the vocabulary loader:
 * what a test compares the loaded catalog with, so that no row is lost or counted twice.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'

export async function catalogRowIds(): Promise<string[]> {
  const text = await readFile(join(repoRoot(), 'suites', 'requirements.yaml'), 'utf8')
  const catalog = parse(text) as Record<'tested' | 'untested', { id: string }[]>
  return [...catalog.tested, ...catalog.untested].map((row) => row.id)
}
