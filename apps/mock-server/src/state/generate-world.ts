import { COUNTRIES, mix, prng, SEAT_GROUPS, type TaskStore, VOICE_APPS } from '../dataset.js'
import { type Seat, type SeatGroup, type SeatState, type VoiceApp, World } from './world.js'
import type { WorldFixture } from './world-fixtures.js'

/** Seat ids start here; group ids continue after the generated ones (both 7-digit, like the vendor's). */
export const FIRST_SEAT_ID = 5_000_001
const FIRST_NEW_GROUP_ID = 1_000_101

// 2024-06-01 .. 2025-01-01 (UTC): when the generated seats were created.
const SEATS_FROM = Date.UTC(2024, 5, 1) / 1000
const SEATS_TO = Date.UTC(2025, 0, 1) / 1000

const STATE_WEIGHTS: readonly [SeatState, number][] = [
  [1, 0.5],
  [2, 0.2],
  [3, 0.12],
  [4, 0.08],
  [5, 0.1],
]
const NICKNAMES = ['小王', 'Ana', '阿杰', 'Budi', 'Linh', 'Kim', '小李', 'Maria']
const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

export interface WorldInput {
  seed: number
  tasks: TaskStore
  seats: number
  /** Groups and seats from a `--data` file (`laaffic-mock import`), instead of generated ones. */
  fixture?: WorldFixture | undefined
}

/**
 * A world for a seed: the generated applications and groups (those the generated tasks use),
 * `seats` seats spread over the groups, and the given tasks. With fixture tasks, the groups
 * and applications come from the tasks themselves, so ids agree across endpoints either way.
 */
export function generateWorld(input: WorldInput): World {
  const { apps, groups } =
    input.tasks.size > 0 && !isGenerated(input.tasks) ? fromTasks(input.tasks) : generated()
  const rand = prng(mix(input.seed, 0x5ea7))
  // Seats given with the groups are the world's; groups without seats get `--seats` generated ones.
  const given = input.fixture?.seats ?? []
  const seats: Seat[] = given.map((seat) => ({ ...seat }))
  const firstId = given.reduce((m, seat) => Math.max(m, seat.keyId + 1), FIRST_SEAT_ID)
  const seqInApp = new Map<string, number>()
  const prefix = new Map(apps.map((a) => [a.appId, accountPrefix(a.appId, input.seed)]))
  const step = (SEATS_TO - SEATS_FROM) / Math.max(1, input.seats)
  for (let i = 0; given.length === 0 && i < input.seats && groups.length > 0; i++) {
    const group = groups[Math.floor(rand() * groups.length)] as SeatGroup
    const seq = (seqInApp.get(group.appId) ?? 0) + 1
    seqInApp.set(group.appId, seq)
    const enable = rand() < 0.9 ? 0 : 1
    const country = COUNTRIES[Math.floor(rand() * COUNTRIES.length)] as [string, string]
    const created = Math.floor(SEATS_FROM + i * step + rand() * step)
    const hasNumber = rand() < 0.5
    seats.push({
      keyId: FIRST_SEAT_ID + i,
      empNo: String(i + 1).padStart(3, '0'),
      petName: rand() < 0.5 ? null : (NICKNAMES[Math.floor(rand() * NICKNAMES.length)] as string),
      name: i % 2 === 0 ? `坐席${i + 1}` : `Agent ${i + 1}`,
      enable,
      priority: rand() < 0.8 ? 1 : 2,
      voiceGroupId: group.voiceGroupId,
      account: `${prefix.get(group.appId)}_${String(seq).padStart(3, '0')}`,
      password: randomText(rand, 8),
      createTime: created,
      updateTime: created + Math.floor(rand() * 86400 * 30),
      displayNum: hasNumber ? `${country[0]}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}` : null,
      ccode: hasNumber ? country[0] : null,
      // A disabled seat cannot be logged in.
      status: enable === 1 ? 1 : pickState(rand()),
    })
  }
  const maxGroup = groups.reduce((m, g) => Math.max(m, g.voiceGroupId), 0)
  return new World({
    seed: input.seed,
    apps,
    groups,
    seats,
    tasks: input.tasks,
    nextGroupId: Math.max(FIRST_NEW_GROUP_ID, maxGroup + 1),
    nextSeatId: given.length > 0 ? firstId : FIRST_SEAT_ID + seats.length,
  })
}

/** The prefix of generated seat accounts, in the vendor's `0705C245_001` shape. */
export function accountPrefix(appId: string, seed: number): string {
  return `${appId.slice(-4)}C${String(mix(seed, Number(appId.replace(/\D/g, '')) || 1) % 1000).padStart(3, '0')}`
}

export function randomText(rand: () => number, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += ALNUM[Math.floor(rand() * ALNUM.length)]
  return out
}

function pickState(r: number): SeatState {
  let acc = 0
  for (const [state, weight] of STATE_WEIGHTS) {
    acc += weight
    if (r < acc) return state
  }
  return 1
}

/** A fixture's groups, plus an application for any appId its tasks name that no group has. */
function withTaskApps(fixture: WorldFixture, tasks: TaskStore): { apps: VoiceApp[]; groups: SeatGroup[] } {
  const apps = new Map(fixture.apps.map((a) => [a.appId, a]))
  if (tasks.size > 0)
    for (const app of fromTasks(tasks).apps) if (!apps.has(app.appId)) apps.set(app.appId, app)
  // Copies: the world renames groups in place, and /__admin/reset must find the file's names again.
  return { apps: [...apps.values()], groups: fixture.groups.map((g) => ({ ...g })) }
}

const GENERATED_IDS = new Set(SEAT_GROUPS.map((g) => g.id))

/** Generated stores only ever use the generated groups. */
function isGenerated(tasks: TaskStore): boolean {
  return tasks.groupSets.every((set) => set.every((g) => GENERATED_IDS.has(g)))
}

function generated(): { apps: VoiceApp[]; groups: SeatGroup[] } {
  return {
    apps: VOICE_APPS.map((a) => ({ ...a })),
    groups: SEAT_GROUPS.map((g, i) => ({
      voiceGroupId: g.id,
      appId: g.appId,
      groupName: g.name,
      callinStrategy: ((i % 4) + 1) as SeatGroup['callinStrategy'],
    })),
  }
}

/** Applications and groups named by fixture tasks (a group takes the app of the first task using it). */
function fromTasks(tasks: TaskStore): { apps: VoiceApp[]; groups: SeatGroup[] } {
  const apps = new Map<string, VoiceApp>()
  const groups = new Map<number, SeatGroup>()
  const seenSets = new Set<number>()
  for (let p = 0; p < tasks.size; p++) {
    const set = tasks.groupSet[p] as number
    if (seenSets.has(set)) continue
    seenSets.add(set)
    const record = tasks.record(p, 480)
    if (!apps.has(record.appId))
      apps.set(record.appId, { appId: record.appId, appName: `应用 ${record.appId}` })
    const names = record.voiceGroupId.length === 1 ? [record.seatGroupName] : []
    record.voiceGroupId.forEach((id, i) => {
      if (!groups.has(id)) {
        groups.set(id, {
          voiceGroupId: id,
          appId: record.appId,
          groupName: names[i] ?? `group ${id}`,
          callinStrategy: 4,
        })
      }
    })
  }
  if (apps.size === 0) apps.set(VOICE_APPS[0]?.appId ?? '1000009', { ...(VOICE_APPS[0] as VoiceApp) })
  return {
    apps: [...apps.values()],
    groups: [...groups.values()].sort((a, b) => a.voiceGroupId - b.voiceGroupId),
  }
}
