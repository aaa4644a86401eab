import { describe, expect, it } from 'vitest'
import { TaskIterator } from '../src/index.js'
import { client, ok, page, record, stubFetch } from './helpers.js'

/** A fake server over `n` records that honours current/size like MyBatis-Plus. */
function server(n: number, over: { pages?: (real: number) => number } = {}) {
  const all = Array.from({ length: n }, (_, i) => record(n - i))
  return stubFetch(async (req) => {
    const { current, size } = (await req.json()) as { current: number; size: number }
    const real = Math.ceil(n / size)
    return ok(
      page(all.slice((current - 1) * size, current * size), {
        total: n,
        size,
        current,
        pages: over.pages ? over.pages(real) : real,
      }),
    )
  })
}

describe('iterateTasks', () => {
  it('walks every page once with default size 100, starting at 1', async () => {
    const { fetch, requests } = server(250)
    const iter = client({ fetch }).iterateTasks({ params: { taskStatus: [12] } })
    expect(iter).toBeInstanceOf(TaskIterator)
    const ids: number[] = []
    for await (const task of iter) ids.push(task.taskId)
    expect(ids).toHaveLength(250)
    expect(new Set(ids).size).toBe(250)
    const bodies = await Promise.all(requests.map((r) => r.json()))
    expect(bodies).toEqual([1, 2, 3].map((current) => ({ current, size: 100, params: { taskStatus: [12] } })))
  })

  it('pages() yields pages and toArray() collects records', async () => {
    const { fetch } = server(31)
    const c = client({ fetch })
    const pages = []
    for await (const p of c.iterateTasks({ size: 10, params: {} }).pages()) pages.push(p.current)
    expect(pages).toEqual([1, 2, 3, 4])
    expect(await c.iterateTasks({ size: 10, current: 3, params: {} }).toArray()).toHaveLength(11)
  })

  it('makes one request for an empty result', async () => {
    const { fetch } = server(0)
    expect(await client({ fetch }).iterateTasks({ params: {} }).toArray()).toEqual([])
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('stops on an empty page even if the server claims more pages', async () => {
    const { fetch } = server(5, { pages: () => 1_000_000 })
    expect(await client({ fetch }).iterateTasks({ size: 2, params: {} }).toArray()).toHaveLength(5)
    expect(fetch).toHaveBeenCalledTimes(4)
  })

  it('is lazy: breaking out stops fetching', async () => {
    const { fetch } = server(500)
    for await (const task of client({ fetch }).iterateTasks({ size: 10, params: {} })) {
      if (task.taskId < 495) break
    }
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('propagates errors from a page', async () => {
    const { fetch } = stubFetch(
      ok(page([record(1)], { pages: 2, total: 2, size: 1 })),
      new Response('x', { status: 400 }),
    )
    await expect(client({ fetch }).iterateTasks({ size: 1, params: {} }).toArray()).rejects.toThrow(
      'HTTP 400',
    )
  })
})
