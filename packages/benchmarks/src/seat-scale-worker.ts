/**
 * One seat count in a fresh process: `node dist/seat-scale-worker.js <seats> [iterations] [budgetMs]`.
 * Builds the default account's world with that many seats (`createMockApp({ seats })`), then
 * times seat/query and seatGroup/query in process via `app.fetch`; prints one JSON line.
 */
import { signedHeaders } from './fixtures.js'
import { createInProcessMock, type FetchApp } from './mock-app.js'
import type { QueryTiming } from './scale-worker.js'
import { median, percentile } from './stats.js'

export interface SeatScaleResult {
  seats: number
  genMs: number
  rssAfter: number
  queries: (QueryTiming & { path: string; scans: boolean })[]
}

const SEATS = '/v3/cc/seat/query'
const GROUPS = '/v3/cc/seatGroup/query'
/** A 30-day statistics window inside the seats' history (the mock clock is 2025-02-01). */
const WINDOW = { strTime: '2025-01-01 00:00:00', endTime: '2025-01-31 00:00:00' }
const headers = signedHeaders()

type Page = { status: number; data: { total: number; pages: number; records: Record<string, unknown>[] } }

async function call(app: FetchApp, path: string, body: string): Promise<string> {
  const res = await app.fetch(new Request(`http://127.0.0.1${path}`, { method: 'POST', headers, body }))
  return res.text()
}

async function page(app: FetchApp, path: string, body: unknown): Promise<Page> {
  const out = JSON.parse(await call(app, path, JSON.stringify(body))) as Page
  if (out.status !== 0)
    throw new Error(`${path} ${JSON.stringify(body)}: ${JSON.stringify(out).slice(0, 300)}`)
  return out
}

async function main(): Promise<void> {
  const seats = Number(process.argv[2])
  const maxIterations = Number(process.argv[3] ?? 2000)
  const budgetMs = Number(process.argv[4] ?? 2500)
  const t0 = performance.now()
  const app = await createInProcessMock({ seats })
  const genMs = performance.now() - t0
  // The group with the most seats, and the last pages, as this world has them.
  const groups = await page(app, GROUPS, { current: 1, size: 100, params: {} })
  const biggest = [...groups.data.records].sort((a, b) => Number(b.countSeat) - Number(a.countSeat))[0]!
  const gid = Number(biggest.voiceGroupId)
  const all = await page(app, SEATS, { current: 1, size: 15, params: WINDOW })
  const inGroup = await page(app, SEATS, { current: 1, size: 15, params: { ...WINDOW, voiceGroupId: gid } })
  const queries: { name: string; path: string; body: unknown; scans: boolean }[] = [
    {
      name: 'seat/query, first page',
      path: SEATS,
      body: { current: 1, size: 15, params: WINDOW },
      scans: false,
    },
    {
      name: 'seat/query, last page',
      path: SEATS,
      body: { current: Math.max(1, all.data.pages), size: 15, params: WINDOW },
      scans: false,
    },
    {
      name: 'seat/query by group, first page',
      path: SEATS,
      body: { current: 1, size: 15, params: { ...WINDOW, voiceGroupId: gid } },
      scans: false,
    },
    {
      name: 'seat/query by group, last page',
      path: SEATS,
      body: { current: Math.max(1, inGroup.data.pages), size: 15, params: { ...WINDOW, voiceGroupId: gid } },
      scans: false,
    },
    {
      name: 'seat/query by status (scans to count)',
      path: SEATS,
      body: { current: 1, size: 15, params: { ...WINDOW, status: 1 } },
      scans: true,
    },
    {
      name: 'seatGroup/query, first page',
      path: GROUPS,
      body: { current: 1, size: 15, params: {} },
      scans: false,
    },
    {
      name: 'seatGroup/query by name',
      path: GROUPS,
      body: { current: 1, size: 15, params: { groupName: String(biggest.groupName).slice(0, 4) } },
      scans: false,
    },
  ]
  const out: SeatScaleResult['queries'] = []
  for (const q of queries) {
    const body = JSON.stringify(q.body)
    const check = await page(app, q.path, q.body)
    for (let i = 0; i < 50; i++) await call(app, q.path, body) // warm-up
    const times: number[] = []
    const started = performance.now()
    while (times.length < maxIterations && (times.length < 50 || performance.now() - started < budgetMs)) {
      const s = performance.now()
      await call(app, q.path, body)
      times.push(performance.now() - s)
    }
    out.push({
      name: q.name,
      path: q.path,
      scans: q.scans,
      body,
      iterations: times.length,
      medianMs: median(times),
      p99Ms: percentile(times, 99),
      total: check.data.total,
      records: check.data.records.length,
    })
  }
  const result: SeatScaleResult = { seats, genMs, rssAfter: process.memoryUsage().rss, queries: out }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
