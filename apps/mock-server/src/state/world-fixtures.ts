import { mix, prng } from '../dataset.js'
import { OptionError } from '../options.js'
import { parseWallClock } from '../time.js'
import { randomText } from './generate-world.js'
import { SEAT_STATES, type Seat, type SeatGroup, type SeatState, type VoiceApp } from './world.js'

/**
 * Seat groups and seats given in a `--data` file next to its task `records` (what
 * `laaffic-mock import` writes from a recording). Groups: `{voiceGroupId, groupName, appId,
 * appName?, callinStrategy?}`; seats: seat/query records (a recording has no passwords: a
 * missing or redacted one is generated).
 */
export interface WorldFixture {
  apps: VoiceApp[]
  groups: SeatGroup[]
  seats: Seat[]
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0
const optionalText = (v: unknown): v is string | null | undefined =>
  v === undefined || v === null || typeof v === 'string'

/** The groups and seats of a fixture document, or undefined when it has none (tasks only). */
export function worldFixture(
  doc: unknown,
  utcOffsetMinutes: number,
  label: string,
): WorldFixture | undefined {
  if (!isObject(doc) || (doc.groups === undefined && doc.seats === undefined)) return undefined
  const groupsIn = doc.groups ?? []
  const seatsIn = doc.seats ?? []
  if (!Array.isArray(groupsIn)) throw new OptionError(`${label}: groups must be an array`)
  if (!Array.isArray(seatsIn)) throw new OptionError(`${label}: seats must be an array`)
  const apps = new Map<string, VoiceApp>()
  const groups = new Map<number, SeatGroup>()
  groupsIn.forEach((g, i) => {
    const at = `${label}: group ${i}`
    if (!isObject(g)) throw new OptionError(`${at}: must be an object`)
    if (!isId(g.voiceGroupId)) throw new OptionError(`${at}: voiceGroupId must be a positive integer`)
    if (groups.has(g.voiceGroupId)) throw new OptionError(`${at}: voiceGroupId ${g.voiceGroupId} repeats`)
    if (typeof g.groupName !== 'string' || g.groupName === '')
      throw new OptionError(`${at}: groupName must be a string`)
    if (typeof g.appId !== 'string' || g.appId === '') throw new OptionError(`${at}: appId must be a string`)
    if (!optionalText(g.appName)) throw new OptionError(`${at}: appName must be a string`)
    const strategy = g.callinStrategy ?? 4
    if (strategy !== 1 && strategy !== 2 && strategy !== 3 && strategy !== 4) {
      throw new OptionError(`${at}: callinStrategy must be 1, 2, 3 or 4`)
    }
    if (!apps.has(g.appId)) apps.set(g.appId, { appId: g.appId, appName: g.appName ?? g.appId })
    groups.set(g.voiceGroupId, {
      voiceGroupId: g.voiceGroupId,
      groupName: g.groupName,
      appId: g.appId,
      callinStrategy: strategy,
    })
  })
  const seats = new Map<number, Seat>()
  const empNos = new Set<string>()
  seatsIn.forEach((s, i) => {
    const at = `${label}: seat ${i}`
    if (!isObject(s)) throw new OptionError(`${at}: must be an object`)
    if (!isId(s.keyId)) throw new OptionError(`${at}: keyId must be a positive integer`)
    if (seats.has(s.keyId)) throw new OptionError(`${at}: keyId ${s.keyId} repeats`)
    if (!isId(s.voiceGroupId) || !groups.has(s.voiceGroupId)) {
      throw new OptionError(`${at}: voiceGroupId must be one of the file's groups`)
    }
    if (typeof s.name !== 'string') throw new OptionError(`${at}: name must be a string`)
    if (s.enable !== 0 && s.enable !== 1) throw new OptionError(`${at}: enable must be 0 or 1`)
    const status = (s.status ?? 1) as SeatState
    if (!SEAT_STATES.includes(status)) throw new OptionError(`${at}: status must be 1 to 5`)
    for (const field of ['empNo', 'petName', 'account', 'password', 'displayNum', 'ccode'] as const) {
      if (!optionalText(s[field])) throw new OptionError(`${at}: ${field} must be a string`)
    }
    const empNo = (s.empNo as string | undefined) ?? String(s.keyId)
    if (empNos.has(empNo)) throw new OptionError(`${at}: empNo repeats another seat's`)
    empNos.add(empNo)
    const time = (field: 'createTime' | 'updateTime'): number => {
      const v = s[field]
      if (v === undefined || v === null) return 0
      const parsed = typeof v === 'string' ? parseWallClock(v, utcOffsetMinutes) : undefined
      if (!parsed) throw new OptionError(`${at}: ${field} must be yyyy-MM-dd HH:mm:ss`)
      return parsed.epochSeconds
    }
    const password =
      typeof s.password === 'string' && /^[A-Za-z0-9]+$/.test(s.password) ? s.password : undefined
    seats.set(s.keyId, {
      keyId: s.keyId,
      empNo,
      petName: (s.petName as string | null | undefined) ?? null,
      name: s.name,
      enable: s.enable,
      priority: typeof s.priority === 'number' ? s.priority : 1,
      voiceGroupId: s.voiceGroupId,
      account: (s.account as string | undefined) ?? `seat_${s.keyId}`,
      // Recordings hold no passwords ("[redacted]"): a seat gets a generated one, stable per keyId.
      password: password ?? randomText(prng(mix(0x5ea7, s.keyId)), 8),
      createTime: time('createTime'),
      updateTime: time('updateTime'),
      displayNum: (s.displayNum as string | null | undefined) ?? null,
      ccode: (s.ccode as string | null | undefined) ?? null,
      status: s.enable === 1 ? 1 : status,
    })
  })
  return {
    apps: [...apps.values()],
    groups: [...groups.values()].sort((a, b) => a.voiceGroupId - b.voiceGroupId),
    seats: [...seats.values()].sort((a, b) => a.keyId - b.keyId),
  }
}
