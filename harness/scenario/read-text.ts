/** Reading a scenario or vocabulary file: an unreadable file is a located error, never a throw. */
import { readFile } from 'node:fs/promises'
import { FileError } from '../errors.ts'
import { parseYaml, type YamlSource } from '../yaml/parse.ts'

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

/** A catalog file parsed with positions, or undefined after pushing its located errors. */
export async function readYamlOrRecord(
  file: string,
  errors: FileError[],
): Promise<YamlSource | undefined> {
  const text = await readTextOrRecord(file, file, 'E_CONFIG', errors)
  if (text === undefined) return undefined
  const parsed = parseYaml(text, file, { code: 'E_CONFIG' })
  if (!Array.isArray(parsed)) return parsed
  errors.push(...parsed)
  return undefined
}
