/**
 * The framework limit: Hono on @hono/node-server answering POST /v3/cc/preview/query with a
 * constant JSON page (15 records, the size the throughput benchmark asks for). It reads the
 * body, so the work left to the mock is parsing, signing, validation, filtering and paging.
 * Prints `http://127.0.0.1:PORT` as its first stdout line.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const record = (i: number) => ({
  taskId: 5000000 + i,
  voiceGroupId: [101],
  seatGroupName: 'Group A',
  createTime: '2025-01-20 10:00:00',
  remainCount: 0,
  totalCount: 1,
  remark: null,
  ccode: '86',
  codeName: 'China',
  taskStatus: 12,
  taskType: 0,
  finishFlag: 1,
  completedRate: 100,
  groupTaskId: 9000000 + i,
  transfersNum: 0,
  callFailuresNum: 0,
  callingNumber: null,
  displayNum: null,
  numberTotalCount: '1',
  callFinishCount: 1,
  numberSameCount: '0',
  appId: '1000009',
  calloutRate: 1,
  fileName: 'numbers.xlsx',
  filePath: '/mnt/cc/upload/numbers.xlsx',
})

const page = {
  status: 0,
  reason: 'success',
  data: {
    total: 1000,
    size: 15,
    current: 1,
    pages: 67,
    searchCount: true,
    records: Array.from({ length: 15 }, (_, i) => record(i)),
  },
}

const app = new Hono()
app.post('/v3/cc/preview/query', async (c) => {
  await c.req.text()
  return c.json(page)
})

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(`bare-hono listening on http://127.0.0.1:${info.port}`)
})
const shutdown = (): void => {
  server.close()
  process.exit(0)
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
