import { execFile, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveMock } from '../src/serve.js'

// Runs the README's curl walk through an agent task's lifecycle against a mock on a free port, so
// the shell example stays true as the mock moves. Needs bash, curl, md5sum and base64 (Debian
// has them; the test says so and skips where they are missing).
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf("## An agent task's lifecycle with curl"))
const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
const root = fileURLToPath(new URL('../../../', import.meta.url))
const tools = ['bash', 'curl', 'md5sum', 'base64'].filter(
  (t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0,
)

describe.skipIf(tools.length > 0)(
  `README curl lifecycle${tools.length ? ` (missing: ${tools.join(', ')})` : ''}`,
  () => {
    let mock: Awaited<ReturnType<typeof serveMock>>
    beforeAll(async () => {
      // A frozen clock, as `pnpm start --now …` in "Run it": the counts do not drift while curl runs.
      mock = await serveMock({ port: 0, now: 1630468800, logLevel: 'silent' })
    })
    afterAll(async () => {
      await mock.close()
    })

    it('uploads, submits, moves the clock through 16 → 11 → 12, resends and is refused a cancel', async () => {
      expect(block).toContain('submitTask')
      const script = block.replace('B=http://127.0.0.1:4010', `B=${mock.url}`)
      // Async: the mock answers from this process's event loop.
      const { stdout: out } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
      })
      const answers = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { status?: number; data?: unknown })
      const vendor = answers.filter((a) => 'status' in a)
      const [upload, submit, q16, q11, q12, resend, cancel] = vendor
      expect(upload).toMatchObject({ status: 0, data: { numberTotalCount: 12, numberSameCount: 2 } })
      expect(submit?.status).toBe(0)
      const taskId = submit?.data as number
      const record = (a: typeof upload) =>
        (a?.data as { records: Record<string, unknown>[] } | undefined)?.records[0]
      expect(record(q16)).toMatchObject({
        taskId,
        taskStatus: 16,
        totalCount: 10,
        numberSameCount: '2',
        remark: 'demo',
      })
      expect(record(q11)).toMatchObject({ taskStatus: 11, callFinishCount: 5, remainCount: 5 })
      expect(record(q12)).toMatchObject({ taskStatus: 12, finishFlag: 1, completedRate: 100 })
      expect(resend?.status).toBe(0)
      expect(resend?.data).toBe(taskId + 1)
      expect(cancel?.status).toBe(-41)
      expect(vendor).toHaveLength(7)
    })
  },
)
