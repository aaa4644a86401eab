import type { TaskStore } from '../dataset.js'
import { TaskIndex } from '../task-index.js'
import { SortedIds } from './sorted-ids.js'
import { TaskBook } from './tasks/task-book.js'

/** A voice application: created in the vendor's web client, never through the API. */
export interface VoiceApp {
  appId: string
  appName: string
}

export type CallinStrategy = 1 | 2 | 3 | 4

export interface SeatGroup {
  voiceGroupId: number
  appId: string
  groupName: string
  callinStrategy: CallinStrategy
}

/** Live seat states of the seat/query page: 1 offline, 2 idle, 3 busy (in a call), 4 after-call work, 5 short break. */
export type SeatState = 1 | 2 | 3 | 4 | 5
export const SEAT_STATES: readonly SeatState[] = [1, 2, 3, 4, 5]
/** The state in which a seat is in a call: updateSeat and batchingSeat refuse it with -67. */
export const IN_CALL: SeatState = 3

export interface Seat {
  keyId: number
  empNo: string
  petName: string | null
  name: string
  enable: 0 | 1
  priority: number
  voiceGroupId: number
  account: string
  password: string
  /** Unix seconds. */
  createTime: number
  updateTime: number
  displayNum: string | null
  ccode: string | null
  status: SeatState
}

/** A number file preview/upload stored: what submitTask will dial. */
export interface NumberFile {
  filePath: string
  fileName: string
  /** Number rows (duplicates included) and rows repeating an earlier number. */
  totalCount: number
  sameCount: number
  /** Each number once, in file order, joined by newlines (one string: ~14 bytes a number, not ~60). */
  uniqueNumbers: string
  uniqueCount: number
  /** Unix seconds. */
  uploadedAt: number
}

/**
 * Numbers kept per account across its uploaded files (ten full 100,000-row files, ~14 MB); past
 * it the oldest files are dropped, so a client uploading in a loop cannot exhaust the mock.
 */
export const MAX_STORED_NUMBERS = 1_000_000

/**
 * One account's data: applications, seat groups, seats and tasks. Generated from a seed and
 * changed only by API calls and admin actions. Deleted groups and seats are removed from every
 * list (the vendor's logical `deleteFlag` stays internal: nothing deleted is ever listed again).
 */
export class World {
  readonly apps: readonly VoiceApp[]
  readonly #appById: Map<string, VoiceApp>
  readonly groups = new Map<number, SeatGroup>()
  readonly seats = new Map<number, Seat>()
  /** Live group ids, ascending (ids are allocated ascending, so this is creation order). */
  readonly groupIds = new SortedIds()
  /** Live seat ids, ascending, and per group. */
  readonly seatIds = new SortedIds()
  readonly #seatsOfGroup = new Map<number, SortedIds>()
  readonly #empNos = new Map<string, number>()
  /** Live group id by application and name (names are unique per application). */
  readonly #groupByName = new Map<string, number>()
  readonly tasks: TaskStore
  readonly taskIndex: TaskIndex
  /** Generated and API-created tasks, one list for preview/query; moves along the clock. */
  readonly agentTasks: TaskBook
  #nextGroupId: number
  #nextSeatId: number
  /** Uploaded number files by filePath, oldest first. */
  readonly files = new Map<string, NumberFile>()
  #uploads = 0
  #storedNumbers = 0

  constructor(init: {
    seed: number
    apps: readonly VoiceApp[]
    groups: readonly SeatGroup[]
    seats: readonly Seat[]
    tasks: TaskStore
    nextGroupId: number
    nextSeatId: number
  }) {
    this.seed = init.seed
    this.apps = init.apps
    this.#appById = new Map(init.apps.map((a) => [a.appId, a]))
    for (const g of init.groups) this.addGroup(g)
    for (const s of init.seats) this.addSeat(s)
    this.tasks = init.tasks
    this.taskIndex = new TaskIndex(init.tasks)
    this.agentTasks = new TaskBook(this.taskIndex, init.seed)
    this.#nextGroupId = init.nextGroupId
    this.#nextSeatId = init.nextSeatId
  }

  readonly seed: number

  app(appId: string): VoiceApp | undefined {
    return this.#appById.get(appId)
  }

  /** A live group with this name in the application, if any (an index: addGroup at 50k groups scanned 1.8 ms). */
  groupNamed(appId: string, groupName: string): SeatGroup | undefined {
    const id = this.#groupByName.get(nameKey(appId, groupName))
    return id === undefined ? undefined : this.groups.get(id)
  }

