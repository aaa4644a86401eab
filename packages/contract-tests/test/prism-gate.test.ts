import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ENDPOINT_PATH, signHeaders } from '@laaffic-kit/protocol'
import { loadSpec, specPath } from '@laaffic-kit/spec'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningProcess, startPrismProxy } from '../src/processes.js'
import { prismFetch } from '../src/targets.js'

/**
 * The prism-proxy target is only worth something if Prism really catches a server that breaks
 * the spec. This upstream breaks it on purpose: numeric strings as numbers, a string taskId.
 */
describe('the Prism gate catches a server that breaks the spec', () => {
  let upstream: Server
  let prism: RunningProcess
  let mode: 'good' | 'bad' = 'good'
  // The spec's own example record: conforming by construction (the spec tests prove it).
  const record = loadSpec().paths[ENDPOINT_PATH].post.responses['200'].content['application/json'].examples
    .seedResponse.value.data.records[0] as Record<string, unknown>

  beforeAll(async () => {
    upstream = createServer((_req, res) => {
      const r = mode === 'good' ? record : { ...record, taskId: '5000525', numberTotalCount: 1 }
      res.setHeader('Content-Type', 'application/json')
      res.end(
        JSON.stringify({
          status: 0,
          reason: 'success',
          data: { total: 1, size: 15, current: 1, pages: 1, searchCount: true, records: [r] },
        }),
      )
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const { port } = upstream.address() as AddressInfo
    prism = await startPrismProxy(specPath, `http://127.0.0.1:${port}`)
  }, 40_000)
  afterAll(async () => {
    await prism?.stop()
    await new Promise((resolve) => upstream?.close(resolve))
  })

  const send = (violations: string[], body: unknown) =>
    prismFetch(violations)(new URL(ENDPOINT_PATH, prism.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signHeaders('k', 's', 1630468800) },
      body: JSON.stringify(body),
    })

  it('passes a conforming exchange untouched', async () => {
    mode = 'good'
    const violations: string[] = []
    const res = await send(violations, { current: 1, size: 15, params: {} })
    expect(res.status).toBe(200)
    expect(violations).toEqual([])
  })

  it('reports every violation of a non-conforming response', async () => {
    mode = 'bad'
    const violations: string[] = []
    const res = await send(violations, { current: 1, size: 15, params: {} })
    expect(res.status).toBe(500)
    expect(violations.join('\n')).toContain('taskId must be integer')
    expect(violations.join('\n')).toContain('numberTotalCount must be string')
  })

  it('answers 422 for a request the spec rejects, before the server sees it', async () => {
    mode = 'good'
    const violations: string[] = []
    const res = await send(violations, { current: 1, size: 101, params: {} })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('size must be <= 100')
  })
})
