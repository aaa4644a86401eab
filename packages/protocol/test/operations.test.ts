import { describe, expect, it } from 'vitest'
import {
  ADD_SEAT_GROUP,
  ADD_SEATS,
  BATCH_SEATS,
  CANCEL_PREVIEW_TASK,
  DELETE_SEAT_GROUP,
  EDIT_PREVIEW_TASK,
  ENDPOINT_PATH,
  OPERATIONS,
  operationStatus,
  PLATFORM_STATUS_CODES,
  QUERY_PREVIEW_TASKS,
  QUERY_SEAT_GROUPS,
  QUERY_SEATS,
  RESEND_PREVIEW_TASK,
  STATUS_CODES,
  SUBMIT_PREVIEW_TASK,
  UPDATE_SEAT,
  UPDATE_SEAT_GROUP,
  UPLOAD_PREVIEW_FILE,
} from '../src/index.js'

const codes = (op: (typeof OPERATIONS)[number]) => op.statuses.map((s) => s.code)

describe('OPERATIONS', () => {
  it('lists the fourteen operations once each, in spec order', () => {
    expect(OPERATIONS.map((o) => o.id)).toEqual([
      'queryPreviewTasks',
      'querySeatGroups',
      'addSeatGroup',
      'updateSeatGroup',
      'deleteSeatGroup',
      'querySeats',
      'addSeats',
      'updateSeat',
      'batchSeats',
      'uploadPreviewFile',
      'submitPreviewTask',
      'editPreviewTask',
      'cancelPreviewTask',
      'resendPreviewTask',
    ])
    expect(OPERATIONS).toEqual([
      QUERY_PREVIEW_TASKS,
      QUERY_SEAT_GROUPS,
      ADD_SEAT_GROUP,
      UPDATE_SEAT_GROUP,
      DELETE_SEAT_GROUP,
      QUERY_SEATS,
      ADD_SEATS,
      UPDATE_SEAT,
      BATCH_SEATS,
      UPLOAD_PREVIEW_FILE,
      SUBMIT_PREVIEW_TASK,
      EDIT_PREVIEW_TASK,
      CANCEL_PREVIEW_TASK,
      RESEND_PREVIEW_TASK,
    ])
    expect(new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`)).size).toBe(OPERATIONS.length)
  })

  it('starts every table with the common block and lists each code once', () => {
    for (const op of OPERATIONS) {
      expect(codes(op).slice(0, 5), op.id).toEqual([0, -1, -2, -16, -18])
      expect(new Set(codes(op)).size, op.id).toBe(op.statuses.length)
    }
  })

  it("holds each page's own codes (CC-FAMILY §3)", () => {
    expect(codes(QUERY_PREVIEW_TASKS)).toEqual(STATUS_CODES.map((s) => s.code))
    expect(codes(QUERY_SEAT_GROUPS)).toEqual([0, -1, -2, -16, -18, -20, -22, -23])
    expect(codes(ADD_SEAT_GROUP)).toEqual([0, -1, -2, -16, -18, -20, -22, -23, -63, -75])
    expect(codes(UPDATE_SEAT_GROUP)).toEqual([0, -1, -2, -16, -18, -20, -22, -23, -63])
    expect(codes(DELETE_SEAT_GROUP)).toEqual([0, -1, -2, -16, -18, -22, -24, -63, -64, -69, -70])
    expect(codes(ADD_SEATS)).toEqual([0, -1, -2, -16, -18, -20, -22, -23, -36])
    expect(codes(UPDATE_SEAT)).toEqual([0, -1, -2, -16, -18, -20, -22, -23, -34, -64, -65, -66, -67])
    expect(codes(BATCH_SEATS)).toEqual([0, -1, -2, -16, -18, -20, -22, -23, -67, -68])
    expect(codes(UPLOAD_PREVIEW_FILE)).toEqual([0, -1, -2, -16, -18, -20, -22, -23, -38, -39, -40, -43])
    expect(codes(SUBMIT_PREVIEW_TASK)).toEqual([0, -1, -2, -16, -18, -20, -22, -23, -43, -74, -77])
    expect(codes(EDIT_PREVIEW_TASK)).toEqual([0, -1, -2, -16, -18, -20, -22, -23, -36, -41])
    expect(codes(CANCEL_PREVIEW_TASK)).toEqual([0, -1, -2, -16, -18, -20, -22, -23, -41])
    expect(codes(RESEND_PREVIEW_TASK)).toEqual([0, -1, -2, -16, -18, -20, -22, -23, -41, -42, -74, -77])
  })

  it('keys exactly the rows that mean what STATUS_CODES says, with its reason', () => {
    for (const op of OPERATIONS)
      for (const row of op.statuses) {
        const shared = STATUS_CODES.find((s) => s.code === row.code)
        if (row.key === undefined) expect(shared, `${op.id} ${row.code}`).toBeUndefined()
        else
          expect({ key: row.key, reason: row.reason }).toEqual({ key: shared?.key, reason: shared?.reason })
      }
  })

  it('keeps the path and method of the first endpoint', () => {
    expect(QUERY_PREVIEW_TASKS.path).toBe(ENDPOINT_PATH)
    expect(DELETE_SEAT_GROUP.method).toBe('GET')
    expect(OPERATIONS.filter((o) => o.method === 'GET')).toEqual([DELETE_SEAT_GROUP])
  })

  it('is frozen, so one consumer cannot edit what another reads', () => {
    expect(Object.isFrozen(UPDATE_SEAT)).toBe(true)
    expect(Object.isFrozen(UPDATE_SEAT.statuses)).toBe(true)
    expect(Object.isFrozen(UPDATE_SEAT.statuses[0])).toBe(true)
    expect(Object.isFrozen(OPERATIONS)).toBe(true)
  })
})

describe('operationStatus', () => {
  it('maps a code per operation: -64 differs between deleteSeatGroup and updateSeat', () => {
    expect(operationStatus(DELETE_SEAT_GROUP, -64)?.meaning).toMatch(/still has seats/)
    expect(operationStatus(UPDATE_SEAT, -64)?.meaning).toMatch(/letters and digits/)
    expect(operationStatus(DELETE_SEAT_GROUP, -63)?.reason).not.toBe(
      operationStatus(ADD_SEAT_GROUP, -63)?.reason,
    )
  })
  it('is undefined for a code the page does not list', () => {
    expect(operationStatus(QUERY_SEATS, -64)).toBeUndefined()
    expect(operationStatus(DELETE_SEAT_GROUP, -20)).toBeUndefined()
    expect(operationStatus(QUERY_PREVIEW_TASKS, -15)).toBeUndefined()
  })
  it('finds the shared rows with their keys', () => {
    expect(operationStatus(BATCH_SEATS, -22)).toMatchObject({
      key: 'PARAMETER',
      reason: 'Parameter exception',
    })
    expect(operationStatus(BATCH_SEATS, -67)?.key).toBeUndefined()
  })
  it('keeps -36 per operation: a seat quota on addSeats, a calloutRate cap on editPreviewTask', () => {
    expect(operationStatus(ADD_SEATS, -36)?.meaning).toMatch(/seats/)
    expect(operationStatus(EDIT_PREVIEW_TASK, -36)?.meaning).toMatch(/calloutRate/)
  })
  it('gives the task writes one -41 row (state forbids the change) and no -41 elsewhere', () => {
    const rows = [EDIT_PREVIEW_TASK, CANCEL_PREVIEW_TASK, RESEND_PREVIEW_TASK].map((op) =>
      operationStatus(op, -41),
    )
    expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(1)
    expect(operationStatus(SUBMIT_PREVIEW_TASK, -41)).toBeUndefined()
  })
})

describe('PLATFORM_STATUS_CODES', () => {
  it('holds -1 … -32 in order, each with a reason', () => {
    expect(PLATFORM_STATUS_CODES.map((s) => s.code)).toEqual(Array.from({ length: 32 }, (_, i) => -(i + 1)))
    for (const s of PLATFORM_STATUS_CODES) expect(s.reason.length).toBeGreaterThan(0)
  })
  it('has the rate-limit and access codes no cc page lists', () => {
    const reason = (code: number) => PLATFORM_STATUS_CODES.find((s) => s.code === code)?.reason
    expect(reason(-15)).toMatch(/too frequent/i)
    expect(reason(-31)).toMatch(/whitelist/i)
  })
})
