/**
 * Validates a parsed config file against a JSON Schema (ajv) and turns every error into a
 * `FileError` at the offending node, with "did you mean" for a mistyped key or value.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { didYouMean } from '../did-you-mean.ts'
import { FileError } from '../errors.ts'
import { pointerToPath, type ConfigYaml } from './yaml-file.ts'

// verbose: errors carry their schema, whose property names and values feed "did you mean".
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true })
const compiled = new WeakMap<object, ValidateFunction>()

export function validateWithSchema(schema: object, yaml: ConfigYaml): FileError[] {
  let validate = compiled.get(schema)
  if (!validate) {
    validate = ajv.compile(schema)
    compiled.set(schema, validate)
  }
  if (validate(yaml.value)) return []
  const seen = new Set<string>()
  const errors: FileError[] = []
  for (const error of validate.errors ?? []) {
    if (error.keyword === 'if' || error.keyword === 'allOf') continue
    const path = pointerToPath(error.instancePath)
    const extra = error.params as { additionalProperty?: string; propertyName?: string }
    if (extra.additionalProperty) path.push(extra.additionalProperty)
    const reason = describe(error)
    const key = `${error.instancePath}|${reason}`
    if (seen.has(key)) continue
    seen.add(key)
    errors.push(new FileError('E_CONFIG', yaml.locate(path), reason))
  }
  return errors
}

function describe(error: ErrorObject): string {
  const where = error.instancePath ? `${error.instancePath.slice(1).replace(/\//g, '.')}` : 'file'
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params['additionalProperty'])
      return `${where}: unknown key '${name}'${didYouMean(name, knownKeys(error))}`
    }
    case 'required':
      return `${where}: missing required key '${String(params['missingProperty'])}'`
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String)
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : ''
      return `${where}: must be one of ${allowed.join(', ')}${hint}`
    }
    case 'propertyNames':
      return `${where}: invalid name '${String(params['propertyName'])}'`
    default:
      return `${where}: ${error.message ?? 'invalid'}`
  }
}

/** The property names the schema at an `additionalProperties` error allows. */
function knownKeys(error: ErrorObject): string[] {
  const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined
  return Object.keys(parent?.properties ?? {})
}
