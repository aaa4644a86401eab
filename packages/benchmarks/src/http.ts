import { setTimeout as sleep } from 'node:timers/promises'
import { isSuccessEnvelope } from './fixtures.js'

/** One POST; resolves with the HTTP status and the parsed body (or the raw text when not JSON). */
export async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(url, { method: 'POST', headers, body })
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, json, text }
}

/** Polls until a request answers HTTP 2xx with in-band status 0; returns the elapsed time. */
export async function waitForSuccess(
  url: string,
  headers: () => Record<string, string>,
  body: string,
  timeoutMs = 30_000,
  intervalMs = 5,
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  let last = ''
  while (performance.now() < deadline) {
    try {
      const r = await post(url, headers(), body)
      if (r.status >= 200 && r.status < 300 && isSuccessEnvelope(r.json)) return
      last = `HTTP ${r.status}: ${r.text.slice(0, 200)}`
    } catch (err) {
      last = String(err)
    }
    await sleep(intervalMs)
  }
  throw new Error(`no successful answer from ${url} within ${timeoutMs} ms; last: ${last}`)
}
