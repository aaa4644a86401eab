import { describe, expect, it } from 'vitest'
import { generateDataset, prng, type TaskStore } from '../src/dataset.js'
import { scanFilter, type TaskFilter, TaskIndex } from '../src/task-index.js'
import { parseWallClock } from '../src/time.js'
import { validator } from './helpers.js'

const records = (store: TaskStore) => Array.from({ length: store.size }, (_, p) => store.record(p, 480))

describe('generated dataset', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = records(generateDataset({ tasks: 500, seed: 1 }))
    expect(records(generateDataset({ tasks: 500, seed: 1 }))).toEqual(a)
    expect(records(generateDataset({ tasks: 500, seed: 2 }))).not.toEqual(a)
  })

  const store = generateDataset({ tasks: 5000, seed: 3 })
  const all = records(store)

  it('holds valid, internally consistent 25-field records', () => {
    const ids = new Set<number>()
    let inSeedRange = 0
    const nulls = { remark: 0, ccode: 0, codeName: 0, callingNumber: 0, displayNum: 0, callFinishCount: 0 }
    for (const r of all) {
      expect(validator.errors('TaskRecord', r)).toEqual([])
      expect(Object.keys(r)).toHaveLength(25)
      expect(ids.has(r.taskId)).toBe(false)
      ids.add(r.taskId)
      expect(r.finishFlag).toBe(r.taskStatus === 12 ? 1 : 0)
      const finished = r.totalCount - r.remainCount
      expect(finished).toBeGreaterThanOrEqual(0)
      if (r.taskStatus === 12) expect(r.remainCount).toBe(0)
      if (r.callFinishCount !== null) expect(r.callFinishCount).toBe(finished)
      expect(r.completedRate).toBe(Math.round((finished / r.totalCount) * 10000) / 100)
      expect(Number(r.numberTotalCount)).toBe(r.totalCount + Number(r.numberSameCount))
      expect(r.transfersNum + r.callFailuresNum).toBeLessThanOrEqual(finished)
      expect(r.ccode === null).toBe(r.codeName === null)
      if (r.createTime >= '2025-01-10' && r.createTime <= '2025-02-10 23:59:59') inSeedRange++
      for (const k of Object.keys(nulls) as (keyof typeof nulls)[]) if (r[k] === null) nulls[k]++
    }
    expect(inSeedRange / all.length).toBeGreaterThan(0.3)
    for (const count of Object.values(nulls)) expect(count).toBeGreaterThan(0)
    expect(all.some((r) => r.taskId === 5000525)).toBe(true)
  })

  it('is stored newest first, ties by taskId descending', () => {
    for (let p = 1; p < store.size; p++) {
      const a = store.createTime[p - 1]!
      const b = store.createTime[p]!
      expect(a > b || (a === b && store.taskId[p - 1]! > store.taskId[p]!)).toBe(true)
    }
  })
})

describe('TaskIndex equals a brute-force scan', () => {
  const store = generateDataset({ tasks: 20_000, seed: 11 })
  const index = new TaskIndex(store)
  const rand = prng(12345)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
  const day = (t: number) => t - (t % 86400)

  const randomFilter = (): TaskFilter => {
    const f: TaskFilter = { groupMatch: rand() < 0.8 ? 'any' : 'all' }
    if (rand() < 0.5) {
      const a = store.createTime[Math.floor(rand() * store.size)]!
      const b = store.createTime[Math.floor(rand() * store.size)]!
      f.lower = Math.min(a, b) - (rand() < 0.5 ? 0 : 3600)
      f.upper = Math.max(a, b)
    } else if (rand() < 0.3) f.lower = day(store.createTime[Math.floor(rand() * store.size)]!)
    if (rand() < 0.1) f.taskId = store.taskId[Math.floor(rand() * store.size)]!
    if (rand() < 0.5)
      f.taskStatus = [
        ...new Set(
          Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick([1, 2, 11, 12, 13, 14, 15, 16])),
        ),
      ]
    if (rand() < 0.3) f.taskType = pick([0, 1])
    if (rand() < 0.3) f.finishFlag = pick([0, 1])
    if (rand() < 0.5)
      f.voiceGroupIds = Array.from(
        { length: 1 + Math.floor(rand() * 3) },
        () => 1000001 + Math.floor(rand() * 13),
      )
    return f
  }

  it('for 300 random filter combinations, at random pages, both orders', () => {
    for (let i = 0; i < 300; i++) {
      const f = randomFilter()
      const expected = scanFilter(store, f)
      const size = pick([1, 7, 15, 100])
      const pages = Math.max(1, Math.ceil(expected.length / size))
      const current = 1 + Math.floor(rand() * (pages + 1))
      const offset = (current - 1) * size
      const sel = index.select(f, offset, size)
      expect(sel.total, JSON.stringify(f)).toBe(expected.length)
      expect(sel.positions).toEqual(expected.slice(offset, offset + size))
      const old = index.select(f, offset, size, 'oldest')
      expect(old.positions).toEqual([...expected].reverse().slice(offset, offset + size))
    }
  })

  it('date bounds are inclusive to the second', () => {
    const t = store.createTime[100]!
    const sel = index.select({ lower: t, upper: t }, 0, 100)
    expect(sel.total).toBe(scanFilter(store, { lower: t, upper: t }).length)
    expect(sel.total).toBeGreaterThan(0)
    expect(parseWallClock('2025-01-10', 480)?.dateOnly).toBe(true)
  })
})
