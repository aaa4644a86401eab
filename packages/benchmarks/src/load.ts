import autocannon, { type RequestSpec, type Result } from 'autocannon'
import { ENDPOINT_PATH, isSuccessEnvelope, QUERY_BODY } from './fixtures.js'
import { waitForSuccess } from './http.js'
import type { ServerProcess } from './processes.js'

export interface LoadSpec {
  url: string
  path: string
  headers: Record<string, string>
  body: string
  connections: number
}

export interface RoundResult {
  rps: number
  p50: number
  p99: number
  total: number
  /** Answers with an HTTP 2xx status. */
  ok2xx: number
  errors: number
  non2xx: number
  timeouts: number
  status5xx: number
}

export function toRound(r: Result): RoundResult {
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    ok2xx: r['2xx'],
    errors: r.errors,
    non2xx: r.non2xx,
    timeouts: r.timeouts,
    status5xx: r['5xx'],
  }
}

/** One bounded autocannon run (duration in seconds) against 127.0.0.1. */
export async function loadRound(spec: LoadSpec, seconds: number): Promise<RoundResult> {
  const result = await autocannon({
    url: spec.url + spec.path,
    method: 'POST',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: seconds,
    timeout: 10,
  })
  return toRound(result)
}

/**
 * A short, untimed run whose every response body is parsed: counts answers that are not
 * HTTP 2xx with in-band status 0. Costs the load generator CPU, so it is not a throughput round.
 */
export async function verifyAll(
  spec: LoadSpec,
  seconds: number,
): Promise<{ checked: number; bad: number; sample: string }> {
  let checked = 0
  let bad = 0
  let sample = ''
  const request: RequestSpec = {
    method: 'POST',
    path: spec.path,
    headers: spec.headers,
    body: spec.body,
    onResponse: (status, body) => {
      checked++
      if (!sample) sample = body.slice(0, 300)
      let ok = status >= 200 && status < 300
      if (ok) {
        try {
          ok = isSuccessEnvelope(JSON.parse(body))
        } catch {
          ok = false
        }
      }
      if (!ok) bad++
    },
  }
  const result = await autocannon({
    url: spec.url,
    requests: [request],
    connections: Math.min(spec.connections, 10),
    duration: seconds,
  })
  bad += result.errors + result.timeouts
  return { checked, bad, sample }
}

/**
 * Starts each server in turn (pushed into `servers` as it comes up, so the caller's cleanup stops
 * whatever started), waits until it answers the seed query, and returns one load spec per server.
 */
export async function startQueryServers(
  starters: readonly { start(): Promise<ServerProcess> }[],
  servers: ServerProcess[],
  headers: Record<string, string>,
  connections: number,
): Promise<LoadSpec[]> {
  for (const starter of starters) {
    const s = await starter.start()
    servers.push(s)
    await waitForSuccess(s.url + ENDPOINT_PATH, () => headers, QUERY_BODY, 30_000)
  }
  return servers.map((s) => ({ url: s.url, path: ENDPOINT_PATH, headers, body: QUERY_BODY, connections }))
}
