import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createMockApp } from '../src/app.js'

const tmp = mkdtempSync(join(tmpdir(), 'laaffic-reset-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const listed = async (app: ReturnType<typeof createMockApp>) =>
  (
    (await (await app.request('/__admin/accounts')).json()) as {
      accounts: { groups: number; seats: number }[]
    }
  ).accounts[0]

describe('POST /__admin/reset with --data groups and seats', () => {
  it("restores the file's world, not a generated one (a shared store that lost its data resets the same way)", async () => {
    const file = join(tmp, 'world.json')
    writeFileSync(
      file,
      JSON.stringify({
        records: [],
        groups: [{ voiceGroupId: 1000001, groupName: 'Sales team', appId: 'app1', appName: 'Sales' }],
        seats: [
          {
            keyId: 5000001,
            name: 'Ana',
            enable: 0,
            status: 2,
            voiceGroupId: 1000001,
            createTime: '2025-01-02 03:04:05',
          },
        ],
      }),
    )
    const app = createMockApp({ data: file })
    const before = await listed(app)
    expect(before).toMatchObject({ seats: 1 })
    expect((await app.request('/__admin/reset', { method: 'POST' })).status).toBe(200)
    // Regenerated from the seed it would hold --seats (48) generated seats.
    expect(await listed(app)).toEqual(before)
  })
})
