/** Pure statistics helpers. Every input array is left untouched. */

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b)
}

/** The median; the mean of the two middle values for an even count. Throws on an empty array. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty array')
  const s = sorted(values)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/**
 * The p-th percentile (0..100) by the nearest-rank method: the smallest value such that at
 * least p % of the values are less than or equal to it. p99 of 100 samples is the 99th value.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty array')
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`)
  const s = sorted(values)
  if (p === 0) return s[0]!
  const rank = Math.ceil((p / 100) * s.length)
  return s[Math.min(rank, s.length) - 1]!
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of an empty array')
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

/** a / b, or NaN when b is 0 or either side is not finite (a table prints NaN as "n/a"). */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN
  return a / b
}

export interface Summary {
  n: number
  min: number
  median: number
  p99: number
  max: number
  mean: number
}

export function summarize(values: readonly number[]): Summary {
  const s = sorted(values)
  return {
    n: s.length,
    min: s[0]!,
    median: median(s),
    p99: percentile(s, 99),
    max: s[s.length - 1]!,
    mean: mean(s),
  }
}

/**
 * Runs `rounds` rounds of every contender in turn (A, B, C, A, B, C, ...) so slow drift of the
 * machine (thermal, other tenants) hits every contender alike. Returns the per-round results
 * for each contender, in contender order.
 */
export async function alternate<T>(
  contenders: readonly (() => Promise<T>)[],
  rounds: number,
): Promise<T[][]> {
  const out: T[][] = contenders.map(() => [])
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < contenders.length; i++) out[i]!.push(await contenders[i]!())
  }
  return out
}

/**
 * Like {@link alternate}, but the order rotates every round (A B C, B C A, C A B, ...), so no
 * contender always runs first, or always right after the same neighbour. Results come back in
 * contender order, one per round.
 */
export async function rotate<T>(contenders: readonly (() => Promise<T>)[], rounds: number): Promise<T[][]> {
  const out: T[][] = contenders.map(() => [])
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < contenders.length; j++) {
      const i = (r + j) % contenders.length
      out[i]!.push(await contenders[i]!())
    }
  }
  return out
}
