/**
 * One dataset size in a fresh process: `node dist/scale-worker.js <tasks>`. Times the
 * generation, samples RSS, then runs every query in process via `app.fetch` and prints one
 * JSON line with median / p99 per query.
 */
import { signedHeaders } from './fixtures.js'
import { createInProcessMock } from './mock-app.js'
import { callQuery, type QueryTiming, SCALE_QUERIES, timeQuery } from './scale-queries.js'

export type { QueryTiming }
export { SCALE_QUERIES }

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
  const first = JSON.parse(
    await callQuery(app, headers, JSON.stringify({ current: 1, size: 15, params: {} })),
  ) as {
    status: number
    data: { pages: number }
  }
  const firstQueryMs = performance.now() - t1
  if (first.status !== 0) throw new Error(`first query failed: ${JSON.stringify(first).slice(0, 300)}`)
  gc?.()
  const mem = process.memoryUsage()
  const queries: QueryTiming[] = []
  for (const q of SCALE_QUERIES(Math.max(1, first.data.pages))) {
    queries.push(await timeQuery(app, headers, q, maxIterations, budgetMs))
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
