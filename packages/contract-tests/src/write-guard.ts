import { OPERATIONS, type OperationDef, type OperationId } from '@laaffic-kit/protocol'

/**
 * Every name the suite gives a seat group on a real server starts with this, so a person (or
 * the sweeper) can tell the suite's leftovers from real groups at a glance.
 */
export const RUN_PREFIX = 'lkit-ct-'

/** What the sandbox target may always send: queries, which change nothing. */
export const READ_ONLY_OPERATIONS: readonly OperationId[] = [
  'queryPreviewTasks',
  'querySeatGroups',
  'querySeats',
]

/**
 * What it may send with LAAFFIC_SANDBOX_WRITES=1, and then only to groups and seats this run
 * created, or (uploadPreviewFile) a small number file named after the run. The agent-task
 * writes are not here and never will be (NEVER_SENT_OPERATIONS). The guard refuses any path it
 * does not know, so a future operation stays refused until someone adds it here.
 */
export const GUARDED_WRITE_OPERATIONS: readonly OperationId[] = [
  'addSeatGroup',
  'updateSeatGroup',
  'deleteSeatGroup',
  'addSeats',
  'updateSeat',
  'batchSeats',
  'uploadPreviewFile',
]

/**
 * What the sandbox target never sends, whatever the variables say: submitting and resending a
 * task dial real phone numbers and cost money; editing and cancelling one would change a real
 * account's real tasks (the run creates none there, so any task it could name is someone's).
 */
export const NEVER_SENT_OPERATIONS: readonly OperationId[] = [
  'submitPreviewTask',
  'editPreviewTask',
  'cancelPreviewTask',
  'resendPreviewTask',
]

/** The paths of NEVER_SENT_OPERATIONS, matched before anything else (any method, any base path). */
const TASK_WRITE_PATH = /\/(submitTask|resendTask|editTask|cancelTask)\b/i

/**
 * The largest upload the guard lets through (base64 characters, ~48 KB of file): the suite's
 * files are a few KB, and a stored file cannot be deleted (the API has no operation for it).
 */
export const MAX_UPLOAD_BASE64 = 64 * 1024

/** A request the guard would not let through. Thrown before anything reaches the network. */
export class WriteRefusedError extends Error {
  override readonly name = 'WriteRefusedError'
}

/** What this run created on the server, so it may touch exactly that and delete it again. */
export interface RunLedger {
  /** Names sent to addSeatGroup/updateSeatGroup (recorded before sending: a lost answer still counts). */
  readonly groupNames: Set<string>
  /** Ids of those groups, learned from querySeatGroups answers (addSeatGroup returns no id). */
  readonly groups: Set<number>
  /** Groups this run deleted: deleting one again is allowed (it proves -24) and harmless. */
  readonly deletedGroups: Set<number>
  /** Seats addSeats created in this run's groups (or that querySeats lists in them). */
  readonly seats: Set<number>
  /** `filePath`s uploadPreviewFile answered: they stay on the account (nothing deletes a file). */
  readonly files: Set<string>
}

export interface WriteGuardOptions {
  /** The real fetch (or a stub in tests). */
  inner: typeof fetch
  baseUrl: string
  /** LAAFFIC_SANDBOX_WRITES=1. */
  writes: boolean
}

export interface WriteGuard {
  /** A fetch that refuses (with WriteRefusedError) what the sandbox must never receive. */
  fetch: typeof fetch
  readonly ledger: RunLedger
  readonly writes: boolean
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const asId = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined
}
const statusOf = (body: unknown) => (isObject(body) ? Number(body.status) : Number.NaN)

/**
 * Wraps a fetch for the sandbox target. Reads pass (and teach the ledger which of this run's
 * groups and seats exist); writes pass only with `writes` on, only to what this run created,
 * and only with group names that start with RUN_PREFIX; anything else, and every path that is
 * not one of the kit's operations (task submission and resending above all), is refused.
 */
