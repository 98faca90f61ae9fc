import { afterEach, describe, expect, it } from 'vitest'
import { envNumber, ms, pairedRatios, spread, table, x } from '../../bench/stats.ts'

describe('spread', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(spread([30, 10, 20])).toEqual({ min: 10, median: 20, runs: [30, 10, 20] })
    expect(spread([4, 1, 3, 2])).toMatchObject({ min: 1, median: 2.5 })
  })

  it('has no min or median without runs', () => {
    const empty = spread([])
    expect(empty.min).toBeNaN()
    expect(empty.median).toBeNaN()
  })
})

describe('pairedRatios', () => {
  it('divides run i of a by run i of b, so one slow moment hits both sides of its pair', () => {
    // The medians of each side would give 300 / 100 = 3; the pairs say 1.5, 2 and 3.
    expect(pairedRatios([150, 400, 300], [100, 200, 100])).toMatchObject({ min: 1.5, median: 2 })
    expect(pairedRatios([300, 200], [200, 50]).runs).toEqual([1.5, 4])
  })
})

describe('table', () => {
  it('pads the first column to the right and the others to the left, under a rule line', () => {
    const text = table([
      ['name', 'a'],
      ['longer name', '1.25x'],
    ])
    expect(text.split('\n')).toEqual(['name             a', '-----------  -----', 'longer name  1.25x'])
  })

  it('formats milliseconds and ratios', () => {
    expect(ms(742.4)).toBe('742 ms')
    expect(x(1.7049)).toBe('1.70x')
  })
})

describe('envNumber', () => {
  const name = 'DCRC_STATS_TEST_NUMBER'
  afterEach(() => {
    delete process.env[name]
  })

  it('reads a positive number and falls back for anything else', () => {
    expect(envNumber(name, 3)).toBe(3)
    process.env[name] = '7'
    expect(envNumber(name, 3)).toBe(7)
    for (const bad of ['0', '-2', 'many', '']) {
      process.env[name] = bad
      expect(envNumber(name, 3), bad).toBe(3)
    }
  })
})
