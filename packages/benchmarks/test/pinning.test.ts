import { describe, expect, it } from 'vitest'
import { choosePinning } from '../src/pinning.js'

describe('choosePinning', () => {
  const yes = () => true
  it('gives servers the last CPU and the harness the rest', () => {
    expect(choosePinning(2, {}, yes)).toEqual({ server: '1', harness: '0' })
    expect(choosePinning(8, {}, yes)).toEqual({ server: '7', harness: '0-6' })
  })
  it('does not pin with one CPU, without taskset, or with BENCH_PIN=0', () => {
    expect(choosePinning(1, {}, yes)).toBeUndefined()
    expect(choosePinning(4, {}, () => false)).toBeUndefined()
    expect(choosePinning(4, { BENCH_PIN: '0' }, yes)).toBeUndefined()
    expect(choosePinning(4, { BENCH_PIN: '1' }, yes)).toEqual({ server: '3', harness: '0-2' })
  })
})
