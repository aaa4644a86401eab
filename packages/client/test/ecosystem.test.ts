// Packs the client and protocol as npm would publish them, installs the tarballs into a
// scratch project outside the workspace, then type-checks and runs code against them. This
// catches what in-repo tests cannot: missing files, a broken exports map, `workspace:*` left in
// a published manifest, types that only resolve inside the monorepo.
import { execFile, execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { serveMock } from '@laaffic-kit/mock-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KEY, SECRET } from './helpers.js'

const run = promisify(execFile)
const here = fileURLToPath(new URL('.', import.meta.url))
const clientDir = join(here, '..')
const protocolDir = join(here, '..', '..', 'protocol')

function has(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
const npmAvailable = has('npm')
const pnpmAvailable = has('pnpm')
if (!npmAvailable || !pnpmAvailable) {
  console.warn(`ecosystem test skipped: ${npmAvailable ? 'pnpm' : 'npm'} is not on PATH`)
}

const CHECK_TS = `
import {
  type CreatedSeat,
  createLaafficClient,
  LaafficApiError,
  ParameterError,
  type SeatRecord,
  type TaskRecord,
} from '@laaffic-kit/client'
import { createLaafficCore, LaafficApiError as CoreApiError } from '@laaffic-kit/client/core'
import { SeatGroups } from '@laaffic-kit/client/seat-groups'
import { Seats } from '@laaffic-kit/client/seats'

const client = createLaafficClient({ apiKey: 'k', apiSecret: 's', baseUrl: 'http://localhost:1' })
export async function f(): Promise<string[]> {
  const page = await client.queryTasks({ current: 1, size: 15, params: { taskStatus: [12] } })
  const counts: string[] = page.records.map((r: TaskRecord) => r.numberTotalCount)
  for await (const t of client.iterateTasks({ params: {} })) counts.push(t.appId)
  try {
    await client.queryTasks({ current: 1, size: 1, params: {} })
  } catch (e) {
    if (e instanceof ParameterError) counts.push(e.reason)
    if (e instanceof LaafficApiError) counts.push(String(e.code))
  }
  // @ts-expect-error 3 is not a task status
  await client.queryTasks({ current: 1, size: 15, params: { taskStatus: [3] } })
  return counts
}

// One resource over the slim core, through the subpath entries.
const seats = new Seats(createLaafficCore({ apiKey: 'k', apiSecret: 's', retryWrites: 'unprocessed' }))
export async function g(): Promise<Array<string | number>> {
  const window = { strTime: '2025-01-01 00:00:00', endTime: '2025-01-31 00:00:00' }
  const page = await seats.query({ current: 1, size: 15, params: window })
  const out: Array<string | number> = page.records.map((r: SeatRecord) => r.password)
  const created: CreatedSeat[] = await seats.addList({ voiceGroupId: 1, size: 1 }, { retryWrites: 'always' })
  out.push(...created.map((s) => s.keyId))
  const none: null = await new SeatGroups(createLaafficCore({ apiKey: 'k', apiSecret: 's' })).delete({ voiceGroupId: 1 })
  void none
  for await (const group of client.seatGroups.iterate({ params: {} })) out.push(group.voiceGroupId)
  try {
    await seats.batch({ type: 2, idList: [1] })
  } catch (e) {
    if (e instanceof CoreApiError && e.operation === 'batchSeats') out.push(e.meaning ?? '')
  }
  // @ts-expect-error strTime and endTime are required
  await seats.query({ current: 1, size: 15, params: {} })
  return out
}
`

const RUN_MJS = `
import { createLaafficClient, LaafficApiError, ParameterError } from '@laaffic-kit/client'
import { createLaafficCore } from '@laaffic-kit/client/core'
import { SeatGroups } from '@laaffic-kit/client/seat-groups'
const client = createLaafficClient({ apiKey: process.env.KEY, apiSecret: process.env.SECRET, baseUrl: process.env.MOCK_URL })
const records = await client.iterateTasks({ size: 10, params: {} }).toArray()
let error
try {
  await client.queryTasks({ current: 1, size: 101, params: {} })
} catch (e) {
  error = { isParameterError: e instanceof ParameterError, code: e.code }
}
// One resource over the slim core (subpath entries); its errors are the main entry's classes.
const groups = new SeatGroups(createLaafficCore({ apiKey: process.env.KEY, apiSecret: process.env.SECRET, baseUrl: process.env.MOCK_URL }))
const groupCount = (await groups.iterate({ params: {} }).toArray()).length
let deleteError
try {
  await groups.delete({ voiceGroupId: 1 })
} catch (e) {
  deleteError = { isApiError: e instanceof LaafficApiError, code: e.code, operation: e.operation }
}
console.log(JSON.stringify({ count: records.length, unique: new Set(records.map((r) => r.taskId)).size, error, groups: groupCount > 0, deleteError }))
`

describe.skipIf(!npmAvailable || !pnpmAvailable)('packed tarballs in a scratch project', () => {
  let dir = ''
  let mock: Awaited<ReturnType<typeof serveMock>> | undefined

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'laaffic-client-eco-'))
    mock = await serveMock({ apiKey: KEY, apiSecret: SECRET, tasks: 42, port: 0, logLevel: 'silent' })
  })
  afterAll(async () => {
    await mock?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('installs, type-checks (strict, nodenext) and runs against the mock', async () => {
    // pnpm (not npm) packs, so `workspace:*` becomes a real version as it would on publish.
    for (const pkg of [protocolDir, clientDir]) {
      await run('pnpm', ['pack', '--pack-destination', dir], { cwd: pkg })
    }
    const tarballs = (await readdir(dir)).filter((f) => f.endsWith('.tgz'))
    const tarball = (name: string) => {
      const file = tarballs.find((f) => f.startsWith(`laaffic-kit-${name}-`))
      if (!file) throw new Error(`no ${name} tarball in ${tarballs.join(', ')}`)
      return `file:../${file}`
    }
    const app = join(dir, 'app')
    await mkdir(app)
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'laaffic-client-scratch',
        private: true,
        type: 'module',
        dependencies: {
          '@laaffic-kit/client': tarball('client'),
          '@laaffic-kit/protocol': tarball('protocol'),
          typescript: '5.9.3',
        },
      }),
    )
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          noEmit: true,
          types: [],
        },
        include: ['check.ts'],
      }),
    )
    await writeFile(join(app, 'check.ts'), CHECK_TS)
    await writeFile(join(app, 'run.mjs'), RUN_MJS)

    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
      cwd: app,
    })
    const tsc = await run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: app }).catch(
      (e: { stdout?: string; stderr?: string }) => {
        throw new Error(`tsc failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`)
      },
    )
    expect(tsc.stdout).toBe('')

    const out = await run(process.execPath, ['run.mjs'], {
      cwd: app,
      env: { ...process.env, KEY, SECRET, MOCK_URL: mock!.url },
    })
    expect(JSON.parse(out.stdout)).toEqual({
      count: 42,
      unique: 42,
      error: { isParameterError: true, code: -22 },
      groups: true,
      deleteError: { isApiError: true, code: -24, operation: 'deleteSeatGroup' },
    })
  }, 120_000)
})
