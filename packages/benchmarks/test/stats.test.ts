import { describe, expect, it } from 'vitest'
import { alternate, mean, median, percentile, ratio, rotate, summarize } from '../src/stats.js'

describe('median', () => {
  it('takes the middle of an odd count and the mean of the two middles of an even count', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
  })
  it('does not reorder its input', () => {
    const xs = [3, 1, 2]
    median(xs)
    expect(xs).toEqual([3, 1, 2])
  })
  it('rejects an empty array', () => {
    expect(() => median([])).toThrow(RangeError)
  })
})

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i) // 100..1, unsorted
  it('uses nearest rank', () => {
    expect(percentile(hundred, 99)).toBe(99)
    expect(percentile(hundred, 50)).toBe(50)
    expect(percentile(hundred, 100)).toBe(100)
    expect(percentile(hundred, 0)).toBe(1)
    expect(percentile([5], 99)).toBe(5)
  })
  it('rejects bad input', () => {
    expect(() => percentile([], 50)).toThrow(RangeError)
    expect(() => percentile([1], 101)).toThrow(RangeError)
  })
})

describe('ratio, mean, summarize', () => {
  it('divides, and gives NaN for a zero or non-finite denominator', () => {
    expect(ratio(3, 2)).toBe(1.5)
    expect(ratio(1, 0)).toBeNaN()
    expect(ratio(Number.NaN, 1)).toBeNaN()
    expect(ratio(1, Number.POSITIVE_INFINITY)).toBeNaN()
  })
  it('summarises', () => {
    expect(mean([1, 2, 3, 6])).toBe(3)
    expect(summarize([4, 1, 3, 2])).toEqual({ n: 4, min: 1, median: 2.5, p99: 4, max: 4, mean: 2.5 })
  })
})

describe('alternate', () => {
  it('runs contenders in turn, round after round', async () => {
    const log: string[] = []
    const mk = (name: string) => async () => {
      log.push(name)
      return log.length
    }
    const out = await alternate([mk('A'), mk('B')], 3)
    expect(log.join('')).toBe('ABABAB')
    expect(out).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ])
  })
})

describe('rotate', () => {
  it('rotates the order every round and returns results in contender order', async () => {
    const log: string[] = []
    const mk = (name: string) => async () => {
      log.push(name)
      return log.length
    }
    const out = await rotate([mk('A'), mk('B'), mk('C')], 4)
    expect(log.join(' ')).toBe('A B C B C A C A B A B C')
    expect(out).toEqual([
      [1, 6, 8, 10],
      [2, 4, 9, 11],
      [3, 5, 7, 12],
    ])
  })
})
