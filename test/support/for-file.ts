/**
 * Something a whole test file shares (a server, an HTTP client): awaited at the file's top level,
 * closed after its last test, so no file repeats the `let`/beforeAll/afterAll dance.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

export async function forFile<T extends { close(): unknown }>(started: T | Promise<T>): Promise<T> {
  const value = await started
  afterAll(async () => {
    await value.close()
  })
  return value
}

/** A fresh folder under the OS temp folder for the file's tests, removed after its last test. */
export async function tempFolderForFile(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix))
  afterAll(() => rm(folder, { recursive: true, force: true }))
  return folder
}
