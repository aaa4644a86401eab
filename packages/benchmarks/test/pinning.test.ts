import { describe, expect, it } from 'vitest'
import { choosePinning, parseCpuList } from '../src/pinning.js'

describe('parseCpuList', () => {
  it('reads the kernel list format', () => {
    expect(parseCpuList('0-1\n')).toEqual([0, 1])
    expect(parseCpuList('2,3')).toEqual([2, 3])
    expect(parseCpuList('0-3,6,8-9')).toEqual([0, 1, 2, 3, 6, 8, 9])
    expect(parseCpuList('')).toEqual([])
  })
})

describe('choosePinning', () => {
  const yes = () => true
  it('gives servers the last allowed CPU and the harness the rest, whatever their ids', () => {
    expect(choosePinning([0, 1], {}, yes)).toEqual({ server: '1', harness: '0' })
    expect(choosePinning([0, 1, 2, 3, 4, 5, 6, 7], {}, yes)).toEqual({
      server: '7',
      harness: '0,1,2,3,4,5,6',
    })
    expect(choosePinning([2, 3], {}, yes)).toEqual({ server: '3', harness: '2' })
  })
  it('does not pin with one CPU, without taskset, or with BENCH_PIN=0', () => {
    expect(choosePinning([5], {}, yes)).toBeUndefined()
    expect(choosePinning([0, 1, 2, 3], {}, () => false)).toBeUndefined()
    expect(choosePinning([0, 1, 2, 3], { BENCH_PIN: '0' }, yes)).toBeUndefined()
    expect(choosePinning([0, 1, 2, 3], { BENCH_PIN: '1' }, yes)).toEqual({ server: '3', harness: '0,1,2' })
  })
})
