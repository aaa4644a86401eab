/**
 * A practical ceiling for one Node process: `node:http` with no framework, reading the body and
 * answering the same constant page as bare-hono.ts from a prebuilt buffer. A single-process Node
 * server doing real work on the same pinned CPU should not beat it, so (ceiling req/s) /
 * (Prism req/s) shows how far "× Prism" can go on this machine.
 * Prints `http://127.0.0.1:PORT` as its first stdout line.
 */
import { createServer } from 'node:http'
import { PAGE_JSON } from './page.js'

const body = Buffer.from(PAGE_JSON)
const headers = { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/v3/cc/preview/query') {
    res.writeHead(404).end()
    return
  }
  req.resume()
  req.on('end', () => res.writeHead(200, headers).end(body))
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address && typeof address === 'object')
    console.log(`raw-node listening on http://127.0.0.1:${address.port}`)
})
const shutdown = (): void => {
  server.close()
  process.exit(0)
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
