/** The located errors a load reports: its rejection must be `FileErrors`, anything else fails. */
import { expect } from 'vitest'
import { FileErrors } from '../../harness/errors.ts'

/** The messages (`file:line:col: reason`) of the `FileErrors` that `promise` rejects with. */
export async function fileErrorMessages(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => new Error('expected FileErrors, but it resolved'),
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(FileErrors)
  return (error as FileErrors).errors.map((item) => item.message)
}
