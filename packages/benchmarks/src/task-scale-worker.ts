/**
 * One task-scale case in a fresh process:
 * `node --expose-gc dist/task-scale-worker.js <generated> <runtime> <real|unix-s> [iterations] [budgetMs] [connections]`.
 *
 * This process is the mock as its CLI runs it (`serveMock`: @hono/node-server on a free port,
 * `<generated>` generated tasks). Another process (task-scale-load) sends the load over HTTP:
 * a first query, one number-file upload, then `<runtime>` submitTask calls over `[connections]`
 * keep-alive connections (alternating type 0 and type 1 over a few groups). RSS is sampled here
 * after each step and gc(), at once; the figure after the submits is the target's. The load
 * comes from another process because in process (`app.fetch(new Request(…))`, as this benchmark
 * first did) the harness's own undici Request/Response objects and their streams filled the same
 * heap: 223 MiB there against 145 MiB over HTTP with the same mock build (measured once each,
 * 2026-12-02).
 *
 * Then, in process (`app.fetch`, as the scale benchmark), the scale queries plus two status
 * queries that select the runtime tasks: `taskStatus [16]` while they are submitting, and
 * `taskStatus [12]` after `PUT /__admin/clock` moved the clock 3 days so they all completed.
 * Prints one JSON line.
 *
 * The clock is the real one (`real`: the runtime tasks are newer than every generated one) or
 * frozen at a Unix time (e.g. inside the generated span, so they sort among the generated ones).
 * Every new task stays 16 for `taskStartSeconds` 86,400 (the option's maximum), so no task
 * changes state while the first queries are timed, whatever the clock; the timestamp window is
 * wide so one precomputed Sign stays valid across the clock move. Only public endpoints are used.
 */
import { type GroupTarget, STATUS_12_AFTER, STATUS_16 } from './agent-tasks.js'
import { signedHeaders } from './fixtures.js'
import { type FetchApp, serveInProcessMock } from './mock-app.js'
import { distScript } from './paths.js'
import { runNode } from './processes.js'
import { callQuery, type QueryTiming, SCALE_QUERIES, timeQuery } from './scale-queries.js'

export interface MemoryStep {
  step: string
  rss: number
  heapUsed: number
  heapTotal: number
  /** ArrayBuffer memory (typed-array columns live here, outside the JS heap). */
  arrayBuffers: number
}

export interface TaskScaleResult {
  generated: number
  runtime: number
  clock: string
  baseRss: number
  /** Memory after each setup step, after gc(): the app (+ a first query), the upload, the submits. */
  memory: MemoryStep[]
  createAppMs: number
  uploadMs: number
  submitMs: number
  /** Tasks preview/query counts after setup (generated + runtime). */
  totalAfterSetup: number
  /**
   * RSS right after the whole setup and gc(), as the scale benchmark samples (the target's
   * figure): it still holds the heap the 100k requests grew.
   */
  rssAfter: number
  /**
   * RSS once the heap has settled after the setup (shown beside the target, not instead of it):
   * gc() each second until V8's memory reducer has given back what the requests grew (heapTotal
   * within 16 MiB of heapUsed), at most 20 s.
   */
  rssSettled: number
  /** Seconds the settling took. */
  settleSeconds: number
  /** The first query after the 3-day clock move (it advances every runtime task). */
  firstAfterMoveMs: number
  queries: QueryTiming[]
}

/** How far the clock moves before the [12] query: a 100-number task needs 24 h 10 min at most. */
const MOVE_SECONDS = 3 * 86_400

const headers = signedHeaders()

