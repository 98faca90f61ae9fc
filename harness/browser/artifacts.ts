/**
 * Writing login artifacts (page HTML, screenshots, traces) into a step's artifacts folder.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Artifact } from '../types.ts'

let sequence = 0

/** A file path in `dir` that no other artifact of this process uses: `<stem>-<n>.<extension>`. */
export async function artifactPath(dir: string, stem: string, extension: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  sequence += 1
  return resolve(join(dir, `${stem}-${sequence}.${extension}`))
}

/** Save a page's HTML and return it as an artifact. */
export async function saveHtmlArtifact(dir: string, stem: string, html: string): Promise<Artifact> {
  const path = await artifactPath(dir, stem, 'html')
  await writeFile(path, html, 'utf8')
  return { name: `${stem}.html`, path, contentType: 'text/html' }
}
