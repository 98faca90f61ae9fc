/**
 * Shards that cannot lose work: the shards of a run on the built-in target merge into one
 * report (its random port is not part of its identity), and a merge missing a shard is refused.
 */
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import { runCli } from './helpers/streams.ts'

const suite = join(repoRoot(), 'suites', 'errors')

describe('sharded runs and merge', () => {
  it('merges 1/2 and 2/2 of the default target, and refuses 1/2 alone naming 2/2', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-shards-'))
    for (const index of [1, 2]) {
      const run = await runCli([
        '--shard', `${index}/2`, '--suite', suite, '--login-driver', 'http',
        '--reporter', `json=${join(dir, `shard-${index}.json`)}`,
      ])
      expect(run.code, run.stderr).toBe(0)
    }
    const shard = JSON.parse(await readFile(join(dir, 'shard-1.json'), 'utf8')) as { shard?: unknown }
    expect(shard.shard).toMatchObject({ index: 1, total: 2, plan: expect.any(String) })
    const merged = await runCli(['merge', join(dir, 'shard-1.json'), join(dir, 'shard-2.json'), '--reporter', `json=${join(dir, 'all.json')}`])
    expect(merged.code, merged.stderr).toBe(0)
    const all = JSON.parse(await readFile(join(dir, 'all.json'), 'utf8')) as { counts: { total: number } }
    expect(all.counts.total).toBe(5)
    const alone = await runCli(['merge', join(dir, 'shard-1.json')])
    expect(alone.code).toBe(2)
    expect(alone.stderr).toMatch(/shard 2\/2 is missing/)
  })
})
