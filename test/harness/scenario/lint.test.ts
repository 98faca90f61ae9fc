import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { lintScenarios, type LintVocabulary } from '../../../harness/scenario/lint.ts'
import { loadScenarioFiles } from '../../../harness/scenario/load.ts'
import { loadVocabulary } from '../../../harness/scenario/vocabulary.ts'

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url))
let vocab: LintVocabulary

beforeAll(async () => {
  vocab = { ...(await loadVocabulary(`${fixtures}/vocab`)), faults: new Set(['iat-reusable']) }
})

async function lint(pattern: string, vocabulary = vocab): Promise<string[]> {
  const scenarios = await loadScenarioFiles([pattern], { cwd: fixtures })
  return lintScenarios(scenarios, vocabulary).map((error) => {
    expect(error.code).toBe('E_SCENARIO')
    return error.message
  })
}

describe('lintScenarios', () => {
  it('finds nothing wrong in well-formed scenarios', async () => {
    expect(await lint('vocab/suites')).toEqual([])
  })

  it('accepts Sets as well as the Maps loadVocabulary returns', async () => {
    const sets: LintVocabulary = {
      requirements: new Set(['CUR-IAT-3', 'R6750-3.1-a', 'R7591-3.2.1-a', 'R7591-3.2.1-b']),
      capabilities: new Set(['iat_required', 'iat_one_time']),
      fixtures: new Set(['verify-id-token']),
    }
    expect(await lint('vocab/suites', sets)).toEqual([])
  })

  it('reports references to later, unknown and own steps, malformed templates and unknown roots', async () => {
    const file = 'bad/lint/suites/lint/later-step.yaml'
    expect(await lint(file)).toEqual([
      `${file}:7:14: \${{ steps.second.access_token }} refers to step "second", which runs later (only an earlier step may be read)`,
      `${file}:11:16: \${{ steps.nope.status }} refers to unknown step "nope"`,
      `${file}:14:18: \${{ steps.self.url }} reads step "self" in its own input; only its expect may read its result`,
      `${file}:14:49: unclosed \${{ in "\${{ steps.first.status" (write $\${{ for a literal \${{)`,
      `${file}:14:89: incomplete reference \${{ steps }}: name a member of steps`,
      `${file}:14:89: unknown reference \${{ env.HOME }}: it must start with steps, run, target or scenario`,
      `${file}:17:18: \${{ steps.later.url }} refers to step "later", which runs later (only a main step or an earlier cleanup step may be read)`,
      `${file}:19:18: unknown reference \${{ run.callbackurl }}: run has callback_url, unique, id, seed (did you mean "callback_url"?)`,
    ])
  })

  it('reports an unknown capability', async () => {
    expect(await lint('bad/lint/suites/lint/unknown-capability.yaml')).toEqual([
      'bad/lint/suites/lint/unknown-capability.yaml:4:26: unknown capability "iat_one_tme" (did you mean "iat_one_time"?)',
    ])
  })

  it('reports unknown and untested requirement IDs, and step requirements outside the scenario list', async () => {
    const file = 'bad/lint/suites/lint/unknown-requirement.yaml'
    expect(await lint(file)).toEqual([
      `${file}:3:27: requirement "R7591-5-a" is listed as untested in suites/requirements.yaml`,
      `${file}:3:38: unknown requirement "CUR-IAT-33" (did you mean "CUR-IAT-3"?)`,
      `${file}:7:18: requirement "R6750-3.1-a" of step "first" is not in the scenario's requirements (CUR-IAT-3, R7591-5-a, CUR-IAT-33)`,
      `${file}:10:22: unknown requirement "NOPE-1"`,
    ])
  })

  it('reports duplicate step ids across steps and cleanup', async () => {
    const file = 'bad/lint/suites/lint/duplicate-step.yaml'
    expect(await lint(file)).toEqual([
      `${file}:7:9: duplicate step id "reg" (first at line 5)`,
      `${file}:10:9: duplicate step id "reg" (first at line 5)`,
    ])
  })

  it('reports an id that does not match the path under the suites folder', async () => {
    expect(await lint('bad/lint/suites/lint/id-mismatch.yaml')).toEqual([
      'bad/lint/suites/lint/id-mismatch.yaml:1:5: id "lint/id-mismatched" does not match the file\'s path: expected "lint/id-mismatch"',
    ])
  })

  it('reports duplicate scenario ids naming both places', async () => {
    expect(await lint('bad/duplicate')).toEqual([
      'bad/duplicate/suites/dup/a.yml:1:5: duplicate scenario id "dup/a" (also in bad/duplicate/suites/dup/a.yaml:1:5)',
    ])
  })

  it('reports unknown faults, fixtures, schemas and broken matchers', async () => {
    const file = 'bad/lint/suites/lint/matchers.yaml'
    expect(await lint(file)).toEqual([
      `${file}:4:10: unknown fault "no-such-fault"`,
      `${file}:7:21: unknown fixture "verify-id-tokn" (did you mean "verify-id-token"?)`,
      `${file}:9:26: $type "int" is not one of string, number, integer, boolean, object, array, null`,
      `${file}:10:17: unknown schema "registration-respons" (did you mean "registration-response"?)`,
      `${file}:11:28: matcher object mixes $-matchers with plain members (extra); use $allOf or nest the members`,
      `${file}:11:74: unknown matcher $regex (known: $type, $match, $in, $not, $absent, $present, $eq, $gte, $lte, $gt, $lt, $length, $contains, $tokensIn, $count, $each, $anyOf, $allOf, $refusal)`,
      `${file}:12:40: $match: Invalid regular expression: /(/: Unterminated group`,
    ])
  })

  it('checks faults and schemas only when the vocabulary has them', async () => {
    const { faults, schemas, ...rest } = vocab
    expect(faults && schemas).toBeTruthy()
    const messages = await lint('bad/lint/suites/lint/matchers.yaml', rest)
    expect(messages.some((message) => message.includes('fault'))).toBe(false)
    expect(messages.some((message) => message.includes('schema'))).toBe(false)
    expect(messages).toHaveLength(5)
  })
})