export function createWriteGuard(options: WriteGuardOptions): WriteGuard {
  const ledger: RunLedger = {
    groupNames: new Set(),
    groups: new Set(),
    deletedGroups: new Set(),
    seats: new Set(),
    files: new Set(),
  }
  const basePath = new URL(options.baseUrl).pathname.replace(/\/+$/, '')
  const operationOf = (url: URL, method: string): OperationDef => {
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname
    if (TASK_WRITE_PATH.test(path))
      throw new WriteRefusedError(
        `refused ${method} ${path}: the contract suite never submits, resends, edits or cancels a task on a real account (it would dial real numbers or change real tasks)`,
      )
    const op = OPERATIONS.find((o) => o.path === path)
    if (!op) throw new WriteRefusedError(`refused ${method} ${path}: not an operation the suite may send`)
    // Belt and braces: a task write under a path the pattern above missed is still refused.
    if (NEVER_SENT_OPERATIONS.includes(op.id))
      throw new WriteRefusedError(`refused ${op.id}: the contract suite never sends it to a real account`)
    if (op.method !== method)
      throw new WriteRefusedError(`refused ${method} ${path}: ${op.id} is a ${op.method}`)
    return op
  }

  const refuse = (op: OperationDef, why: string): never => {
    throw new WriteRefusedError(`refused ${op.id}: ${why}`)
  }
  const ownGroup = (op: OperationDef, id: unknown, alsoDeleted = false) => {
    const n = asId(id)
    if (n === undefined || !(ledger.groups.has(n) || (alsoDeleted && ledger.deletedGroups.has(n))))
      refuse(op, `voiceGroupId ${String(id)} is not a group this run created`)
    return n as number
  }
  const prefixed = (op: OperationDef, name: unknown) => {
    if (typeof name !== 'string' || !name.startsWith(RUN_PREFIX))
      refuse(op, `group names must start with ${RUN_PREFIX}`)
    return name as string
  }

  /** Checks one write against the ledger; returns what to record once the answer is in. */
  function checkWrite(op: OperationDef, url: URL, body: unknown): (answer: unknown) => void {
    if (!options.writes)
      refuse(
        op,
        'sandbox writes are off (set LAAFFIC_SANDBOX_WRITES=1 to let the suite create and delete its own group and seats)',
      )
    if (op.id === 'deleteSeatGroup') {
      const id = ownGroup(op, url.searchParams.get('voiceGroupId'), true)
      return (answer) => {
        if (statusOf(answer) === 0 || statusOf(answer) === -24) {
          ledger.groups.delete(id)
          ledger.deletedGroups.add(id)
        }
      }
    }
    if (!isObject(body)) return refuse(op, 'the body must be a JSON object')
    switch (op.id) {
      case 'addSeatGroup':
        ledger.groupNames.add(prefixed(op, body.groupName))
        return () => {}
      case 'updateSeatGroup': {
        ownGroup(op, body.voiceGroupId)
        ledger.groupNames.add(prefixed(op, body.groupName))
        return () => {}
      }
      case 'addSeats': {
        ownGroup(op, body.voiceGroupId)
        // A run needs a handful of seats; a typo here must not fill a real account.
        if (typeof body.size !== 'number' || body.size > 5) refuse(op, 'size must be at most 5')
        return (answer) => {
          const data = isObject(answer) ? answer.data : undefined
          if (Array.isArray(data))
            for (const s of data) if (isObject(s) && asId(s.keyId)) ledger.seats.add(asId(s.keyId) as number)
        }
      }
      case 'updateSeat': {
        if (!ledger.seats.has(asId(body.keyId) ?? -1))
          refuse(op, `keyId ${String(body.keyId)} is not a seat this run created`)
        ownGroup(op, body.voiceGroupId)
        return () => {}
      }
      case 'batchSeats': {
        const ids = Array.isArray(body.idList) ? body.idList : []
        if (ids.length === 0 || ids.some((id) => !ledger.seats.has(asId(id) ?? -1)))
          refuse(op, 'every id in idList must be a seat this run created')
        return (answer) => {
          if (body.type === 2 && statusOf(answer) === 0)
            for (const id of ids) ledger.seats.delete(asId(id) as number)
        }
      }
      case 'uploadPreviewFile': {
        // Stored for good: named so a person can tell it is the suite's, and kept small.
        if (typeof body.fileName !== 'string' || !body.fileName.startsWith(RUN_PREFIX))
          refuse(op, `file names must start with ${RUN_PREFIX}`)
        if (typeof body.file !== 'string' || body.file.length > MAX_UPLOAD_BASE64)
          refuse(op, `the file must be base64 of at most ${MAX_UPLOAD_BASE64} characters`)
        return (answer) => {
          const data = isObject(answer) ? answer.data : undefined
          if (isObject(data) && typeof data.filePath === 'string') ledger.files.add(data.filePath)
        }
      }
      default:
        return refuse(op, 'not a write the suite knows')
    }
  }

  /** Reads teach the ledger: ids of this run's groups (by name) and the seats listed in them. */
  function learn(op: OperationDef, answer: unknown): void {
    const data = isObject(answer) && isObject(answer.data) ? answer.data : undefined
    const records = Array.isArray(data?.records) ? data.records : []
    for (const r of records) {
      if (!isObject(r)) continue
      const group = asId(r.voiceGroupId)
      if (
        op.id === 'querySeatGroups' &&
        typeof r.groupName === 'string' &&
        ledger.groupNames.has(r.groupName) &&
        group
      )
        ledger.groups.add(group)
      if (op.id === 'querySeats' && group && ledger.groups.has(group) && asId(r.keyId))
        ledger.seats.add(asId(r.keyId) as number)
    }
  }

  const guarded: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const op = operationOf(url, request.method)
    const read = READ_ONLY_OPERATIONS.includes(op.id)
    let record: ((answer: unknown) => void) | undefined
    if (!read) {
      if (!GUARDED_WRITE_OPERATIONS.includes(op.id)) refuse(op, 'not an operation the suite may send')
      const text = op.method === 'GET' ? '' : await request.clone().text()
      let body: unknown
      try {
        body = text === '' ? undefined : JSON.parse(text)
      } catch {
        refuse(op, 'the body is not JSON')
      }
      record = checkWrite(op, url, body)
    }
    const response = await options.inner(request)
    const answer = await response
      .clone()
      .json()
      .catch(() => undefined)
    if (read) learn(op, answer)
    else record?.(answer)
    return response
  }
  return { fetch: guarded, ledger, writes: options.writes }
}
