import type { components } from '@laaffic-kit/spec'
import { mix, prng } from '../../dataset.js'
import type { Seat, World } from '../../state/world.js'
import { formatWallClock } from '../../time.js'

type SeatRecord = components['schemas']['SeatRecord']

/** The call-statistics window of the newer seat/query page, Unix seconds (inclusive). */
export interface StatsWindow {
  from: number
  to: number
  now: number
}

/**
 * Calls a seat made in the window: a per-seat daily rate drawn from (seed, keyId), counted only
 * while the seat existed and not past the mock clock, so the figures are stable per seed and
 * grow with the window. Disabling a seat does not erase the calls it made before.
 */
function stats(world: World, seat: Seat, window: StatsWindow) {
  const r = prng(mix(world.seed ^ 0x51a7, seat.keyId))
  const perDay = Math.floor(r() * 40)
  const connectShare = 0.3 + r() * 0.5
  const from = Math.max(window.from, seat.createTime)
  const to = Math.min(window.to, window.now)
  const days = Math.max(0, to - from) / 86400
  const num = Math.floor(perDay * days)
  const connectNum = Math.floor(num * connectShare)
  return { num, connectNum, connectRate: num === 0 ? '0.00' : ((connectNum / num) * 100).toFixed(2) }
}

/** A seat as seat/query prints it; the newer page adds the window's call statistics. */
export function seatRecord(
  world: World,
  seat: Seat,
  utcOffset: number,
  window: StatsWindow | undefined,
): SeatRecord {
  const group = world.groups.get(seat.voiceGroupId)
  const record: SeatRecord = {
    keyId: seat.keyId,
    empNo: seat.empNo,
    petName: seat.petName,
    name: seat.name,
    appId: group?.appId ?? '',
    deleteFlag: 0,
    enable: seat.enable,
    priority: seat.priority,
    voiceGroupId: seat.voiceGroupId,
    groupName: group?.groupName ?? '',
    account: seat.account,
    password: seat.password,
    createTime: formatWallClock(seat.createTime, utcOffset),
    updateTime: formatWallClock(seat.updateTime, utcOffset),
    displayNum: seat.displayNum,
    ccode: seat.ccode,
    status: seat.status,
  }
  // Not `{ ...record, ...stats }`: on Node 20 a spread that adds properties makes a new hidden
  // class per object (CONTRIBUTING.md, "Object spread"); adding them to the record reuses one.
  return window ? Object.assign(record, stats(world, seat, window)) : record
}
