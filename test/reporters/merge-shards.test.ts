import { describe, expect, it } from 'vitest'
import type { Report } from '../../harness/model/report.ts'
import { checkMergeable } from '../../reporters/merge-shards.ts'
import { sampleReport } from './sample-report.ts'

const shard = (index: number, total = 2, plan = 'p1'): Report => ({
  ...sampleReport(),
  shard: { index, total, plan },
})

describe('checkMergeable', () => {
  it('accepts every shard of one plan once, in any order', () => {
    expect(() => checkMergeable([shard(2), shard(1)])).not.toThrow()
  })

  it('names the missing shard, a shard given twice, mixed plans and mixed kinds of report', () => {
    expect(() => checkMergeable([shard(1, 3), shard(3, 3)])).toThrow('shard 2/3 is missing')
    expect(() => checkMergeable([shard(1), shard(1)])).toThrow('shard 1/2 is given twice')
    expect(() => checkMergeable([shard(1), shard(2, 2, 'p2')])).toThrow('shards of different plans')
    expect(() => checkMergeable([shard(1), sampleReport()])).toThrow('some reports are shards')
  })

  it('identifies the built-in reference target by name only (its port changes every run)', () => {
    const at = (name: string, issuer: string): Report => ({ ...sampleReport(), target: { name, issuer } })
    expect(() => checkMergeable([at('reference', 'https://127.0.0.1:1/x'), at('reference', 'https://127.0.0.1:2/x')])).not.toThrow()
    expect(() => checkMergeable([at('acme', 'https://a.test'), at('acme', 'https://b.test')])).toThrow('different targets')
  })
})
