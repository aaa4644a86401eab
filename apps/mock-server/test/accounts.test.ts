import { describe, expect, it } from 'vitest'
import { createMockApp } from '../src/app.js'
import { serveMock } from '../src/serve.js'
import { call, NOW, SECRET, signed, signedAs } from './helpers.js'

const fresh = (extra = {}) => createMockApp({ now: NOW, logLevel: 'silent', ...extra })
type Created = {
  apiKey: string
  apiSecret: string
  seed: number
  tasks: number
  groups: number
  seats: number
}

async function create(app: ReturnType<typeof fresh>, body: unknown = {}) {
  const res = await app.request('/__admin/accounts', { method: 'POST', body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Created & { error?: string } }
}

const groupNames = async (app: ReturnType<typeof fresh>, headers: Record<string, string>) => {
  const res = await call(app, '/v3/cc/seatGroup/query', { current: 1, size: 100, params: {} }, headers)
  expect(res.status).toBe(0)
  return (res.data as { records: { groupName: string }[] }).records.map((g) => g.groupName).sort()
}

describe('/__admin/accounts', () => {
  it('creates an account with its own world; its writes never show in another account', async () => {
    const app = fresh()
    const a = await create(app, { seed: 7, tasks: 50 })
    const b = await create(app)
    expect(a.status).toBe(201)
    expect(a.body).toMatchObject({ seed: 7, tasks: 50, groups: 12, seats: 48 })
    expect(a.body.apiKey).not.toBe(b.body.apiKey)
    const asA = signedAs(a.body.apiKey, a.body.apiSecret)
    const asB = signedAs(b.body.apiKey, b.body.apiSecret)
    // Concurrent writes to both accounts.
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) =>
        call(app, '/v3/cc/seatGroup/addGroup', { appId: '1000009', groupName: `A group ${i}` }, asA),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        call(app, '/v3/cc/seatGroup/addGroup', { appId: '1000009', groupName: `B group ${i}` }, asB),
      ),
    ])
    const namesA = await groupNames(app, asA)
    const namesB = await groupNames(app, asB)
    expect(namesA.filter((n) => n.startsWith('A group'))).toHaveLength(5)
    expect(namesA.some((n) => n.startsWith('B group'))).toBe(false)
    expect(namesB.some((n) => n.startsWith('A group'))).toBe(false)
    expect(await groupNames(app, signed())).not.toContain('A group 0')
    // Tasks answer from the account's own world too.
    const tasks = await call(app, '/v3/cc/preview/query', { current: 1, size: 1, params: {} }, asA)
    expect((tasks.data as { total: number }).total).toBe(50)
    // A key signed with another account's secret is -1.
    expect(
      (
        await call(
          app,
          '/v3/cc/seatGroup/query',
          { current: 1, size: 1, params: {} },
          signedAs(a.body.apiKey, SECRET),
        )
      ).status,
    ).toBe(-1)
  })

  it('deletes an account (-1 afterwards), refuses the primary, 404s an unknown one, caps the count', async () => {
    const app = fresh({ maxAccounts: 1 })
    const a = await create(app)
    expect((await create(app)).status).toBe(409)
    expect((await app.request(`/__admin/accounts/${a.body.apiKey}`, { method: 'DELETE' })).status).toBe(204)
    expect(
      (
        await call(
          app,
          '/v3/cc/seatGroup/query',
          { current: 1, size: 1, params: {} },
          signedAs(a.body.apiKey, a.body.apiSecret),
        )
      ).status,
    ).toBe(-1)
    expect((await app.request(`/__admin/accounts/${a.body.apiKey}`, { method: 'DELETE' })).status).toBe(404)
    expect((await app.request('/__admin/accounts/bDqJFiq9', { method: 'DELETE' })).status).toBe(409)
    expect((await create(app)).status).toBe(201)
  })

  it('rejects bad bodies with 400 and one readable error', async () => {
    const app = fresh()
    for (const body of ['nope', '[]', '{"seed":-1}', '{"tasks":1e9}', '{"seed":"7"}', '{"extra":1}']) {
      const res = await app.request('/__admin/accounts', { method: 'POST', body })
      expect(res.status).toBe(400)
      expect(typeof ((await res.json()) as { error: string }).error).toBe('string')
    }
  })

  it("never shows an account's secret in the journal, and redacts seat passwords and phone numbers there", async () => {
    const app = fresh()
    const a = await create(app)
    const asA = signedAs(a.body.apiKey, a.body.apiSecret)
    await call(
      app,
      '/v3/cc/seat/updateSeat',
      {
        keyId: 5000001,
        voiceGroupId: '1000001',
        name: a.body.apiSecret,
        empNo: '1',
        password: 'Sup3rSecret',
        displayNum: '639171234567',
      },
      asA,
    )
    const journal = await (await app.request('/__admin/requests')).text()
    expect(journal).not.toContain(a.body.apiSecret)
    expect(journal).not.toContain('Sup3rSecret')
    expect(journal).not.toContain('639171234567')
    expect(journal).toContain('4567')
    expect(journal).not.toContain(asA.Sign)
  })

  it('/__admin/config reports the bound port after port 0, and /__admin/reset restores the primary world', async () => {
    const mock = await serveMock({ port: 0, now: NOW, logLevel: 'silent' })
    try {
      const config = (await (await fetch(`${mock.url}/__admin/config`)).json()) as { port: number }
      expect(config.port).toBe(mock.port)
      expect(config.port).not.toBe(0)
      const app = mock.app
      await call(app, '/v3/cc/seatGroup/addGroup', { appId: '1000009', groupName: 'before reset' })
      expect(await groupNames(app, signed())).toContain('before reset')
      expect((await app.request('/__admin/reset', { method: 'POST' })).status).toBe(200)
      expect(await groupNames(app, signed())).not.toContain('before reset')
    } finally {
      await mock.close()
    }
  })

  it('puts a seat in a call only with a valid state', async () => {
    const app = fresh()
    const put = (path: string, body: string) => app.request(path, { method: 'PUT', body })
    expect((await put('/__admin/accounts/bDqJFiq9/seats/5000001', '{"status":3}')).status).toBe(200)
    expect((await put('/__admin/accounts/bDqJFiq9/seats/5000001', '{"status":9}')).status).toBe(400)
    expect((await put('/__admin/accounts/bDqJFiq9/seats/5000001', 'x')).status).toBe(400)
    expect((await put('/__admin/accounts/bDqJFiq9/seats/42', '{"status":3}')).status).toBe(404)
    expect((await put('/__admin/accounts/nobody/seats/5000001', '{"status":3}')).status).toBe(404)
  })
})

