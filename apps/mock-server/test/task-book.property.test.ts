import { describe, expect, it } from 'vitest'
import { generateDataset, prng, type TaskRecord } from '../src/dataset.js'
import type { Outcome } from '../src/operations/operation.js'
import { cancelPreviewTask } from '../src/operations/preview-tasks/cancel.js'
import { editPreviewTask } from '../src/operations/preview-tasks/edit.js'
import { resendPreviewTask } from '../src/operations/preview-tasks/resend.js'
import { submitPreviewTask } from '../src/operations/preview-tasks/submit.js'
import { resolveOptions } from '../src/options.js'
import type { Account } from '../src/state/accounts.js'
import { generateWorld } from '../src/state/generate-world.js'
import { statusAt } from '../src/state/tasks/runtime-task.js'
import type { World } from '../src/state/world.js'
import type { TaskFilter } from '../src/task-index.js'

/**
 * Random sequences of submits, edits, cancels, resends and clock moves (forward, back, jumps
 * into the generated tasks' span so runtime and generated tasks interleave), each followed by
 * random preview/query selections compared with brute force over every task.
 */

const SPAN_START = Date.UTC(2024, 6, 1) / 1000
const SPAN_END = Date.UTC(2025, 5, 30) / 1000
const STATUSES = [1, 2, 11, 12, 13, 14, 15, 16]
const GROUPS = [1000001, 1000002, 1000004, 1000006, 1000007, 1000009, 1000012]

interface Row {
  time: number
  id: number
  status: number
  type: number
  finish: number
  groups: readonly number[]
  record: TaskRecord
}

/** Every task with its fields derived the slow way (runtime status from the clock, not the index). */
function everyTask(world: World, now: number): Row[] {
  const book = world.agentTasks
  const store = book.generated.store
  const rows: Row[] = []
  for (let p = 0; p < store.size; p++) {
    rows.push({
      time: store.createTime[p] as number,
      id: store.taskId[p] as number,
      status: book.generated.statusAt(p),
      type: store.taskType[p] as number,
      finish: book.generated.finishAt(p),
      groups: store.groupSets[store.groupSet[p] as number] ?? [],
      record: book.recordOf({ kind: 'generated', position: p }, now, 480),
    })
  }
  for (const t of book.runtime.all()) {
    const status = statusAt(t, now)
    rows.push({
      time: t.createTime,
      id: t.taskId,
      status,
      type: t.type,
      finish: status === 12 ? 1 : 0,
      groups: t.groups,
      record: book.recordOf({ kind: 'runtime', task: t }, now, 480),
    })
  }
  return rows
}

function bruteForce(rows: Row[], f: TaskFilter): Row[] {
  return rows
    .filter(
      (r) =>
        (f.lower === undefined || r.time >= f.lower) &&
        (f.upper === undefined || r.time <= f.upper) &&
        (f.taskId === undefined || r.id === f.taskId) &&
        (!f.taskStatus?.length || f.taskStatus.includes(r.status)) &&
        (f.taskType === undefined || r.type === f.taskType) &&
        (f.finishFlag === undefined || r.finish === f.finishFlag) &&
        (!f.voiceGroupIds?.length ||
          (f.groupMatch === 'all'
            ? f.voiceGroupIds.every((g) => r.groups.includes(g))
            : f.voiceGroupIds.some((g) => r.groups.includes(g)))),
    )
    .sort((a, b) => b.time - a.time || b.id - a.id)
}

function randomFilter(rand: () => number, rows: Row[]): TaskFilter {
  const pickRow = () => rows[Math.floor(rand() * rows.length)] as Row
  const f: TaskFilter = {}
  if (rand() < 0.5) {
    const a = pickRow().time
    const b = pickRow().time
    if (rand() < 0.8) f.lower = Math.min(a, b)
    if (rand() < 0.8) f.upper = Math.max(a, b)
  }
  if (rand() < 0.15) f.taskId = pickRow().id
  if (rand() < 0.5) f.taskStatus = STATUSES.filter(() => rand() < 0.35)
  if (rand() < 0.3) f.taskType = rand() < 0.5 ? 0 : 1
  if (rand() < 0.3) f.finishFlag = rand() < 0.5 ? 0 : 1
  if (rand() < 0.4) {
    f.voiceGroupIds = GROUPS.filter(() => rand() < 0.3)
    f.groupMatch = rand() < 0.3 ? 'all' : 'any'
  }
  return f
}

