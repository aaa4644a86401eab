import { describe, expect, it } from 'vitest'
import { FILE_NAME, STATUS_12_AFTER, STATUS_16, submitBody } from '../src/agent-tasks.js'
import { distScript } from '../src/paths.js'
import { runNode } from '../src/processes.js'
import type { TaskScaleResult } from '../src/task-scale-worker.js'

describe('submitBody', () => {
  it('type 0 sends only the three required fields', () => {
    expect(JSON.parse(submitBody('/mnt/x.xls', 0))).toEqual({
      filePath: '/mnt/x.xls',
      fileName: FILE_NAME,
      type: 0,
    })
  })
  it('type 1 sends exactly one group, its application and a calloutRate', () => {
    const body = JSON.parse(submitBody('/mnt/x.xls', 1, { voiceGroupId: 1000006, appId: '1000012' }))
    expect(body).toEqual({
      filePath: '/mnt/x.xls',
      fileName: FILE_NAME,
      type: 1,
      voiceGroupId: [1000006],
      appId: '1000012',
      calloutRate: 1,
    })
  })
  it('refuses a type-1 body without a group', () => {
    expect(() => submitBody('/mnt/x.xls', 1)).toThrow(/group/)
  })
})

describe('task-scale worker (small): the mock in its own process, the setup sent over HTTP', () => {
  it('creates every task through submitTask and samples memory after each step', async () => {
    const out = await runNode(
      ['--expose-gc', distScript('task-scale-worker'), '1000', '200', 'real', '1', '1', '4'],
      { timeoutMs: 60_000 },
    )
    const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as TaskScaleResult
    expect(r.totalAfterSetup).toBe(1200)
    expect(r.memory.map((m) => m.step)).toEqual([
      'serveMock + a query',
      '+ upload',
      '+ 200 submits',
      'settled (idle, gc() each second)',
    ])
    expect(r.rssAfter).toBe(r.memory[2]?.rss)
    expect(r.submitMs).toBeGreaterThan(0)
    const total = (name: string) => r.queries.find((q) => q.name === name)?.total ?? Number.NaN
    // After the 3-day clock move every API task has completed: [12] counts 200 more.
    expect(total(STATUS_12_AFTER) - total('taskStatus [12]')).toBe(200)
    expect(total(STATUS_16)).toBeGreaterThanOrEqual(200)
  }, 60_000)
})
