/**
 * JSON Schemas for response bodies (`fixtures/schemas/<name>.schema.json`), validated with ajv.
 * Dialect: JSON Schema draft 2020-12 (Ajv2020). Schemas may `$ref` each other by `$id`: every file
 * of the folder is added before any is compiled.
 * @see https://json-schema.org/draft/2020-12/json-schema-core
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import { FileError, HarnessError } from '../errors.ts'
import { packageRoot } from '../package-root.ts'
import { pointerMessage, showTyped, showValue, valueAtPointer } from './format.ts'
import type { Mismatch } from './matchers.ts'
import {
  loadSchemaCode,
  newAjv,
  SCHEMA_CODE_FILE,
  schemaDigest,
  schemaKey,
  type SchemaText,
} from './schema-code.ts'

const SUFFIX = '.schema.json'

const packageSchemas = (): string => join(packageRoot(), 'fixtures', 'schemas')

export interface SchemaLoadOptions {
  /**
   * Validators compiled at build time for the package's schemas (schema-code.ts; default the
   * build's file next to this module), used while the package's files are unchanged.
   */
  compiledCode?: string
}

/**
 * Named JSON Schemas, each compiled on first use and then kept, each validation reporting every
 * error by JSON Pointer. Compiling all of them (and checking them against the draft's meta-schema)
 * took most of a run's own CPU time while the suites use three; the package's schemas are
 * compiled and checked by its tests (test/harness/checks/schemas.test.ts) instead.
 */
export class SchemaRegistry {
  readonly #schemas: Map<string, Record<string, unknown>>
  /** Created when a schema is not compiled yet (most runs never need it: schema-code.ts). */
  #ajvInstance: Ajv2020 | undefined
  /** Name -> the `$id` the schema was added under. */
  readonly #keys: Map<string, string>
  readonly #validators: Map<string, ValidateFunction>
  /** How many of the schemas come compiled from the build. */
  readonly precompiled: number

  private constructor(
    schemas: Map<string, Record<string, unknown>>,
    compiled: ReadonlyMap<string, ValidateFunction> = new Map(),
  ) {
    this.#schemas = schemas
    this.#keys = new Map([...schemas].map(([name, schema]) => [name, schemaKey(name, schema)]))
    this.#validators = new Map([...compiled].filter(([name]) => schemas.has(name)))
    this.precompiled = this.#validators.size
  }

  get #ajv(): Ajv2020 {
    if (this.#ajvInstance) return this.#ajvInstance
    const ajv = newAjv()
    for (const [name, schema] of this.#schemas) {
      ajv.addSchema(typeof schema.$id === 'string' ? schema : { ...schema, $id: name })
    }
    this.#ajvInstance = ajv
    return ajv
  }

  /**
   * Load every `*.schema.json` of `dir` (default `fixtures/schemas`), or of several folders (the
   * package's, then a suite folder's `schemas/`); a missing folder is empty.
   */
  static async load(
    dir: string | string[] = packageSchemas(),
    options: SchemaLoadOptions = {},
  ): Promise<SchemaRegistry> {
    const schemas = new Map<string, Record<string, unknown>>()
    let compiled: ReadonlyMap<string, ValidateFunction> | undefined
    for (const folder of typeof dir === 'string' ? [dir] : dir) {
      const texts: SchemaText[] = []
      let names: string[]
      try {
        names = (await readdir(folder)).filter((name) => name.endsWith(SUFFIX)).sort()
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw error
      }
      for (const name of names) {
        const file = join(folder, name)
        // A suite's schema never silently replaces one of the package's.
        if (schemas.has(name.slice(0, -SUFFIX.length))) {
          throw new FileError('E_CONFIG', { file, line: 1, column: 1 }, `schema name "${name.slice(0, -SUFFIX.length)}" is already taken`)
        }
        const text = await readFile(file, 'utf8')
        schemas.set(name.slice(0, -SUFFIX.length), parseSchemaFile(file, text))
        texts.push({ name: name.slice(0, -SUFFIX.length), text })
      }
      if (resolve(folder) === resolve(packageSchemas())) {
        const code = options.compiledCode ?? fileURLToPath(new URL(SCHEMA_CODE_FILE, import.meta.url))
        compiled = loadSchemaCode(code, schemaDigest(texts))
      }
    }
    return new SchemaRegistry(schemas, compiled)
  }

  /** Build a registry from schemas in memory (name -> schema). */
  static fromSchemas(schemas: Map<string, Record<string, unknown>>): SchemaRegistry {
    return new SchemaRegistry(schemas)
  }

