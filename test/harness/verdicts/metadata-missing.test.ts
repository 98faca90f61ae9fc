/**
 * A step naming a member the target's metadata lacks (harness/verdicts/metadata-missing.ts):
 * found from the template error for the member itself, never for other template errors.
 */
import { describe, expect, it } from 'vitest'
import { HarnessError } from '../../../harness/errors.ts'
import { renderTemplate } from '../../../harness/scenario/template.ts'
import {
  METADATA_MISSING_CHECK,
  metadataMissingChecks,
  missingMetadataMember,
} from '../../../harness/verdicts/metadata-missing.ts'
import { outcomeOfChecks } from '../../../harness/runner/step.ts'

const scope = {
  steps: { reg: { status: 201 } },
  target: { metadata: { issuer: 'https://as.test', jwks: { keys: [] } } },
}

/** The error renderTemplate throws for `template`. */
function errorOf(template: string): unknown {
  try {
    renderTemplate(template, scope)
  } catch (error) {
    return error
  }
  throw new Error(`${template} rendered`)
}

describe('missingMetadataMember', () => {
  it('names the member the metadata lacks', () => {
    expect(missingMetadataMember(errorOf('${{ target.metadata.jwks_uri }}'))).toBe('jwks_uri')
    const first = errorOf('${{ target.metadata.subject_types_supported[0] }}')
    expect(missingMetadataMember(first)).toBe('subject_types_supported')
  })

  it('is nothing for a miss elsewhere: inside a member present, in a step, another error', () => {
    expect(missingMetadataMember(errorOf('${{ target.metadata.jwks.kid }}'))).toBeUndefined()
    expect(missingMetadataMember(errorOf('${{ steps.reg.body.client_id }}'))).toBeUndefined()
    expect(missingMetadataMember(new HarnessError('E_HTTP', 'no "x" in target.metadata'))).toBe(
      undefined,
    )
  })

  it('makes a failing precondition: the step is inconclusive, naming the member', () => {
    const checks = metadataMissingChecks('jwks_uri')
    expect(checks.map((check) => [check.name, check.ok, check.requirement])).toEqual([
      [METADATA_MISSING_CHECK, false, undefined],
    ])
    expect(checks[0]?.message).toMatch(/^no jwks_uri in it: this step judges nothing/)
    expect(outcomeOfChecks(checks)).toBe('inconclusive')
  })
})
