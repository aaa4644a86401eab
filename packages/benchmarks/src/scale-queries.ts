/**
 * The scale benchmarks' queries and their in-process timing loop, shared by scale-worker (1k → 1M
 * generated tasks) and task-scale-worker (1M generated + 100k created through the API), so both
 * measure the same requests the same way.
 */
import { ENDPOINT_PATH } from './fixtures.js'
import type { FetchApp } from './mock-app.js'
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

/** One preview/query through `app.fetch`, body read to the end (serialisation included). */
export async function callQuery(
  app: FetchApp,
  headers: Record<string, string>,
  body: string,
): Promise<string> {
  const res = await app.fetch(
    new Request(`http://127.0.0.1${ENDPOINT_PATH}`, { method: 'POST', headers, body }),
  )
  return res.text()
}

/**
 * Checks the query answers status 0, warms it up (50 calls), then times up to `maxIterations`
 * calls or `budgetMs`, whichever comes first (at least 50).
 */
export async function timeQuery(
  app: FetchApp,
  headers: Record<string, string>,
  q: { name: string; body: unknown },
  maxIterations: number,
  budgetMs: number,
): Promise<QueryTiming> {
  const body = JSON.stringify(q.body)
  const check = JSON.parse(await callQuery(app, headers, body)) as {
    status: number
    data: { total: number; records: unknown[] }
  }
  if (check.status !== 0)
    throw new Error(`${q.name}: status ${check.status} ${JSON.stringify(check).slice(0, 300)}`)
  for (let i = 0; i < 50; i++) await callQuery(app, headers, body) // warm-up
  const times: number[] = []
  const started = performance.now()
  while (times.length < maxIterations && (times.length < 50 || performance.now() - started < budgetMs)) {
    const s = performance.now()
    await callQuery(app, headers, body)
    times.push(performance.now() - s)
  }
  return {
    name: q.name,
    body,
    iterations: times.length,
    medianMs: median(times),
    p99Ms: percentile(times, 99),
    total: check.data.total,
    records: check.data.records.length,
  }
}
