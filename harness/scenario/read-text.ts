/** Reading a scenario or vocabulary file: an unreadable file is a located error, never a throw. */
import { readFile } from 'node:fs/promises'
import { FileError } from '../errors.ts'

/**
 * The file's text, or undefined after pushing a `cannot read` error located at `displayFile:1:1`.
 */
export async function readTextOrRecord(
  file: string,
  displayFile: string,
  code: 'E_CONFIG' | 'E_SCENARIO',
  errors: FileError[],
): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    const location = { file: displayFile, line: 1, column: 1 }
    errors.push(new FileError(code, location, `cannot read: ${(error as Error).message}`))
    return undefined
  }
}