async function admin(app: FetchApp, method: string, path: string, body: unknown): Promise<unknown> {
  const res = await app.fetch(
    new Request(`http://127.0.0.1/__admin${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  )
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} /__admin${path}: HTTP ${res.status} ${text.slice(0, 300)}`)
  return JSON.parse(text)
}

async function main(): Promise<void> {
  const generated = Number(process.argv[2])
  const runtime = Number(process.argv[3])
  const clock = process.argv[4] ?? 'real'
  const maxIterations = Number(process.argv[5] ?? 2000)
  const budgetMs = Number(process.argv[6] ?? 1000)
  const frozen = clock === 'real' ? undefined : Number(clock)
  if (frozen !== undefined && !Number.isSafeInteger(frozen)) throw new Error(`bad clock ${clock}`)
  const connections = Number(process.argv[7] ?? 8)
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const baseRss = process.memoryUsage().rss
  const t0 = performance.now()
  const mock = await serveInProcessMock({
    tasks: generated,
    now: frozen, // undefined: the real clock
    timestampWindow: 10 ** 9,
    taskStartSeconds: 86_400,
  })
  const createAppMs = performance.now() - t0
  const { app } = mock
  const load = async <T>(...args: string[]): Promise<T> => {
    const out = await runNode([distScript('task-scale-load'), mock.url, ...args], {
      timeoutMs: 300_000,
      cpus: process.env.BENCH_TASK_SCALE_LOAD_CPUS || undefined,
    })
    return JSON.parse(out.trim().split('\n').at(-1)!) as T
  }
  // Memory at each setup step (after gc()), to show where it goes: the generated tasks (after a
  // first query, as the scale benchmark samples), the upload (it loads the spreadsheet library
  // and the spec validator), the API tasks.
  const memory: MemoryStep[] = []
  const sample = (step: string) => {
    gc?.()
    const m = process.memoryUsage()
    memory.push({
      step,
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      arrayBuffers: m.arrayBuffers,
    })
  }
  await load('query')
  sample('serveMock + a query')

  // The upload runs in every case, the 1k baseline too, so the spreadsheet library and the
  // spec validator it loads are in both RSS figures and the difference is the tasks.
  const file = await load<{ filePath: string; groups: GroupTarget[]; uploadMs: number }>('upload')
  const uploadMs = file.uploadMs
  sample('+ upload')
  let submitMs = 0
  if (runtime > 0) {
    const r = await load<{ submitMs: number }>(
      'submit',
      String(runtime),
      String(connections),
      file.filePath,
      JSON.stringify(file.groups),
    )
    submitMs = r.submitMs
  }
  const { total } = await load<{ total: number }>('query')
  if (total !== generated + runtime)
    throw new Error(`preview/query counts ${total} tasks, expected ${generated} + ${runtime}`)
  sample(`+ ${runtime} submits`)
  const rssAfter = memory.at(-1)!.rss
  let settleSeconds = 0
  for (; settleSeconds < 20; settleSeconds++) {
    const m = process.memoryUsage()
    if (m.heapTotal - m.heapUsed < 16 * 1024 * 1024) break
    await new Promise((r) => setTimeout(r, 1000))
    gc?.()
  }
  sample('settled (idle, gc() each second)')

  const queries: QueryTiming[] = []
  for (const q of SCALE_QUERIES(Math.max(1, Math.ceil(total / 15)))) {
    queries.push(await timeQuery(app, headers, q, maxIterations, budgetMs))
  }
  const status = (s: number) => ({ current: 1, size: 15, params: { taskStatus: [s] } })
  queries.push(await timeQuery(app, headers, { name: STATUS_16, body: status(16) }, maxIterations, budgetMs))

  await admin(
    app,
    'PUT',
    '/clock',
    frozen === undefined ? { shift: MOVE_SECONDS } : { now: frozen + MOVE_SECONDS },
  )
  const t2 = performance.now()
  await callQuery(app, headers, JSON.stringify(status(12)))
  const firstAfterMoveMs = performance.now() - t2
  queries.push(
    await timeQuery(app, headers, { name: STATUS_12_AFTER, body: status(12) }, maxIterations, budgetMs),
  )

  const result: TaskScaleResult = {
    generated,
    runtime,
    clock,
    baseRss,
    memory,
    createAppMs,
    uploadMs,
    submitMs,
    totalAfterSetup: total,
    rssAfter,
    rssSettled: memory.at(-1)!.rss,
    settleSeconds,
    firstAfterMoveMs,
    queries,
  }
  await mock.close()
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