  /** Renames a live group, keeping the name index right. */
  renameGroup(voiceGroupId: number, groupName: string): void {
    const group = this.groups.get(voiceGroupId)
    if (!group) return
    this.#groupByName.delete(nameKey(group.appId, group.groupName))
    group.groupName = groupName
    this.#groupByName.set(nameKey(group.appId, groupName), voiceGroupId)
  }

  allocateGroupId(): number {
    return this.#nextGroupId++
  }

  allocateSeatId(): number {
    return this.#nextSeatId++
  }

  addGroup(group: SeatGroup): void {
    this.groups.set(group.voiceGroupId, group)
    this.#groupByName.set(nameKey(group.appId, group.groupName), group.voiceGroupId)
    this.groupIds.add(group.voiceGroupId)
    this.#seatsOfGroup.set(group.voiceGroupId, new SortedIds())
  }

  deleteGroup(voiceGroupId: number): void {
    const group = this.groups.get(voiceGroupId)
    if (group && this.#groupByName.get(nameKey(group.appId, group.groupName)) === voiceGroupId) {
      this.#groupByName.delete(nameKey(group.appId, group.groupName))
    }
    this.groups.delete(voiceGroupId)
    this.groupIds.delete(voiceGroupId)
    this.#seatsOfGroup.delete(voiceGroupId)
  }

  /** Live seat ids of a group, ascending (empty for an unknown group). */
  seatsOfGroup(voiceGroupId: number): SortedIds {
    return this.#seatsOfGroup.get(voiceGroupId) ?? EMPTY
  }

  countSeat(voiceGroupId: number): number {
    return this.seatsOfGroup(voiceGroupId).size
  }

  addSeat(seat: Seat): void {
    this.seats.set(seat.keyId, seat)
    this.seatIds.add(seat.keyId)
    this.#seatsOfGroup.get(seat.voiceGroupId)?.add(seat.keyId)
    this.#empNos.set(seat.empNo, seat.keyId)
  }

  /** Replaces a live seat's fields, keeping the group lists and the empNo index right. */
  updateSeat(keyId: number, next: Seat): void {
    const prev = this.seats.get(keyId)
    if (!prev) return
    if (prev.voiceGroupId !== next.voiceGroupId) {
      this.#seatsOfGroup.get(prev.voiceGroupId)?.delete(keyId)
      this.#seatsOfGroup.get(next.voiceGroupId)?.add(keyId)
    }
    if (prev.empNo !== next.empNo) {
      this.#empNos.delete(prev.empNo)
      this.#empNos.set(next.empNo, keyId)
    }
    this.seats.set(keyId, next)
  }

  deleteSeat(keyId: number): void {
    const seat = this.seats.get(keyId)
    if (!seat) return
    this.seats.delete(keyId)
    this.seatIds.delete(keyId)
    this.#seatsOfGroup.get(seat.voiceGroupId)?.delete(keyId)
    if (this.#empNos.get(seat.empNo) === keyId) this.#empNos.delete(seat.empNo)
  }

  /** The live seat holding an employee number, if any. */
  seatWithEmpNo(empNo: string): number | undefined {
    return this.#empNos.get(empNo)
  }

  /** Keeps an uploaded file, dropping the oldest ones while more than MAX_STORED_NUMBERS are kept. */
  addFile(file: NumberFile): void {
    this.files.set(file.filePath, file)
    this.#storedNumbers += file.uniqueCount
    for (const [path, old] of this.files) {
      if (this.#storedNumbers <= MAX_STORED_NUMBERS || old === file) break
      this.files.delete(path)
      this.#storedNumbers -= old.uniqueCount
    }
  }

  /** 1, 2, 3… per account: part of each stored file's path. */
  nextUpload(): number {
    return ++this.#uploads
  }

  /** Whether a seat's group is used by a task calling at `now` (batchingSeat -68). */
  inRunningTask(seat: Seat, now: number): boolean {
    this.agentTasks.advance(now)
    return this.agentTasks.groupInCallingTask(seat.voiceGroupId)
  }

  /** Enabled seats of a group: what a group call dials through, whatever their live state. */
  enabledSeats(voiceGroupId: number): number {
    let n = 0
    for (const id of this.seatsOfGroup(voiceGroupId).values()) if (this.seats.get(id)?.enable === 0) n++
    return n
  }
}

const EMPTY = new SortedIds()

const nameKey = (appId: string, groupName: string) => `${appId}\u0000${groupName}`
