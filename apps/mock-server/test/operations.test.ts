import { OPERATIONS, operationStatus } from '@laaffic-kit/protocol'
import { describe, expect, it } from 'vitest'
import { createMockApp } from '../src/app.js'
import { writeNumberFile } from '../src/number-files/index.js'
import { OPERATION_MODULES } from '../src/operations/registry.js'
import { call, NOW, signed } from './helpers.js'

const fresh = (extra = {}) => createMockApp({ now: NOW, logLevel: 'silent', ...extra })
const pathOf = (id: string) => {
  const op = OPERATIONS.find((o) => o.id === id)
  if (!op) throw new Error(id)
  return op.method === 'GET' ? `${op.path}?voiceGroupId=1000001` : op.path
}
// A body each operation accepts as valid (the answer may still be an in-band failure).
const BODIES: Record<string, unknown> = {
  queryPreviewTasks: { current: 1, size: 1, params: {} },
  querySeatGroups: { current: 1, size: 1, params: {} },
  addSeatGroup: { appId: '1000009', groupName: 'forced group' },
  updateSeatGroup: { voiceGroupId: 1000001, groupName: 'forced name' },
  deleteSeatGroup: undefined,
  querySeats: {
    current: 1,
    size: 1,
    params: { strTime: '2021-08-01 00:00:00', endTime: '2021-08-02 00:00:00' },
  },
  addSeats: { voiceGroupId: 1000001, size: 1 },
  updateSeat: { keyId: 5000001, voiceGroupId: '1000001', name: 'x', empNo: '777' },
  batchSeats: { type: 4, idList: [5000001] },
  uploadPreviewFile: {
    fileName: 'numbers.xls',
    file: Buffer.from(writeNumberFile(['8613800000001'], { format: 'xls' })).toString('base64'),
  },
}

describe('the operation registry', () => {
  it('serves every operation of the spec, one module each', () => {
    expect(OPERATION_MODULES.map((m) => m.def.id).sort()).toEqual(OPERATIONS.map((o) => o.id).sort())
  })

  it.each(OPERATIONS.map((o) => [o.id]))(
    '%s: every documented code can be forced; others get -22 naming its codes',
    async (id) => {
      const app = fresh()
      const op = OPERATIONS.find((o) => o.id === id)!
      for (const { code } of op.statuses.filter((s) => s.code !== 0)) {
        const res = await call(app, pathOf(id), BODIES[id], signed(NOW, { 'X-Mock-Status': String(code) }))
        expect(res.status).toBe(code)
        expect(res.reason).toBe(operationStatus(op, code)?.reason)
      }
      const undocumented = [-64, -67, -36, -24].find((c) => !operationStatus(op, c)) as number
      const res = await call(
        app,
        pathOf(id),
        BODIES[id],
        signed(NOW, { 'X-Mock-Status': String(undocumented) }),
      )
      expect(res.status).toBe(-22)
      expect(res.reason).toContain(`status ${undocumented} is not documented for ${id}`)
      // A platform-wide code (e.g. -15 query too frequent) is allowed anywhere, labelled as unknown to the page.
      const platform = await call(app, pathOf(id), BODIES[id], signed(NOW, { 'X-Mock-Status': '-15' }))
      expect(platform.status).toBe(-15)
    },
  )

  it.each(OPERATIONS.map((o) => [o.id]))(
    '%s: faults work (http-503, malformed) and a wrong method is a 405',
    async (id) => {
      const app = fresh()
      const op = OPERATIONS.find((o) => o.id === id)!
      const init = (extra: Record<string, string>) =>
        op.method === 'GET'
          ? { method: 'GET', headers: signed(NOW, extra) }
          : { method: 'POST', headers: signed(NOW, extra), body: JSON.stringify(BODIES[id]) }
      const r503 = await app.request(pathOf(id), init({ 'X-Mock-Fault': 'http-503' }))
      expect(r503.status).toBe(503)
      const malformed = await app.request(pathOf(id), init({ 'X-Mock-Fault': 'malformed' }))
      expect(malformed.status).toBe(200)
      await expect(malformed.text().then(JSON.parse)).rejects.toThrow()
      const wrong = await app.request(op.path, { method: op.method === 'GET' ? 'POST' : 'GET' })
      expect(wrong.status).toBe(405)
      expect(wrong.headers.get('Allow')).toBe(op.method)
    },
  )

  it('a scenario can target one operation and leaves the others alone', async () => {
    const app = fresh()
    const add = await app.request('/__admin/scenarios', {
      method: 'POST',
      body: JSON.stringify({ status: -36, times: 1, match: { operation: 'addSeats' } }),
    })
    expect(add.status).toBe(201)
    expect((await call(app, pathOf('querySeatGroups'), BODIES.querySeatGroups)).status).toBe(0)
    expect((await call(app, pathOf('addSeats'), BODIES.addSeats)).status).toBe(-36)
    expect((await call(app, pathOf('addSeats'), BODIES.addSeats)).status).toBe(0)
    // A scenario for an operation must use one of its codes.
    const bad = await app.request('/__admin/scenarios', {
      method: 'POST',
      body: JSON.stringify({ status: -64, match: { operation: 'querySeats' } }),
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: string }).error).toContain('not documented for querySeats')
    const unknownOp = await app.request('/__admin/scenarios', {
      method: 'POST',
      body: JSON.stringify({ status: -1, match: { operation: 'nope' } }),
    })
    expect(unknownOp.status).toBe(400)
  })

  it('a scenario can match body fields of a write', async () => {
    const app = fresh()
    await app.request('/__admin/scenarios', {
      method: 'POST',
      body: JSON.stringify({
        status: -75,
        match: { operation: 'addSeatGroup', body: { groupName: 'sales team' } },
      }),
    })
    expect(
      (await call(app, pathOf('addSeatGroup'), { appId: '1000009', groupName: 'other team' })).status,
    ).toBe(0)
    expect(
      (await call(app, pathOf('addSeatGroup'), { appId: '1000009', groupName: 'sales team' })).status,
    ).toBe(-75)
  })

  it.each(OPERATIONS.filter((o) => o.method === 'POST').map((o) => [o.id]))(
    '%s: garbage bodies are -22, never a 500',
    async (id) => {
      const app = fresh()
      for (const body of [
        '',
        'nope',
        '[]',
        '42',
        'null',
        '{"current":',
        JSON.stringify({ a: 'x'.repeat(10) }),
      ]) {
        const res = await call(app, pathOf(id), body)
        expect(res.status).toBe(-22)
      }
      const text = await call(app, pathOf(id), BODIES[id], { ...signed(), 'Content-Type': 'text/plain' })
      expect(text.reason).toContain('Content-Type must be application/json')
    },
  )

  it('unknownFields: ignore lets extra fields through on every operation', async () => {
    const strict = await call(fresh(), pathOf('addSeatGroup'), {
      appId: '1000009',
      groupName: 'abcd',
      extra: 1,
    })
    expect(strict.reason).toContain('unknown field "extra"')
    const lax = await call(fresh({ unknownFields: 'ignore' }), pathOf('addSeatGroup'), {
      appId: '1000009',
      groupName: 'abcd',
      extra: 1,
    })
    expect(lax.status).toBe(0)
  })
})
