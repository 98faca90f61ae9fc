import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { packagePath } from '../../../harness/package-root.ts'
import { parseYaml } from '../../../harness/yaml/parse.ts'
import { cachedParse } from '../../../harness/yaml/parse-cache.ts'

type DistParse = { cachedParse: typeof cachedParse }

describe('the build cache of the package YAML', () => {
  it('is not used from the sources: no build cache sits next to them', () => {
    const text = readFileSync(packagePath('suites', 'requirements.yaml'), 'utf8')
    expect(cachedParse(text, 'requirements.yaml', false)).toBeUndefined()
  })

  it('answers the built run with the value and positions the live parse gives', async () => {
    const built = packagePath('dist', 'harness', 'yaml', 'parse-cache.js')
    expect(existsSync(built), 'run `npm run build` first').toBe(true)
    const dist = (await import(built)) as DistParse
    const name = 'suites/code-flow/token-response.yaml'
    const text = readFileSync(packagePath(name), 'utf8')
    const cached = dist.cachedParse(text, name, true)
    const live = parseYaml(text, name, { code: 'E_SCENARIO', merge: true })
    if (Array.isArray(live)) throw new Error(live[0]?.message)
    expect(cached?.value).toEqual(live.value)
    for (const path of [['id'], ['steps', 0], ['steps', 1, 'authorize'], ['nothing', 'here']]) {
      expect(cached?.locate(path)).toEqual(live.locate(path))
    }
    // A changed text is parsed again.
    expect(dist.cachedParse(`${text}\n# edited\n`, name, true)).toBeUndefined()
  })
})
