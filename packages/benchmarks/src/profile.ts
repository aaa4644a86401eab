import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The parts of a V8 .cpuprofile this package reads. */
export interface CpuProfile {
  nodes: {
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number }
    hitCount?: number
    children?: number[]
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

/** Self time aggregated by package (node_modules name, workspace package, or node: internals). */
export function summarizeByPackage(
  profile: CpuProfile,
  top = 12,
): { name: string; selfMs: number; selfPct: number }[] {
  const totalHits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0)
  const msPerHit = totalHits > 0 ? (profile.endTime - profile.startTime) / 1000 / totalHits : 0
  const byPkg = new Map<string, number>()
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    if (hits === 0) continue
    const name = packageOf(node.callFrame.url, node.callFrame.functionName)
    byPkg.set(name, (byPkg.get(name) ?? 0) + hits)
  }
  return [...byPkg.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, hits]) => ({
      name,
      selfMs: hits * msPerHit,
      selfPct: totalHits > 0 ? (100 * hits) / totalHits : 0,
    }))
}

/** "file:///…/node_modules/.pnpm/x/node_modules/@scalar/foo/dist/a.js" → "@scalar/foo". */
export function packageOf(url: string, functionName = ''): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)'
  if (url.startsWith('node:')) return 'node: internals'
  const nm = url.lastIndexOf('/node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/')
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!
  }
  const ws = /\/(apps|packages|spec)\/([^/]+)\//.exec(url)
  if (ws) return ws[1] === 'spec' ? '@laaffic-kit/spec' : `@laaffic-kit/${ws[2]}`
  if (/\/spec\/dist\//.test(url)) return '@laaffic-kit/spec'
  return url
}

/**
 * Inclusive time share (%) of the named functions: samples whose stack holds a frame of that
 * name, counted once per sample however deep the recursion.
 */
export function inclusiveShare(profile: CpuProfile, names: readonly string[]): Map<string, number> {
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const totalHits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0)
  const hits = new Map<string, number>(names.map((n) => [n, 0]))
  for (const node of profile.nodes) {
    const h = node.hitCount ?? 0
    if (h === 0) continue
    const seen = new Set<string>()
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const name = byId.get(id)?.callFrame.functionName ?? ''
      if (hits.has(name) && !seen.has(name)) {
        seen.add(name)
        hits.set(name, hits.get(name)! + h)
      }
    }
  }
  return new Map([...hits].map(([n, h]) => [n, totalHits > 0 ? (100 * h) / totalHits : 0]))
}
