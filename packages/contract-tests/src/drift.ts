import { ENDPOINT_PATH, normalizeStatus, signHeaders, toTimestampSeconds } from '@laaffic-kit/protocol'

/** One server to compare: where it is and how to sign for it. */
export interface DriftTarget {
  name: string
  baseUrl: string
  apiKey: string
  apiSecret: string
  fetch?: typeof fetch
  /** Epoch ms, for a mock with a frozen clock. */
  now?: () => number
}

/** One request sent identically to both targets. */
export interface DriftProbe {
  name: string
  body: unknown
  /** Changes the signed headers, e.g. to send a wrong Sign or an old Timestamp. */
  tamper?: (headers: Record<string, string>) => Record<string, string>
}

export type DifferenceKind =
  | 'status'
  | 'reason'
  | 'presence'
  | 'type'
  | 'nullability'
  | 'paging'
  | 'transport'

export interface Difference {
  probe: string
  path: string
  kind: DifferenceKind
  a: string
  b: string
}

export interface DriftReport {
  a: string
  b: string
  probes: number
  differences: Difference[]
}

/**
 * Read-only requests and side-effect-free failures: safe to send to a real sandbox.
 * Each one exercises a behaviour where a mock could plausibly disagree with the vendor.
 */
export const DEFAULT_PROBES: readonly DriftProbe[] = [
  {
    name: 'seed request',
    body: { current: 1, size: 15, params: { startTime: '2025-01-10', endTime: '2025-02-10' } },
  },
  { name: 'first page, no filter', body: { current: 1, size: 15, params: {} } },
  { name: 'second page', body: { current: 2, size: 15, params: {} } },
  { name: 'page past the end', body: { current: 100000, size: 100, params: {} } },
  { name: 'size 1', body: { current: 1, size: 1, params: {} } },
  { name: 'taskStatus filter', body: { current: 1, size: 50, params: { taskStatus: [12, 15] } } },
  { name: 'finishFlag filter', body: { current: 1, size: 50, params: { finishFlag: 1 } } },
  { name: 'taskType filter', body: { current: 1, size: 50, params: { taskType: 0 } } },
  { name: 'unknown taskId', body: { current: 1, size: 15, params: { taskId: '1' } } },
  { name: 'size 101 (invalid)', body: { current: 1, size: 101, params: {} } },
  { name: 'current 0 (invalid)', body: { current: 0, size: 15, params: {} } },
  { name: 'params missing (invalid)', body: { current: 1, size: 15 } },
  { name: 'malformed date (invalid)', body: { current: 1, size: 15, params: { startTime: '10/01/2025' } } },
  {
    name: 'wrong Sign',
    body: { current: 1, size: 15, params: {} },
    tamper: (h) => ({ ...h, Sign: '0'.repeat(32) }),
  },
  {
    name: 'Timestamp one hour old',
    body: { current: 1, size: 15, params: {} },
    tamper: (h) => ({ ...h, Timestamp: String(Number(h.Timestamp) - 3600) }),
  },
]

type Outcome = { ok: true; httpStatus: number; body: unknown } | { ok: false; error: string }

