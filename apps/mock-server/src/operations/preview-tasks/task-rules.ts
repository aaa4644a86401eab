import { COUNTRIES } from '../../dataset.js'
import type { MockOptions } from '../../options.js'
import { KNOWN_CCODES } from '../../state/countries.js'
import type { NewTask, TaskRef } from '../../state/tasks/task-book.js'
import type { World } from '../../state/world.js'
import { fail, type Outcome } from '../operation.js'

/** Wrong task state (the resendTask page's code; editTask and cancelTask use it too [I]). */
export const WRONG_STATE = -41
export const NO_NUMBERS = -42
export const GROUP_NOT_IN_APP = -74
export const NO_MINIMUM_RATE = -77
export const DATA_LIMIT = -23

const COUNTRY_NAMES = new Map(COUNTRIES)

/** The fields submitTask and resendTask share. */
export interface TaskSettings {
  type: 0 | 1
  voiceGroupId?: number[] | undefined
  appId?: string | undefined
  calloutRate?: number | undefined
  remark?: string | undefined
  ccode?: string | undefined
  displayNum?: string | undefined
}

export type Plan = Omit<
  NewTask,
  'fileName' | 'filePath' | 'numberTotalCount' | 'numberSameCount' | 'totalCount' | 'startDelay'
>

/**
 * Numbers per minute a task dials: a fixed rate for an automatic call; for a group call its
 * calloutRate times the group's enabled seats (whatever their live state) times `seatDialRate`,
 * fixed when submitted or edited so that it is a function of the writes, not of when a replica
 * happens to look.
 */
export function dialRate(
  world: World,
  options: MockOptions,
  type: 0 | 1,
  groups: readonly number[],
  calloutRate: number,
): number {
  if (type === 0) return options.autoDialRate
  const seats = groups.reduce((n, g) => n + world.enabledSeats(g), 0)
  if (seats > 0) return calloutRate * seats * options.seatDialRate
  return options.idleGroupDialing === 'stall' ? 0 : options.autoDialRate
}

/**
 * The checks submitTask and resendTask share, in this order: calloutRate cap (-22), country
 * code (-22), application (unknown: `missingIdStatus`; no minimum rate: -77), groups (unknown
 * or of another application: -74), the account's task quota (-23).
 */
export function planTask(
  world: World,
  options: MockOptions,
  s: TaskSettings,
): { plan: Plan } | { failure: Outcome } {
  const no = (status: number, detail?: string) => ({ failure: fail(status, detail) })
  if (s.calloutRate !== undefined && s.calloutRate > options.calloutRateMax) {
    return no(-22, `calloutRate must be at most ${options.calloutRateMax} (got ${s.calloutRate})`)
  }
  if (s.ccode !== undefined && !KNOWN_CCODES.has(s.ccode)) {
    return no(-22, `ccode ${s.ccode} is not a country calling code the mock knows`)
  }
  if (s.appId !== undefined && !world.app(s.appId)) {
    return no(options.missingIdStatus, 'appId is not an application of this account')
  }
  const groups = s.voiceGroupId ?? []
  let appId = s.appId
  for (const id of groups) {
    const group = world.groups.get(id)
    if (!group) {
      return s.appId === undefined
        ? no(options.missingIdStatus, `voiceGroupId ${id} does not exist`)
        : no(GROUP_NOT_IN_APP, `voiceGroupId ${id} is not a seat group of the application`)
    }
    appId ??= group.appId
    if (group.appId !== appId) {
      return no(GROUP_NOT_IN_APP, `voiceGroupId ${id} belongs to another application`)
    }
  }
  // An automatic call naming neither: the account's first application.
  appId ??= (world.apps[0] as { appId: string }).appId
  if (options.appsWithoutRate.includes(appId)) return no(NO_MINIMUM_RATE)
  if (world.agentTasks.runtimeCount >= options.taskQuota) {
    return no(DATA_LIMIT, `an account holds at most ${options.taskQuota} tasks created through the API`)
  }
  const calloutRate = s.calloutRate ?? 1
  return {
    plan: {
      type: s.type,
      groups,
      seatGroupName: groups.map((g) => world.groups.get(g)?.groupName ?? '').join(','),
      appId,
      calloutRate,
      remark: s.remark ?? null,
      ccode: s.ccode ?? null,
      codeName: s.ccode === undefined ? null : (COUNTRY_NAMES.get(s.ccode) ?? null),
      displayNum: s.displayNum ?? null,
      rate: dialRate(world, options, s.type, groups, calloutRate),
    },
  }
}

function typeOf(book: World['agentTasks'], ref: TaskRef): number {
  return ref.kind === 'runtime' ? ref.task.type : (book.generated.store.taskType[ref.position] as number)
}

const STATUS_NAMES: Record<number, string> = {
  1: 'enabled',
  2: 'disabled',
  11: 'calling',
  12: 'completed',
  13: 'submit failed',
  14: 'cancelled',
  15: 'paused',
  16: 'submitting',
}

/** What a write does to an existing task; each has its own status rule (an option). */
export type TaskAction = 'edit' | 'cancel' | 'resend'

const RULES: Record<TaskAction, { statuses: (o: MockOptions) => readonly number[]; flag: string }> = {
  edit: { statuses: (o) => o.editStatuses, flag: '--edit-statuses' },
  cancel: { statuses: (o) => o.cancelStatuses, flag: '--cancel-statuses' },
  resend: { statuses: (o) => o.resendStatuses, flag: '--resend-statuses' },
}

/**
 * The task a request names, brought to `now`, if the action may apply to it: otherwise
 * `missingIdStatus` (no such task), -22 (an automatic call, with `--edit-cancel-types
 * group-call`) or -41 (its status is not in the action's list), with the reason.
 */
export function taskInState(
  world: World,
  options: MockOptions,
  taskId: number | string,
  now: number,
  action: TaskAction,
): { ref: TaskRef } | { failure: Outcome } {
  const id = Number(taskId)
  // As sent: a digit string past 2^53 would print rounded as a number.
  const shown = String(taskId)
  const book = world.agentTasks
  book.advance(now)
  const ref = book.find(id)
  if (!ref) return { failure: fail(options.missingIdStatus, `taskId ${shown} does not exist`) }
  if (action !== 'resend' && options.editCancelTypes === 'group-call' && typeOf(book, ref) !== 1) {
    return {
      failure: fail(-22, `task ${shown} is an automatic call (type 0); --edit-cancel-types is group-call`),
    }
  }
  const { statuses, flag } = RULES[action]
  const allowed = statuses(options)
  const status = book.statusOf(ref, now)
  if (!allowed.includes(status)) {
    return {
      failure: fail(
        WRONG_STATE,
        `task ${shown} is ${status} (${STATUS_NAMES[status] ?? 'unknown'}); ${flag} allows ${allowed.join(',') || 'none'}`,
      ),
    }
  }
  return { ref }
}
