/** Wall-clock `yyyy-MM-dd HH:mm:ss` ↔ Unix seconds in a fixed zone (minutes east of UTC). */

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

export function formatWallClock(epochSeconds: number, offsetMinutes: number): string {
  const d = new Date((epochSeconds + offsetMinutes * 60) * 1000)
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/

export interface ParsedWallClock {
  epochSeconds: number
  dateOnly: boolean
}

/** Parses `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss`; undefined for any other form or an impossible date. */
export function parseWallClock(text: string, offsetMinutes: number): ParsedWallClock | undefined {
  const m = WALL_CLOCK.exec(text)
  if (!m) return undefined
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1).map((v) => (v === undefined ? undefined : Number(v)))
  if (y === undefined || mo === undefined || d === undefined) return undefined
  const ms = Date.UTC(y, mo - 1, d, h, mi, s)
  const back = new Date(ms)
  // Date.UTC rolls 2025-02-30 over to March; a round trip catches impossible dates and times.
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s
  ) {
    return undefined
  }
  return { epochSeconds: ms / 1000 - offsetMinutes * 60, dateOnly: m[4] === undefined }
}

/** A mutable server clock: real time, optionally frozen and/or shifted. */
export class MockClock {
  #frozen: number | undefined
  #shift = 0
  readonly #initialFrozen: number | undefined

  constructor(frozen: number | undefined) {
    this.#frozen = frozen
    this.#initialFrozen = frozen
  }

  now(): number {
    return (this.#frozen ?? Math.floor(Date.now() / 1000)) + this.#shift
  }

  set(update: { now?: number | null; shift?: number }): void {
    if (update.now === null) this.#frozen = undefined
    else if (update.now !== undefined) this.#frozen = update.now
    if (update.shift !== undefined) this.#shift = update.shift
  }

  reset(): void {
    this.#frozen = this.#initialFrozen
    this.#shift = 0
  }

  state(): { now: number; frozen: boolean; shift: number } {
    return { now: this.now(), frozen: this.#frozen !== undefined, shift: this.#shift }
  }
}
