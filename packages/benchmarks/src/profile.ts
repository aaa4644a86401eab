import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The parts of a V8 .cpuprofile this package reads. */
export interface CpuProfile {
  nodes: {
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number }
    hitCount?: number
  }[]
  samples?: number[]
  startTime: number
  endTime: number
}

export interface HotFunction {
  name: string
  location: string
  selfMs: number
  selfPct: number
}

/** Top functions by self time (aggregated by function and location), idle and GC roots included. */
export function summarizeCpuProfile(profile: CpuProfile, top = 12): HotFunction[] {
  const totalHits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0)
  const totalMs = (profile.endTime - profile.startTime) / 1000
  const msPerHit = totalHits > 0 ? totalMs / totalHits : 0
  const byKey = new Map<string, HotFunction & { hits: number }>()
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    if (hits === 0) continue
    const { functionName, url, lineNumber } = node.callFrame
    const file = url.replace(/^file:\/\//, '').replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    const location = url ? `${shorten(file)}:${lineNumber + 1}` : ''
    const name = functionName || '(anonymous)'
    const key = `${name}@${location}`
    const entry = byKey.get(key) ?? { name, location, selfMs: 0, selfPct: 0, hits: 0 }
    entry.hits += hits
    byKey.set(key, entry)
  }
  return [...byKey.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, top)
    .map(({ name, location, hits }) => ({
      name,
      location,
      selfMs: hits * msPerHit,
      selfPct: totalHits > 0 ? (100 * hits) / totalHits : 0,
    }))
}

function shorten(path: string): string {
  const i = path.indexOf('/work/main/')
  return i >= 0 ? path.slice(i + '/work/main/'.length) : path
}

/** The newest .cpuprofile written into `dir`. */
export function readNewestProfile(dir: string): CpuProfile | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
  if (files.length === 0) return undefined
  files.sort()
  return JSON.parse(readFileSync(join(dir, files[files.length - 1]!), 'utf8')) as CpuProfile
}
