/**
 * The package's response schemas (fixtures/schemas) compiled to JavaScript at build time (ajv's
 * standalone code), so that a run does not compile them: `npm run build` writes
 * dist/harness/checks/schema-code.cjs (schema-code-build.ts). The file records a digest of the
 * schema files it came from; a registry uses it only when the files it loaded have that digest,
 * else it compiles with ajv as before (an edited schema, or a build by plain `tsc`).
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { _, Ajv2020, type Options, type ValidateFunction } from 'ajv/dist/2020.js'
import * as ajvFormats from 'ajv-formats'
import * as standalone from 'ajv/dist/standalone/index.js'

type FormatsPlugin = (ajv: Ajv2020) => Ajv2020
const addFormats = (ajvFormats as unknown as { default: FormatsPlugin }).default
type StandaloneCode = (ajv: Ajv2020, refs: Record<string, string>) => string
const standaloneCode = (standalone as unknown as { default: StandaloneCode }).default
/** The compiled code's `require`: it finds ajv's runtime helpers from this package. */
const require = createRequire(import.meta.url)

/** The file next to the compiled schemas.js. */
export const SCHEMA_CODE_FILE = 'schema-code.cjs'
/** The code's first line: this, then the digest of the files it was compiled from. */
const DIGEST_LINE = '// dcr-conformance schema digest '

/** Every registry's ajv options: the compiled code must report errors exactly as ajv does. */
export const AJV_OPTIONS: Options = { allErrors: true, strict: false, validateSchema: false }

/** One schema file as read: its name (file name without `.schema.json`) and its text. */
export interface SchemaText {
  name: string
  text: string
}

/** The ajv that compiled the code: another version's code is not used. */
const ajvVersion = (require('ajv/package.json') as { version: string }).version

/** Digest of a folder's schema files (names and texts, in name order) and of ajv's version. */
export function schemaDigest(files: readonly SchemaText[]): string {
  const hash = createHash('sha256').update(`ajv ${ajvVersion}\0`)
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    hash.update(`${file.name}\0${file.text}\0`)
  }
  return hash.digest('hex')
}

/** A new ajv with the registry's options and formats. */
export function newAjv(): Ajv2020 {
  const ajv = new Ajv2020(AJV_OPTIONS)
  addFormats(ajv)
  return ajv
}

/** `$id` of a schema as the registry adds it (its own, else its name). */
export function schemaKey(name: string, schema: Record<string, unknown>): string {
  return typeof schema.$id === 'string' ? schema.$id : name
}

/**
 * The CommonJS module of every schema's validator, by name, and the digest of the files. Formats
 * come from ajv-formats at run time, as a registry's ajv gets them.
 */
export function schemaCode(files: readonly SchemaText[], extra: Options = {}): string {
  const ajv = new Ajv2020({
    ...AJV_OPTIONS,
    ...extra,
    code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  })
  addFormats(ajv)
  const refs: Record<string, string> = {}
  for (const file of files) {
    const schema = JSON.parse(file.text) as Record<string, unknown>
    const key = schemaKey(file.name, schema)
    ajv.addSchema(typeof schema.$id === 'string' ? schema : { ...schema, $id: key })
    refs[file.name] = key
  }
  return `${DIGEST_LINE}${schemaDigest(files)}\n${standaloneCode(ajv, refs)}\n`
}

export async function writeSchemaCode(
  files: readonly SchemaText[],
  path: string,
  extra: Options = {},
): Promise<void> {
  await writeFile(path, schemaCode(files, extra))
}

/**
 * The scenario format's schema (harness/scenario/scenario.schema.json) is checked on every run
 * with `verbose` errors (schema-check.ts reads their parent schema): compiled the same way, into
 * its own file next to the compiled schema-check.js.
 */
export const SCENARIO_SCHEMA_CODE_FILE = 'scenario-schema-code.cjs'
export const SCENARIO_AJV_OPTIONS: Options = { verbose: true }


/**
 * The compiled validators in `path` when they were compiled from files with `digest`. The code
 * runs with this module's `require`, so that it finds ajv wherever the file lies.
 */
export function loadSchemaCode(
  path: string,
  digest: string,
): ReadonlyMap<string, ValidateFunction> | undefined {
  if (!existsSync(path)) return undefined
  const code = readFileSync(path, 'utf8')
  if (!code.startsWith(`${DIGEST_LINE}${digest}\n`)) return undefined
  const module = { exports: {} as Record<string, unknown> }
  new Function('require', 'module', 'exports', code)(require, module, module.exports)
  const validators = new Map<string, ValidateFunction>()
  for (const [name, value] of Object.entries(module.exports)) {
    if (typeof value === 'function') validators.set(name, value as ValidateFunction)
  }
  return validators
}
