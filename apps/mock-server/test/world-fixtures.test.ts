import { describe, expect, it } from 'vitest'
import { OptionError } from '../src/options.js'
import { worldFixture } from '../src/state/world-fixtures.js'

const group = {
  voiceGroupId: 1000001,
  groupName: 'Sales team',
  appId: 'app1',
  appName: 'Sales',
  callinStrategy: 2,
}
const seat = {
  keyId: 5000001,
  name: 'Ana',
  enable: 0,
  status: 2,
  voiceGroupId: 1000001,
  createTime: '2025-01-02 03:04:05',
}

describe('--data groups and seats', () => {
  it('reads groups and seats; a missing or redacted password is generated, a disabled seat is offline', () => {
    const w = worldFixture(
      {
        records: [],
        groups: [group],
        seats: [seat, { ...seat, keyId: 5000002, empNo: '7', enable: 1, password: '[redacted]' }],
      },
      480,
      'f',
    )
    expect(w?.apps).toEqual([{ appId: 'app1', appName: 'Sales' }])
    expect(w?.groups[0]).toMatchObject({ voiceGroupId: 1000001, callinStrategy: 2 })
    expect(w?.seats[0]?.password).toMatch(/^[A-Za-z0-9]{8}$/)
    expect(w?.seats[1]).toMatchObject({ status: 1, empNo: '7' })
    expect(w?.seats[1]?.password).not.toBe('[redacted]')
    expect(worldFixture({ records: [] }, 480, 'f')).toBeUndefined()
  })

  it.each([
    [{ groups: [{ ...group, appId: 7 }] }, 'group 0: appId'],
    [{ groups: [group, group] }, 'repeats'],
    [
      { groups: [group], seats: [{ ...seat, voiceGroupId: 42 }] },
      "seat 0: voiceGroupId must be one of the file's groups",
    ],
    [{ groups: [group], seats: [seat, seat] }, 'keyId 5000001 repeats'],
    [{ groups: [group], seats: [{ ...seat, createTime: 'yesterday' }] }, 'createTime'],
    [{ groups: [group], seats: [{ ...seat, status: 9 }] }, 'status'],
    [{ groups: 'x' }, 'groups must be an array'],
  ])('refuses %j with one line naming the place', (doc, message) => {
    expect(() => worldFixture({ records: [], ...doc }, 480, 'f')).toThrow(OptionError)
    expect(() => worldFixture({ records: [], ...doc }, 480, 'f')).toThrow(message)
  })
})
