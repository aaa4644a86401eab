// Runs the README's examples that talk to the mock (the ```ts blocks that import the client and
// name http://127.0.0.1:4010) against a mock on a free port, so they stay runnable as the API moves.
import { readFileSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { serveMock } from '@laaffic-kit/mock-server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { KEY, SECRET } from './helpers.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((code) => code.startsWith('import ') && code.includes('http://127.0.0.1:4010'))

describe('README examples against the mock', () => {
  let mock: Awaited<ReturnType<typeof serveMock>>
  beforeAll(async () => {
    mock = await serveMock({ apiKey: KEY, apiSecret: SECRET, tasks: 30, port: 0, logLevel: 'silent' })
  })
  afterAll(async () => {
    await mock.close()
  })

  it('finds the examples (quick start, workflow, upload, lifecycle, one resource)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5)
  })

  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs: ${code.split('\n').find((l) => l.startsWith('const ') || l.startsWith('await '))}`, async () => {
      const source = code
        .replaceAll("'@laaffic-kit/client/core'", "'../src/core.js'")
        .replaceAll("'@laaffic-kit/client/seats'", "'../src/resources/seats.js'")
        .replaceAll("'@laaffic-kit/client'", "'../src/index.js'")
        .replaceAll('http://127.0.0.1:4010', mock.url)
      const file = fileURLToPath(new URL(`./.readme-example-${i}.ts`, import.meta.url))
      await writeFile(file, `${source}\nexport {}\n`)
      const env = ['LAAFFIC_API_KEY', 'LAAFFIC_API_SECRET', 'LAAFFIC_BASE_URL'].map((k) => [
        k,
        process.env[k],
      ])
      for (const [k] of env) delete process.env[k!]
      const log = vi.spyOn(console, 'log').mockImplementation(() => {})
      try {
        await import(/* @vite-ignore */ file)
        expect(log).toHaveBeenCalled()
        if (code.includes('seatGroups.delete')) {
          expect(log.mock.calls.some((args) => args[0] === -64 && args[1] === 'deleteSeatGroup')).toBe(true)
        }
        if (code.includes('previewTasks.submit')) {
          // The lifecycle: it reached calling (or later), then a terminal status, then resent or -42.
          expect(
            log.mock.calls.some((args) => [11, 12, 13, 14].includes(args[0] as number) && args[1] === '2'),
          ).toBe(true)
          expect(
            log.mock.calls.some((args) => [12, 13, 14].includes(args[0] as number) && args.length === 1),
          ).toBe(true)
          expect(
            log.mock.calls.some((args) => args[0] === 'new task' || /count is 0/.test(String(args[0]))),
          ).toBe(true)
        } else if (code.includes('previewFiles.upload')) {
          expect(log.mock.calls.some((args) => args[1] === 3 && args[2] === 1)).toBe(true)
          expect(log.mock.calls.some((args) => args[0] === -39 && args[1] === 'uploadPreviewFile')).toBe(true)
        }
      } finally {
        log.mockRestore()
        for (const [k, v] of env) if (v !== undefined) process.env[k!] = v
        await rm(file, { force: true })
      }
    })
  })
})
