/** YAML merge keys in scenario files (harness/scenario/load.ts parses with `merge: true`). */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFiles } from '../../../harness/scenario/load.ts'
import { tempFolderForFile } from '../../support/for-file.ts'

const dir = await tempFolderForFile('dcrc-merge-')

describe('scenario files with YAML merge keys', () => {
  it('merge the anchored map (own members win) and never keep a "<<" member', async () => {
    await writeFile(
      join(dir, 'm.yaml'),
      [
        'id: m',
        'title: merge keys',
        'requirements: [X-1]',
        'steps:',
        '  - id: a',
        '    register:',
        '      metadata: &base { client_name: base, scope: openid }',
        '  - id: b',
        '    register:',
        '      metadata:',
        '        <<: *base',
        '        client_name: merged',
        '',
      ].join('\n'),
    )
    const [loaded] = await loadScenarioFiles([dir], { cwd: dir, suitesRoot: dir })
    expect(loaded!.doc.steps[1]!.register!.metadata).toEqual({ client_name: 'merged', scope: 'openid' })
    expect(loaded!.locate(['steps', 1, 'register', 'metadata', 'client_name']).line).toBe(12)
  })
})
