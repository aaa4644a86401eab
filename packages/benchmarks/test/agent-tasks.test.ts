import { describe, expect, it } from 'vitest'
import { FILE_NAME, submitBody } from '../src/agent-tasks.js'

describe('submitBody', () => {
  it('type 0 sends only the three required fields', () => {
    expect(JSON.parse(submitBody('/mnt/x.xls', 0))).toEqual({
      filePath: '/mnt/x.xls',
      fileName: FILE_NAME,
      type: 0,
    })
  })
  it('type 1 sends exactly one group, its application and a calloutRate', () => {
    const body = JSON.parse(submitBody('/mnt/x.xls', 1, { voiceGroupId: 1000006, appId: '1000012' }))
    expect(body).toEqual({
      filePath: '/mnt/x.xls',
      fileName: FILE_NAME,
      type: 1,
      voiceGroupId: [1000006],
      appId: '1000012',
      calloutRate: 1,
    })
  })
  it('refuses a type-1 body without a group', () => {
    expect(() => submitBody('/mnt/x.xls', 1)).toThrow(/group/)
  })
})
