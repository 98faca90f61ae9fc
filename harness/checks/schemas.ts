/**
 * JSON Schemas for response bodies (`fixtures/schemas/<name>.schema.json`), validated with ajv.
 * Dialect: JSON Schema draft 2020-12 (Ajv2020). Schemas may `$ref` each other by `$id`: every file
 * of the folder is added before any is compiled.
 * @see https://json-schema.org/draft/2020-12/json-schema-core
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import * as ajvFormats from 'ajv-formats'
import { FileError, HarnessError } from '../errors.ts'
import { repoRoot } from '../scenario/vocabulary.ts'
import { pointerMessage, showTyped, showValue, valueAtPointer } from './format.ts'
import type { Mismatch } from './matchers.ts'

type FormatsPlugin = (ajv: Ajv2020) => Ajv2020
const addFormats = (ajvFormats as unknown as { default: FormatsPlugin }).default

const SUFFIX = '.schema.json'

/** Named JSON Schemas, compiled once, each validation reporting every error by JSON Pointer. */
export class SchemaRegistry {
  readonly #validators: Map<string, ValidateFunction>

  private constructor(validators: Map<string, ValidateFunction>) {
    this.#validators = validators
  }

  /** Load every `*.schema.json` of `dir` (default `fixtures/schemas`); a missing folder is empty. */
  static async load(dir = join(repoRoot(), 'fixtures', 'schemas')): Promise<SchemaRegistry> {
    let names: string[]
    try {
      names = (await readdir(dir)).filter((name) => name.endsWith(SUFFIX)).sort()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new SchemaRegistry(new Map())
      throw error
    }
    const schemas = new Map<string, Record<string, unknown>>()
    for (const name of names) {
      const file = join(dir, name)
      schemas.set(
        name.slice(0, -SUFFIX.length),
        parseSchemaFile(file, await readFile(file, 'utf8')),
      )
    }
    return SchemaRegistry.fromSchemas(schemas)
  }

  /** Build a registry from schemas in memory (name -> schema). */
  static fromSchemas(schemas: Map<string, Record<string, unknown>>): SchemaRegistry {
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    addFormats(ajv)
    const keys = new Map<string, string>()
    for (const [name, schema] of schemas) {
      const id = typeof schema.$id === 'string' ? schema.$id : undefined
      ajv.addSchema(id ? schema : { ...schema, $id: name })
      keys.set(name, id ?? name)
    }
    const validators = new Map<string, ValidateFunction>()
    for (const [name, key] of keys) {
      try {
        const validate = ajv.getSchema(key)
        if (!validate) throw new Error(`schema ${key} not found after loading`)
        validators.set(name, validate)
      } catch (error) {
        throw new HarnessError('E_CONFIG', `schema "${name}": ${(error as Error).message}`, {
          cause: error,
        })
      }
    }
    return new SchemaRegistry(validators)
  }

  has(name: string): boolean {
    return this.#validators.has(name)
  }

  names(): string[] {
    return [...this.#validators.keys()].sort()
  }

  /** Every error of `value` against schema `name`, each with its JSON Pointer. */
  validate(name: string, value: unknown): Mismatch[] {
    const validate = this.#validators.get(name)
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
