import { describe, expect, it } from 'vitest'
import { contenders } from '../src/throughput.js'

const names = (env: NodeJS.ProcessEnv, bun = true) => contenders(env, bun).map((c) => c.name)

describe('throughput contenders', () => {
  it('adds mock on Bun only when bun runs, then the baseline and the candidate builds', () => {
    expect(names({}, false)).not.toContain('mock on Bun')
    const all = names({ BENCH_BASELINE_CLI: '/tmp/a/cli.js', BENCH_CANDIDATE_CLI: '/tmp/b/cli.js' })
    expect(all.slice(0, 2)).toEqual(['mock', 'mock (access log on)'])
    expect(all.slice(-3)).toEqual(['mock on Bun', 'mock baseline', 'mock candidate'])
  })

  it('names the baseline build in its description', () => {
    const list = contenders({ BENCH_BASELINE_CLI: '/tmp/a/cli.js', BENCH_BASELINE_NAME: 'd009bce' }, false)
    expect(list.at(-1)?.how).toContain('/tmp/a/cli.js` (d009bce)')
  })

  it('keeps only BENCH_CONTENDERS, in the fixed order, and refuses an unknown name', () => {
    const env = { BENCH_BASELINE_CLI: '/tmp/a/cli.js', BENCH_CONTENDERS: 'mock baseline, mock ,mock on Bun' }
    expect(names(env)).toEqual(['mock', 'mock on Bun', 'mock baseline'])
    expect(() => names({ BENCH_CONTENDERS: 'mock,prism' })).toThrow(/unknown prism; known: mock,/)
    expect(() => names({ BENCH_CONTENDERS: 'mock baseline' })).toThrow(/unknown mock baseline/)
  })
})
