/**
 * The framework limit: Hono on @hono/node-server answering POST /v3/cc/preview/query with a
 * constant JSON page (15 records, the size the throughput benchmark asks for). It reads the
 * body, so the work left to the mock is parsing, signing, validation, filtering and paging.
 * Prints `http://127.0.0.1:PORT` as its first stdout line.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { PAGE, PAGE_JSON } from './page.js'

const app = new Hono()
// `--prebuilt` answers with text serialised once: the framework's own per-request cost, without
// the JSON.stringify that the default (c.json, the idiomatic reading of the issue) pays.
const prebuilt = process.argv.includes('--prebuilt')
app.post('/v3/cc/preview/query', async (c) => {
  await c.req.text()
  return prebuilt ? c.body(PAGE_JSON, 200, { 'Content-Type': 'application/json' }) : c.json(PAGE)
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