async function send(target: DriftTarget, probe: DriftProbe): Promise<Outcome> {
  const now = target.now?.() ?? Date.now()
  let headers: Record<string, string> = {
    'Content-Type': 'application/json;charset=UTF-8',
    ...signHeaders(target.apiKey, target.apiSecret, toTimestampSeconds(now)),
  }
  if (probe.tamper) headers = probe.tamper(headers)
  try {
    const res = await (target.fetch ?? fetch)(new URL(ENDPOINT_PATH, target.baseUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify(probe.body),
    })
    const text = await res.text()
    try {
      return { ok: true, httpStatus: res.status, body: JSON.parse(text) }
    } catch {
      return { ok: true, httpStatus: res.status, body: { '<not JSON>': text.slice(0, 80) } }
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/**
 * Every path of a JSON value with the set of types seen there. Array items share one path
 * (`data.records[].taskId`), so records holding different data still compare by shape.
 */
export function shapeOf(
  value: unknown,
  path = '',
  out = new Map<string, Set<string>>(),
): Map<string, Set<string>> {
  const add = (p: string, t: string) => {
    const key = p || '(body)'
    const set = out.get(key) ?? new Set<string>()
    out.set(key, set.add(t))
  }
  add(path, typeName(value))
  if (Array.isArray(value)) for (const item of value) shapeOf(item, `${path}[]`, out)
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) shapeOf(v, path ? `${path}.${k}` : k, out)
  return out
}

const PAGING = ['total', 'size', 'current', 'pages', 'searchCount'] as const
const fmt = (types: Set<string> | undefined) => (types ? [...types].sort().join('|') : 'absent')

/** The differences between two answers to the same probe. */
export function compareBodies(probe: string, a: unknown, b: unknown): Difference[] {
  const out: Difference[] = []
  const diff = (path: string, kind: DifferenceKind, va: string, vb: string) =>
    out.push({ probe, path, kind, a: va, b: vb })
  const ea = (a ?? {}) as Record<string, unknown>
  const eb = (b ?? {}) as Record<string, unknown>

  const sa = normalizeStatus(ea.status)
  const sb = normalizeStatus(eb.status)
  if (sa !== sb) diff('status', 'status', String(ea.status), String(eb.status))
  if (sa === sb && sa !== 0 && ea.reason !== eb.reason)
    diff('reason', 'reason', String(ea.reason), String(eb.reason))

  const da = ea.data as Record<string, unknown> | null | undefined
  const db = eb.data as Record<string, unknown> | null | undefined
  if (da && db && typeof da === 'object' && typeof db === 'object')
    for (const key of PAGING)
      if (da[key] !== db[key]) diff(`data.${key}`, 'paging', JSON.stringify(da[key]), JSON.stringify(db[key]))

  // Record fields only compare where both sides returned records.
  const recordsComparable =
    Array.isArray(da?.records) && Array.isArray(db?.records) && da.records.length > 0 && db.records.length > 0
  const shapeA = shapeOf(a)
  const shapeB = shapeOf(b)
  for (const path of new Set([...shapeA.keys(), ...shapeB.keys()])) {
    if (path.startsWith('data.records[]') && !recordsComparable) continue
    const ta = shapeA.get(path)
    const tb = shapeB.get(path)
    if (!ta || !tb) {
      // `data` absent on one failure and null on another is the same answer.
      const nullish = (t: Set<string> | undefined) => !t || (t.size === 1 && t.has('null'))
      if (path === 'data' && nullish(ta) && nullish(tb)) continue
      if (!isUnderMissingParent(path, ta ? shapeB : shapeA)) diff(path, 'presence', fmt(ta), fmt(tb))
      continue
    }
    const nonNull = (t: Set<string>) => new Set([...t].filter((x) => x !== 'null'))
    const na = nonNull(ta)
    const nb = nonNull(tb)
    if (na.size > 0 && nb.size > 0 && fmt(na) !== fmt(nb)) diff(path, 'type', fmt(na), fmt(nb))
    else if (ta.has('null') !== tb.has('null')) diff(path, 'nullability', fmt(ta), fmt(tb))
  }
  return out
}

/** A path whose parent is itself missing on the other side is reported once, at the parent. */
function isUnderMissingParent(path: string, other: Map<string, Set<string>>): boolean {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('[]'))
  if (cut <= 0) return false
  const parent = path.slice(0, cut)
  return !other.has(parent)
}

/** Sends every probe to both targets (one after the other) and lists where they disagree. */
export async function runDrift(
  a: DriftTarget,
  b: DriftTarget,
  probes: readonly DriftProbe[] = DEFAULT_PROBES,
): Promise<DriftReport> {
  const differences: Difference[] = []
  for (const probe of probes) {
    const [ra, rb] = [await send(a, probe), await send(b, probe)]
    if (!ra.ok || !rb.ok) {
      if (ra.ok !== rb.ok || (!ra.ok && !rb.ok && ra.error !== rb.error))
        differences.push({
          probe: probe.name,
          path: '(transport)',
          kind: 'transport',
          a: ra.ok ? `HTTP ${ra.httpStatus}` : ra.error,
          b: rb.ok ? `HTTP ${rb.httpStatus}` : rb.error,
        })
      continue
    }
    if (ra.httpStatus !== rb.httpStatus)
      differences.push({
        probe: probe.name,
        path: '(http)',
        kind: 'transport',
        a: `HTTP ${ra.httpStatus}`,
        b: `HTTP ${rb.httpStatus}`,
      })
    differences.push(...compareBodies(probe.name, ra.body, rb.body))
  }
  return { a: a.name, b: b.name, probes: probes.length, differences }
}

/** Groups identical differences across probes: one row per path, kind and pair of values. */
export function summarizeDrift(report: DriftReport): Array<Omit<Difference, 'probe'> & { probes: string[] }> {
  const rows = new Map<string, Omit<Difference, 'probe'> & { probes: string[] }>()
  for (const d of report.differences) {
    const key = `${d.path}\u0000${d.kind}\u0000${d.a}\u0000${d.b}`
    const row = rows.get(key)
    if (row) row.probes.push(d.probe)
    else rows.set(key, { path: d.path, kind: d.kind, a: d.a, b: d.b, probes: [d.probe] })
  }
  return [...rows.values()].sort((x, y) => x.path.localeCompare(y.path) || x.kind.localeCompare(y.kind))
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ')

/** Markdown for humans and CI summaries. */
export function formatDriftMarkdown(report: DriftReport): string {
  const rows = summarizeDrift(report)
  const lines = [
    `# Drift: ${report.a} vs ${report.b}`,
    '',
    `${report.probes} probes, ${report.differences.length} differences in ${rows.length} groups.`,
    '',
  ]
  if (rows.length === 0) return `${lines.join('\n')}No differences.\n`
  lines.push(`| field | kind | ${cell(report.a)} | ${cell(report.b)} | probes |`, '|---|---|---|---|---|')
  for (const r of rows)
    lines.push(
      `| \`${cell(r.path)}\` | ${r.kind} | ${cell(r.a)} | ${cell(r.b)} | ${cell(r.probes.join(', '))} |`,
    )
  return `${lines.join('\n')}\n`
}
