/**
 * `node --expose-gc dist/iterate-worker.js <baseUrl>`: walks every task of the mock at baseUrl
 * with client.iterateTasks (size 100) in a fresh process, samples heapUsed after gc() at every
 * page boundary, and prints one JSON line (IterationResult).
 */
import { createLaafficClient } from '@laaffic-kit/client'
import { API_KEY, API_SECRET, FROZEN_NOW_MS } from './fixtures.js'

export interface IterationResult {
  records: number
  pages: number
  ms: number
  heap: number[]
  gc: boolean
}

async function main(): Promise<void> {
  const baseUrl = process.argv[2]!
  const client = createLaafficClient({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    baseUrl,
    now: () => FROZEN_NOW_MS,
    maxRetries: 0,
  })
  const gc = (globalThis as { gc?: () => void }).gc
  const size = 100
  const heap: number[] = []
  let records = 0
  const t0 = performance.now()
  for await (const _record of client.iterateTasks({ params: {}, size })) {
    // Sampled at each page boundary from page 2 on (page 1 warms up the client and the pool).
    if (records % size === 0 && records > 0) {
      gc?.()
      heap.push(process.memoryUsage().heapUsed)
    }
    records++
  }
  const ms = performance.now() - t0
  gc?.()
  heap.push(process.memoryUsage().heapUsed)
  const result: IterationResult = {
    records,
    pages: Math.ceil(records / size),
    ms,
    heap,
    gc: gc !== undefined,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