describe('admin input a hostile probe sent', () => {
  it("another account's secret is redacted from -22 field names before the 40-character cut", async () => {
    const app = fresh()
    const a = await create(app)
    const key = `${'x'.repeat(25)}${a.body.apiSecret}`
    const res = await call(app, '/v3/cc/seatGroup/query', { current: 1, size: 1, params: {}, [key]: 1 })
    expect(res.status).toBe(-22)
    expect(res.reason).not.toContain(a.body.apiSecret.slice(0, 12))
    const admin = await app.request('/__admin/accounts', {
      method: 'POST',
      body: JSON.stringify({ [`${'q'.repeat(30)}${a.body.apiSecret}`]: 1 }),
    })
    expect(admin.status).toBe(400)
    expect(await admin.text()).not.toContain(a.body.apiSecret.slice(0, 8))
  })

  it('scenarios never echo a password or a full phone number', async () => {
    const app = fresh()
    const body = {
      status: -20,
      match: { operation: 'updateSeat', body: { password: 'Zq9PassWord77', displayNum: '8613512349876' } },
    }
    const created = await (
      await app.request('/__admin/scenarios', { method: 'POST', body: JSON.stringify(body) })
    ).text()
    const listed = await (await app.request('/__admin/scenarios')).text()
    for (const text of [created, listed]) {
      expect(text).not.toContain('Zq9PassWord77')
      expect(text).not.toContain('8613512349876')
    }
  })

  it('a deeply nested scenario or an oversized admin body is a 400, and the mock keeps answering', async () => {
    const app = fresh()
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`
    const res = await app.request('/__admin/scenarios', {
      method: 'POST',
      body: `{"status":-18,"match":{"body":${deep}}}`,
    })
    expect(res.status).toBe(400)
    const big = await app.request('/__admin/scenarios', {
      method: 'POST',
      body: JSON.stringify({ status: -18, pad: 'x'.repeat(70_000) }),
    })
    expect(big.status).toBe(400)
    expect((await call(app, '/v3/cc/seatGroup/query', { current: 1, size: 1, params: {} })).status).toBe(0)
  })

  it('the clock stays within what an HTTP Date can show', async () => {
    const app = fresh()
    for (const body of [
      '{"shift":9007199254740991}',
      '{"now":8640000000000}',
      '{"shift":-9007199254740991}',
    ]) {
      expect((await app.request('/__admin/clock', { method: 'PUT', body })).status).toBe(400)
    }
    expect((await app.request('/__admin/clock', { method: 'PUT', body: '{"shift":600}' })).status).toBe(200)
    const res = await app.request('/healthz')
    expect(new Date(res.headers.get('Date') ?? '').getTime() / 1000).toBe(NOW + 600)
  })
})
