/**
 * One dataset size in a fresh process: `node dist/scale-worker.js <tasks>`. Times the
 * generation, samples RSS, then runs every query in process via `app.fetch` and prints one
 * JSON line with median / p99 per query.
 */
import { ENDPOINT_PATH, signedHeaders } from './fixtures.js'
import { createInProcessMock } from './mock-app.js'
import { median, percentile } from './stats.js'

export interface QueryTiming {
  name: string
  body: string
  iterations: number
  medianMs: number
  p99Ms: number
  total: number
  records: number
}

export interface ScaleResult {
  tasks: number
  baseRss: number
  genMs: number
  firstQueryMs: number
  rssAfter: number
  heapAfter: number
  queries: QueryTiming[]
}

const headers = signedHeaders()

export const SCALE_QUERIES = (lastPage: number): { name: string; body: unknown }[] => [
  { name: 'no filter, first page', body: { current: 1, size: 15, params: {} } },
  { name: 'no filter, last page', body: { current: lastPage, size: 15, params: {} } },
  { name: 'taskStatus [12]', body: { current: 1, size: 15, params: { taskStatus: [12] } } },
  {
    name: 'date range 2025-01-10..2025-02-10',
    body: { current: 1, size: 15, params: { startTime: '2025-01-10', endTime: '2025-02-10' } },
  },
  {
    name: 'all filters (no taskId)',
    body: {
      current: 1,
      size: 15,
      params: {
        startTime: '2025-01-10',
        endTime: '2025-02-10',
        taskStatus: [11, 12, 15],
        taskType: 1,
        finishFlag: 0,
        voiceGroupIds: [1000006, 1000002, 1000004],
      },
    },
  },
]

async function call(app: { fetch: (r: Request) => Response | Promise<Response> }, body: string) {
  const res = await app.fetch(
    new Request(`http://127.0.0.1${ENDPOINT_PATH}`, { method: 'POST', headers, body }),
  )
  return res.text()
}

async function main(): Promise<void> {
  const tasks = Number(process.argv[2])
  const maxIterations = Number(process.argv[3] ?? 2000)
  const budgetMs = Number(process.argv[4] ?? 2500)
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const baseRss = process.memoryUsage().rss
  const t0 = performance.now()
  const app = await createInProcessMock({ tasks })
  const genMs = performance.now() - t0
  const t1 = performance.now()
  const first = JSON.parse(await call(app, JSON.stringify({ current: 1, size: 15, params: {} }))) as {
    status: number
    data: { pages: number }
  }
  const firstQueryMs = performance.now() - t1
  if (first.status !== 0) throw new Error(`first query failed: ${JSON.stringify(first).slice(0, 300)}`)
  gc?.()
  const mem = process.memoryUsage()
  const queries: QueryTiming[] = []
  for (const q of SCALE_QUERIES(Math.max(1, first.data.pages))) {
    const body = JSON.stringify(q.body)
    const check = JSON.parse(await call(app, body)) as {
      status: number
      data: { total: number; records: unknown[] }
    }
    if (check.status !== 0)
      throw new Error(`${q.name}: status ${check.status} ${JSON.stringify(check).slice(0, 300)}`)
    for (let i = 0; i < 50; i++) await call(app, body) // warm-up
    const times: number[] = []
    const started = performance.now()
    while (times.length < maxIterations && (times.length < 50 || performance.now() - started < budgetMs)) {
      const s = performance.now()
      await call(app, body)
      times.push(performance.now() - s)
    }
    queries.push({
      name: q.name,
      body,
      iterations: times.length,
      medianMs: median(times),
      p99Ms: percentile(times, 99),
      total: check.data.total,
      records: check.data.records.length,
    })
  }
  const result: ScaleResult = {
    tasks,
    baseRss,
    genMs,
    firstQueryMs,
    rssAfter: mem.rss,
    heapAfter: mem.heapUsed,
    queries,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
