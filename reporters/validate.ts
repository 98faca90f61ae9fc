/**
 * Validation of JSON reports against reporters/report.schema.json (used by `merge` and tests).
 */
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { ValidateFunction } from 'ajv'
import type { Report } from '../harness/model/report.ts'
import { packagePath } from '../harness/package-root.ts'

/** Absolute path of the report's JSON Schema (draft-07). */
export const reportSchemaPath = packagePath('reporters', 'report.schema.json')

let validator: ValidateFunction | undefined

function compile(): ValidateFunction {
  if (validator) return validator
  const ajv = new Ajv({ allErrors: true, strict: true })
  // ajv-formats is CommonJS: its default export is the plugin function.
  const addFormats = addFormatsModule as unknown as (instance: Ajv) => Ajv
  addFormats(ajv)
  validator = ajv.compile(JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as object)
  return validator
}

/** Schema errors of a would-be report, each `pointer: message`; empty when it is valid. */
export function validateReport(value: unknown): string[] {
  const validate = compile()
  if (validate(value)) return []
  return (validate.errors ?? []).map((error) => {
    const extra =
      'allowedValues' in error.params
        ? ` (${(error.params.allowedValues as unknown[]).join(', ')})`
        : 'additionalProperty' in error.params
          ? ` (${String(error.params.additionalProperty)})`
          : ''
    return `${error.instancePath || '/'}: ${error.message ?? 'invalid'}${extra}`
  })
}

/** Type guard over validateReport. */
export function isReport(value: unknown): value is Report {
  return validateReport(value).length === 0
}
