import { describe, expect, it } from 'vitest'
import { generateDataset, VENDOR_EXAMPLE_TASK } from '../src/dataset.js'
import { taskIdLookup } from '../src/task-id-lookup.js'

/** The obvious scan, as the oracle. */
function bruteForce(ids: ArrayLike<number>, id: number): number[] {
  const out: number[] = []
  for (let p = 0; p < ids.length; p++) if (ids[p] === id) out.push(p)
  return out
}

/** Every id present, plus ids around and between them that are absent. */
function probes(ids: ArrayLike<number>): number[] {
  const set = new Set<number>()
  for (let p = 0; p < ids.length; p++) {
    const v = ids[p] as number
    set.add(v)
    set.add(v + 1)
    set.add(v - 1)
    set.add(v + 0.5)
  }
  for (const v of [-1, 0, 2 ** 31, Number.NaN, Number.MAX_SAFE_INTEGER]) set.add(v)
  return [...set]
}

function expectSameAsBruteForce(ids: ArrayLike<number>, kind: string) {
  const lookup = taskIdLookup(ids)
  expect(lookup.kind).toBe(kind)
  for (const id of probes(ids)) expect(lookup.positionsOf(id), `id ${id}`).toEqual(bruteForce(ids, id))
}

/** Descending ids from a seeded walk, with steps of 1–3. */
function descending(n: number, seed = 1): number[] {
  let x = seed
  const out: number[] = []
  let id = 10_000 + 3 * n
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31
    id -= 1 + (x % 3)
    out.push(id)
  }
  return out
}

describe('taskIdLookup', () => {
  it('a generated store (with the vendor example among its ids) needs no index: descending', () => {
    const store = generateDataset({ tasks: 20_000, seed: 7 })
    expect(Array.from(store.taskId)).toContain(VENDOR_EXAMPLE_TASK.taskId)
    expectSameAsBruteForce(store.taskId, 'descending')
    for (const seed of [0, 1, 4_294_967_295]) {
      expect(taskIdLookup(generateDataset({ tasks: 3_000, seed }).taskId).kind).toBe('descending')
    }
  })

  it('descending with outliers above, below, side by side and at both ends', () => {
    const base = descending(500)
    const base400 = base[400] as number
    // Each case: [position, new id] edits of the descending ids.
    const cases: [string, [number, number][]][] = [
      ['one above', [[200, 1_000_000]]],
      ['one below', [[200, 1]]],
      [
        'two side by side',
        [
          [300, 5],
          [301, 999_999],
        ],
      ],
      ['first', [[0, 3]]],
      ['last', [[499, 2_000_000]]],
      [
        'the last two',
        [
          [498, 5],
          [499, 7],
        ],
      ],
      ['a repeat of another id', [[100, base400]]],
    ]
    for (const [name, edits] of cases) {
      const ids = [...base]
      for (const [position, id] of edits) ids[position] = id
      const lookup = taskIdLookup(ids)
      for (const id of probes(ids))
        expect(lookup.positionsOf(id), `${name}: id ${id}`).toEqual(bruteForce(ids, id))
    }
    expect(taskIdLookup(base).kind).toBe('descending')
  })

  it('ids in any order: the packed sort', () => {
    const ids = descending(3_000).reverse()
    for (let i = 0; i < ids.length; i += 7) ids[i] = (ids[i] as number) * 3
    ids.push(ids[10] as number, ids[20] as number) // repeats
    expectSameAsBruteForce(ids, 'packed')
  })

  it('ids too large to pack, or not integers: a Map', () => {
    const ascending = (n: number, at: (i: number) => number) => Array.from({ length: n }, (_, i) => at(i))
    expectSameAsBruteForce([...ascending(50, (i) => 2 ** 40 + i), 2 ** 40 + 3, 5], 'map')
    expectSameAsBruteForce([...ascending(50, (i) => i + 0.5), 7.5], 'map')
  })

  it('an empty store finds nothing', () => {
    expect(taskIdLookup([]).positionsOf(1)).toEqual([])
  })
})
