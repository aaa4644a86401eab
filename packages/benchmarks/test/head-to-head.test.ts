import { describe, expect, it } from 'vitest'
import { entrants } from '../src/head-to-head.js'
import { cpuSeconds } from '../src/processes.js'

describe('head-to-head', () => {
  it('loads the mock with the baseline build and/or Bun, in that order', () => {
    expect(entrants({}, false).map((e) => e.name)).toEqual(['mock'])
    expect(entrants({ BENCH_BASELINE_CLI: '/tmp/a/cli.js' }, true).map((e) => e.name)).toEqual([
      'mock',
      'mock baseline',
      'mock on Bun',
    ])
    const env = { BENCH_BASELINE_CLI: '/tmp/a/cli.js', BENCH_CONTENDERS: 'mock, mock baseline' }
    expect(entrants(env, true).map((e) => e.name)).toEqual(['mock', 'mock baseline'])
  })

  it('reads CPU seconds from /proc/<pid>/stat, growing as this process works', () => {
    const before = cpuSeconds(process.pid)
    expect(before).toBeGreaterThan(0)
    // Spin until the next 10 ms tick is charged (bounded: a stuck reading fails, not hangs).
    const giveUp = performance.now() + 10_000
    let x = 0
    while (cpuSeconds(process.pid) === before && performance.now() < giveUp) {
      for (let i = 0; i < 1e5; i++) x += Math.sqrt(i)
    }
    expect(x).toBeGreaterThan(0)
    expect(cpuSeconds(process.pid)).toBeGreaterThan(before)
  })
})
