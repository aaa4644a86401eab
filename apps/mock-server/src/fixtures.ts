import { storeFromRecords, type TaskRecord, type TaskStore } from './dataset.js'
import { specValidator } from './operations/schema-validation.js'
import { OptionError } from './options.js'
import { type WorldFixture, worldFixture } from './state/world-fixtures.js'
import { parseWallClock } from './time.js'

function recordsOf(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc
  if (typeof doc !== 'object' || doc === null) return undefined
  const o = doc as Record<string, unknown>
  if (Array.isArray(o.records)) return o.records
  const data = o.data as Record<string, unknown> | undefined
  if (data && Array.isArray(data.records)) return data.records
  return undefined
}

/**
 * Checks fixture records against the spec's TaskRecord schema and builds a store. Errors
 * name the record index, its taskId when it has one, and the field, e.g.
 * `record 3 (taskId 42): /createTime must match pattern ...`.
 */
export function storeFromFixtures(doc: unknown, utcOffsetMinutes: number, label = 'fixtures'): TaskStore {
  const records = recordsOf(doc)
  if (!records)
    throw new OptionError(
      `${label}: expected an array of task records, {"records":[...]} or a response envelope`,
    )
  const epochs: number[] = []
  const seen = new Map<number, number>()
  records.forEach((rec, i) => {
    const id =
      typeof rec === 'object' && rec !== null && typeof (rec as TaskRecord).taskId === 'number'
        ? ` (taskId ${(rec as TaskRecord).taskId})`
        : ''
    const problems = specValidator().errors('TaskRecord', rec)
    if (problems.length > 0)
      throw new OptionError(`${label}: record ${i}${id}: ${problems.slice(0, 3).join('; ')}`)
    const r = rec as TaskRecord
    const extra = Object.keys(r).filter((k) => !(k in REQUIRED))
    if (extra.length > 0)
      throw new OptionError(`${label}: record ${i}${id}: /${extra[0]} is not a TaskRecord field`)
    const parsed = parseWallClock(r.createTime, utcOffsetMinutes)
    if (!parsed) throw new OptionError(`${label}: record ${i}${id}: /createTime is not a real date-time`)
    const dup = seen.get(r.taskId)
    if (dup !== undefined)
      throw new OptionError(`${label}: record ${i}${id}: /taskId duplicates record ${dup}`)
    seen.set(r.taskId, i)
    epochs.push(parsed.epochSeconds)
  })
  return storeFromRecords(records as TaskRecord[], epochs)
}

const REQUIRED: Record<keyof TaskRecord, true> = {
  taskId: true,
  voiceGroupId: true,
  seatGroupName: true,
  createTime: true,
  remainCount: true,
  totalCount: true,
  remark: true,
  ccode: true,
  codeName: true,
  taskStatus: true,
  taskType: true,
  finishFlag: true,
  completedRate: true,
  groupTaskId: true,
  transfersNum: true,
  callFailuresNum: true,
  callingNumber: true,
  displayNum: true,
  numberTotalCount: true,
  callFinishCount: true,
  numberSameCount: true,
  appId: true,
  calloutRate: true,
  fileName: true,
  filePath: true,
}

/**
 * `--data <file>`: reads and validates a fixture file. Only the CLI's side needs a file system;
 * node:fs is reached through `process.getBuiltinModule` (Node, Bun, Deno) rather than a static
 * import, so the app's module graph (createMockApp takes `records`) stays free of it.
 */
export function loadFixtureFile(path: string, utcOffsetMinutes: number): TaskStore {
  return loadFixtureWorld(path, utcOffsetMinutes).store
}

/** `--data <file>` whole: its tasks, and its seat groups and seats when it has them. */
export function loadFixtureWorld(
  path: string,
  utcOffsetMinutes: number,
): { store: TaskStore; world: WorldFixture | undefined } {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs')
  if (!fs) throw new OptionError(`--data ${path}: this runtime has no file system; pass records instead`)
  let text: string
  try {
    text = fs.readFileSync(path, 'utf8')
  } catch (err) {
    throw new OptionError(`--data ${path}: cannot read (${(err as { code?: string }).code ?? 'error'})`)
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new OptionError(`--data ${path}: not valid JSON (${(err as Error).message.split('\n')[0]})`)
  }
  return {
    store: storeFromFixtures(doc, utcOffsetMinutes, `--data ${path}`),
    world: worldFixture(doc, utcOffsetMinutes, `--data ${path}`),
  }
}
