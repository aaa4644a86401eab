/**
 * The load of one task-scale case, sent over HTTP from its own process so that the mock's
 * process (task-scale-worker) holds only what the mock keeps:
 *
 * - `node dist/task-scale-load.js <url> query`: one preview/query; prints `{ total }`.
 * - `… <url> upload`: one `preview/upload` of the benchmarks' .xls and the seat groups a type-1
 *   task can use; prints `{ filePath, groups, uploadMs }`.
 * - `… <url> submit <count> <connections> <filePath> <groups JSON>`: `count` submitTask calls
 *   over `connections` concurrent keep-alive connections, alternately type 0 and type 1 over
 *   the groups, each checked to answer 0; prints `{ submitMs }`.
 *
 * Every request is signed with the benchmarks' precomputed headers (the worker widens the
 * Timestamp window).
 */
import {
  expectOk,
  type GroupTarget,
  groupTargets,
  httpSender,
  SUBMIT_PATH,
  submitBody,
  uploadNumbers,
} from './agent-tasks.js'
import { ENDPOINT_PATH, signedHeaders } from './fixtures.js'

async function main(): Promise<unknown> {
  const [url, mode, ...rest] = process.argv.slice(2)
  if (!url || !mode) throw new Error('usage: task-scale-load.js <url> query|upload|submit …')
  const send = httpSender(url, signedHeaders())
  if (mode === 'query') {
    const res = expectOk('preview/query', await send(ENDPOINT_PATH, { current: 1, size: 15, params: {} }))
    return { total: (res.data as { total: number }).total }
  }
  if (mode === 'upload') {
    const file = await uploadNumbers(send)
    return { filePath: file.filePath, groups: await groupTargets(send), uploadMs: file.ms }
  }
  if (mode === 'submit') {
    const count = Number(rest[0])
    const connections = Number(rest[1])
    const filePath = rest[2] ?? ''
    const groups = JSON.parse(rest[3] ?? '[]') as GroupTarget[]
    if (!(count >= 0 && connections >= 1 && groups.length > 0))
      throw new Error(`bad submit arguments: ${rest.join(' ')}`)
    const bodies = [submitBody(filePath, 0), ...groups.map((g) => submitBody(filePath, 1, g))]
    let next = 0
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: connections }, async () => {
        for (let i = next++; i < count; i = next++) {
          // Half type 0, half type 1 spread over the groups.
          const body = i % 2 === 0 ? bodies[0]! : bodies[1 + ((i >> 1) % groups.length)]!
          const res = await send(SUBMIT_PATH, body)
          if (res.status !== 0) expectOk(`submitTask #${i}`, res)
        }
      }),
    )
    return { submitMs: performance.now() - t0 }
  }
  throw new Error(`unknown mode ${mode}`)
}

process.stdout.write(`${JSON.stringify(await main())}\n`)