  has(name: string): boolean {
    return this.#keys.has(name)
  }

  names(): string[] {
    return [...this.#keys.keys()].sort()
  }

  /** Compiles every schema now, and checks each against the draft's meta-schema (for tests). */
  compileAll(): void {
    for (const [name, key] of this.#keys) {
      // By ajv even when the build compiled it: the check is of the schema as written.
      const schema = this.#compile(name, key).schema as Record<string, unknown>
      if (!this.#ajv.validateSchema(schema)) {
        throw new HarnessError('E_CONFIG', `schema "${name}": ${this.#ajv.errorsText()}`)
      }
    }
  }

  #validator(name: string): ValidateFunction | undefined {
    const key = this.#keys.get(name)
    if (key === undefined) return undefined
    let validate = this.#validators.get(name)
    if (validate) return validate
    validate = this.#compile(name, key)
    this.#validators.set(name, validate)
    return validate
  }

  #compile(name: string, key: string): ValidateFunction {
    try {
      const validate = this.#ajv.getSchema(key)
      if (!validate) throw new Error(`schema ${key} not found after loading`)
      return validate
    } catch (error) {
      throw new HarnessError('E_CONFIG', `schema "${name}": ${(error as Error).message}`, {
        cause: error,
      })
    }
  }

  /** Every error of `value` against schema `name`, each with its JSON Pointer. */
  validate(name: string, value: unknown): Mismatch[] {
    const validate = this.#validator(name)
    if (!validate) {
      throw new HarnessError(
        'E_CONFIG',
        `unknown schema "${name}" (known: ${this.names().join(', ')})`,
      )
    }
    if (validate(value)) return []
    return (validate.errors ?? []).map((error) => schemaMismatch(error, value))
  }
}

function parseSchemaFile(file: string, text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new FileError(
        'E_CONFIG',
        { file, line: 1, column: 1 },
        'a schema must be a JSON object',
      )
    }
    return parsed as Record<string, unknown>
  } catch (error) {
    if (error instanceof FileError) throw error
    const message = (error as Error).message
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0)
    const before = text.slice(0, offset).split('\n')
    const location = { file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 }
    throw new FileError('E_CONFIG', location, `invalid JSON: ${message}`)
  }
}

/** One ajv error as a readable mismatch (`/: missing required member "client_id"`). */
export function schemaMismatch(error: ErrorObject, root: unknown): Mismatch {
  const params = error.params as Record<string, unknown>
  const pointer = error.instancePath
  const actual = valueAtPointer(root, pointer)
  let reason: string
  let expected: unknown = error.schema
  switch (error.keyword) {
    case 'required':
      reason = `missing required member "${String(params.missingProperty)}"`
      expected = { required: params.missingProperty }
      break
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const member = String(params.additionalProperty ?? params.unevaluatedProperty)
      reason = `unexpected member "${member}"`
      break
    }
    case 'type':
      reason = `expected type ${String(params.type).split(',').join(' or ')}, got ${showTyped(actual)}`
      expected = { type: params.type }
      break
    case 'enum':
      reason = `expected one of ${((params.allowedValues as unknown[]) ?? []).map(showValue).join(', ')}, got ${showValue(actual)}`
      break
    case 'const':
      reason = `expected ${showValue(params.allowedValue)}, got ${showValue(actual)}`
      break
    case 'format':
      reason = `expected format ${String(params.format)}, got ${showValue(actual)}`
      expected = { format: params.format }
      break
    case 'pattern':
      reason = `expected a string matching /${String(params.pattern)}/, got ${showValue(actual)}`
      expected = { pattern: params.pattern }
      break
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      reason = `expected ${String(params.comparison)} ${String(params.limit)}, got ${showValue(actual)}`
      break
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
    case 'minProperties':
    case 'maxProperties': {
      const bound = error.keyword.startsWith('min') ? 'at least' : 'at most'
      const unit = error.keyword.endsWith('Items')
        ? 'items'
        : error.keyword.endsWith('Length')
          ? 'characters'
          : 'members'
      reason = `expected ${bound} ${String(params.limit)} ${unit}, got ${showValue(actual)}`
      break
    }
    case 'dependentRequired':
    case 'dependencies':
      reason = `member "${String(params.property)}" requires member "${String(params.missingProperty)}"`
      break
    default:
      reason = error.message ?? `fails ${error.keyword}`
  }
  return { pointer, message: pointerMessage(pointer, reason), expected, actual }
}
