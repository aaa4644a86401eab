import { cpus, loadavg, totalmem } from 'node:os'

/** One target line: what was asked, what was measured, whether it holds. */
export interface Target {
  benchmark: string
  target: string
  measured: string
  ok: boolean
  /** How far off a missed target is, e.g. "2.3× over". */
  missedBy?: string
}

/** What one benchmark hands back to run.ts. */
export interface Section {
  id: string
  title: string
  /** Markdown body: tables and notes. */
  body: string
  targets: Target[]
  /** The exact command that reproduces this section. */
  command: string
  /** 1-minute load average before and after the benchmark (set by run.ts). */
  load?: [number, number]
}

/** The 1-minute load average: other work on the machine skews absolute numbers (ratios less so). */
export function load1(): number {
  return loadavg()[0] ?? 0
}

export interface Machine {
  cores: number
  cpu: string
  node: string
  memory: string
  platform: string
}

export function machine(): Machine {
  const c = cpus()
  return {
    cores: c.length,
    cpu: c[0]?.model.trim() ?? 'unknown',
    node: process.version,
    memory: `${Math.round(totalmem() / 1024 ** 3)} GiB`,
    platform: `${process.platform} ${process.arch}`,
  }
}

export function machineLine(m: Machine = machine()): string {
  return `${m.cores} cores, ${m.cpu}, ${m.memory} RAM, Node ${m.node}, ${m.platform}`
}

const START = (id: string): string => `<!-- bench:${id}:start -->`
const END = (id: string): string => `<!-- bench:${id}:end -->`

/** A section's Markdown, between markers so a later partial run can replace only its own sections. */
export function renderSection(s: Section, when: Date, m: Machine = machine()): string {
  return [
    START(s.id),
    `## ${s.title}`,
    '',
    `_Measured ${when.toISOString()} on ${machineLine(m)}${s.load ? `; 1-min load average ${s.load[0].toFixed(2)} before, ${s.load[1].toFixed(2)} after` : ''}._  `,
    `Command: \`${s.command}\``,
    '',
    s.body.trim(),
    `<!-- targets ${JSON.stringify(s.targets)} -->`,
    END(s.id),
  ].join('\n')
}

/**
 * Replaces the sections present in `fresh` inside `existing` (keeping the others), in the
 * order of `order`; sections never measured are left out.
 */
export function mergeSections(
  existing: string,
  fresh: Map<string, string>,
  order: readonly string[],
): string[] {
  const out: string[] = []
  for (const id of order) {
    const f = fresh.get(id)
    if (f) {
      out.push(f)
      continue
    }
    const start = existing.indexOf(START(id))
    const end = existing.indexOf(END(id))
    if (start >= 0 && end > start) out.push(existing.slice(start, end + END(id).length))
  }
  return out
}

/**
 * The order to write sections in: this build's benchmarks (`names`), then every section the file
 * already holds that this build does not know (measured by a benchmark another engineer has not
 * wired in yet, or by another branch: kept where a run would otherwise drop it), then the
 * hand-written ones (`last`).
 */
export function sectionOrder(existing: string, names: readonly string[], last: readonly string[]): string[] {
  const known = new Set([...names, ...last])
  const others = [...existing.matchAll(/<!-- bench:([\w-]+):start -->/g)]
    .map((m) => m[1] as string)
    .filter((id) => !known.has(id))
  return [...names, ...new Set(others), ...last]
}

/** The targets a section rendered earlier recorded (the summary table is rebuilt on every run). */
export function extractTargets(sectionMarkdown: string): Target[] {
  const m = /<!-- targets (.*) -->/.exec(sectionMarkdown)
  if (!m) return []
  try {
    return JSON.parse(m[1]!) as Target[]
  } catch {
    return []
  }
}