function run(seed: number, steps: number, prefill = 0) {
  const rand = prng(seed)
  const options = resolveOptions({
    taskStartSeconds: Math.floor(rand() * 120),
    autoDialRate: 1 + Math.floor(rand() * 30),
  })
  const world = generateWorld({ seed, tasks: generateDataset({ tasks: 300, seed }), seats: 40 })
  const ctx = (now: number) => ({ account: {} as Account, world, options, now })
  let now = SPAN_START + Math.floor(rand() * (SPAN_END - SPAN_START))
  let files = 0
  const ids = () => {
    const runtime = [...world.agentTasks.runtime.all()].map((t) => t.taskId)
    const store = world.agentTasks.generated.store
    return [...runtime, ...runtime, store.taskId[Math.floor(rand() * store.size)] as number]
  }
  const pickId = () => {
    const list = ids()
    return list[Math.floor(rand() * list.length)] as number
  }
  const outcomes: Outcome[] = []
  // Many tasks at scattered times: several index blocks, split in the middle.
  for (let i = 0; i < prefill; i++) {
    const filePath = `/mnt/cc\\upload\\execl\\p${i}.xls`
    world.addFile({
      filePath,
      fileName: 'p.xls',
      totalCount: 5,
      sameCount: 0,
      uniqueNumbers: '',
      uniqueCount: 5,
      uploadedAt: now,
    })
    const at = SPAN_START + Math.floor(rand() * (SPAN_END - SPAN_START))
    expect(submitPreviewTask.handle({ filePath, fileName: 'p.xls', type: 0 }, ctx(at)).status).toBe(0)
  }
  for (let step = 0; step < steps; step++) {
    const r = rand()
    if (r < 0.3) {
      const filePath = `/mnt/cc\\upload\\execl\\f${files++}.xls`
      const unique = 1 + Math.floor(rand() * 400)
      world.addFile({
        filePath,
        fileName: 'f.xls',
        totalCount: unique + 2,
        sameCount: 2,
        uniqueNumbers: '',
        uniqueCount: unique,
        uploadedAt: now,
      })
      const group = world.groups.get(GROUPS[Math.floor(rand() * GROUPS.length)] as number)
      const body =
        rand() < 0.5 && group
          ? {
              filePath,
              fileName: 'f.xls',
              type: 1 as const,
              voiceGroupId: [group.voiceGroupId],
              appId: group.appId,
              calloutRate: 1 + Math.floor(rand() * 3),
            }
          : { filePath, fileName: 'f.xls', type: 0 as const }
      outcomes.push(submitPreviewTask.handle(body, ctx(now)))
    } else if (r < 0.42) {
      outcomes.push(
        editPreviewTask.handle(
          { taskId: pickId(), calloutRate: 1 + Math.floor(rand() * 5), remark: `e${step}` },
          ctx(now),
        ),
      )
    } else if (r < 0.52) {
      outcomes.push(cancelPreviewTask.handle({ taskId: pickId() }, ctx(now)))
    } else if (r < 0.62) {
      outcomes.push(
        resendPreviewTask.handle(
          { taskId: pickId(), resendType: (1 + Math.floor(rand() * 3)) as 1 | 2 | 3, type: 0 },
          ctx(now),
        ),
      )
    } else if (r < 0.8) {
      now += Math.floor(rand() * 7200)
    } else if (r < 0.9) {
      now -= Math.floor(rand() * 3600)
    } else if (r < 0.95) {
      now = SPAN_START + Math.floor(rand() * (SPAN_END - SPAN_START))
    } else {
      // Exactly a generated task's second: runtime tasks must come first on equal times.
      const store = world.agentTasks.generated.store
      now = store.createTime[Math.floor(rand() * store.size)] as number
    }
    for (const o of outcomes) expect([0, -41, -42]).toContain(o.status)
    outcomes.length = 0
    const rows = everyTask(world, now)
    for (let q = 0; q < 3; q++) {
      const filter = randomFilter(rand, rows)
      const expected = bruteForce(rows, filter)
      const size = 1 + Math.floor(rand() * 30)
      const offset =
        rand() < 0.2
          ? expected.length + Math.floor(rand() * 5)
          : Math.floor(rand() * Math.max(1, expected.length))
      const order = rand() < 0.2 ? 'oldest' : 'newest'
      const sel = world.agentTasks.select(filter, offset, size, order, now, 480)
      const want =
        order === 'newest'
          ? expected.slice(offset, offset + size)
          : [...expected].reverse().slice(offset, offset + size)
      const label = `seed ${seed} step ${step} ${JSON.stringify(filter)} offset ${offset} size ${size} ${order}`
      expect(sel.total, label).toBe(expected.length)
      expect(
        sel.records.map((x) => x.taskId),
        label,
      ).toEqual(want.map((x) => x.id))
      expect(sel.records, label).toEqual(want.map((x) => x.record))
    }
  }
  return world
}

describe('preview/query over generated and API-created tasks (property)', () => {
  it('matches brute force after random submits, edits, cancels, resends and clock moves', () => {
    let created = 0
    for (let seed = 1; seed <= 40; seed++) created += run(seed, 40).agentTasks.runtimeCount
    // The sequences did create tasks (most runs made several).
    expect(created).toBeGreaterThan(200)
  })

  it('matches brute force with thousands of tasks created at scattered times', () => {
    expect(run(99, 12, 3000).agentTasks.runtimeCount).toBeGreaterThan(3000)
  })
})
