import { describe, expect, it } from 'vitest'
import { listFixtures } from '../../../harness/commands/fixtures.ts'
import { FIXTURE_NAMES } from '../../../harness/actions/fixtures/names.ts'
import { FIXTURE_MODULES } from '../../../harness/actions/fixtures/registry.ts'
import { runCli } from '../../e2e/helpers/streams.ts'

describe('dcr-conformance fixtures', () => {
  it("lists every package fixture with its description and the inputs it declares", async () => {
    const listed = await listFixtures([])
    expect(listed.map((fixture) => fixture.name)).toEqual([...FIXTURE_NAMES].sort())
    for (const name of FIXTURE_NAMES) {
      // Every fixture says what it reads, even when that is nothing.
      expect((await FIXTURE_MODULES[name]()).fixture?.inputs, name).toBeDefined()
    }
    const clock = listed.find((fixture) => fixture.name === 'clock')
    expect(clock).toEqual({
      name: 'clock',
      description: expect.stringContaining('epoch seconds'),
      inputs: { skew: 'seconds the window widens on each side (default 300)' },
      source: 'package',
    })
  })

  it('prints one block per fixture, its inputs as with.NAME lines', async () => {
    const result = await runCli(['fixtures'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^decode-jwt\n {2}Decode a compact JWT.*\n {2}with\.jwt: a compact JWT$/m)
    expect(result.stdout).toMatch(/^well-known-urls\n.*\n {2}with: nothing$/m)
    const bad = await runCli(['fixtures', '--format', 'xml'])
    expect(bad.code).toBe(2)
  })
})
