import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { createSignVerifier, HEADER, type OperationDef, STATUS, signHeaders } from '@laaffic-kit/protocol'
import { checkCredentials } from '../auth.js'
import { reasonFor } from '../faults.js'
import { urlHost } from '../serve.js'
import { type HarEntry, HarRecorder } from './har.js'
import type { ProxyOptions } from './options.js'
import { redactBody, redactHeaders, redactQuery } from './redact.js'
import { type ProxyReport, ReportBook } from './report.js'
import { operationFor, type Violation, validateAnswer } from './validate.js'

export interface RunningProxy {
  url: string
  port: number
  report(): ProxyReport
  /** The recorder, when --record was given (its `error` says whether a write failed). */
  recorder: HarRecorder | undefined
  /** Stops accepting, waits for in-flight exchanges' recording, resolves when closed. */
  close(): Promise<void>
}

export interface ProxyDeps {
  /** The HAR creator version. */
  version?: string
  /** Unix seconds (tests freeze it). */
  now?: () => number
}

/** Connection-level headers a proxy must not pass on (RFC 9110 §7.6.1), plus what fetch sets itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
  'content-encoding',
])
const CREDENTIALS = new Set([HEADER.apiKey, HEADER.timestamp, HEADER.sign].map((h) => h.toLowerCase()))

/**
 * The largest request body forwarded: preview/upload's base64 of the mock's largest number file
 * (100 MiB decoded) fits; anything larger is refused before it is read into memory.
 */
export const MAX_REQUEST_BYTES = 140 * 1024 * 1024

const json = (status: number, body: unknown, extra: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extra },
  })

/** Why an upstream call failed, in words a caller can act on (never the URL's secrets: it has none). */
function describeFailure(err: unknown, timedOut: boolean, timeoutMs: number): { http: number; text: string } {
  if (timedOut) return { http: 504, text: `upstream did not answer within ${timeoutMs} ms` }
  const e = err as { cause?: { code?: string }; code?: string }
  const code = e.cause?.code ?? e.code
  if (code === 'ECONNREFUSED') return { http: 502, text: 'upstream refused the connection (ECONNREFUSED)' }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return { http: 502, text: 'upstream closed the connection before answering' }
  }
  return { http: 502, text: `upstream request failed${code ? ` (${code})` : ''}` }
}

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Starts the re-signing proxy on a real socket (port 0 picks a free one). */
export async function startProxy(options: ProxyOptions, deps: ProxyDeps = {}): Promise<RunningProxy> {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000))
  const book = new ReportBook()
  const recorder = options.record ? new HarRecorder(options.record, deps.version ?? '0.0.0') : undefined
  await recorder?.start()
  const account = { verify: createSignVerifier(options.apiKey, options.apiSecret) }
  // Everything that must never reach the recording whole; keys only when long enough that
  // removing them cannot eat ordinary text.
  const secrets: readonly string[] = [
    options.apiSecret,
    options.upstreamApiSecret,
    ...[options.apiKey, options.upstreamApiKey].filter((k) => k.length >= 4),
  ].filter((s) => s !== '')
  const pending = new Set<Promise<void>>()

  async function forward(request: Request, url: URL, op: OperationDef): Promise<Response> {
    const operationId = op.id
    const headers = new Headers()
    for (const [name, value] of request.headers) {
      if (!HOP_BY_HOP.has(name) && !CREDENTIALS.has(name)) headers.set(name, value)
    }
    // Re-signed now, with the upstream's own credentials: the caller's Sign never leaves here.
    for (const [name, value] of Object.entries(
      signHeaders(options.upstreamApiKey, options.upstreamApiSecret, now()),
    )) {
      headers.set(name, value)
    }
    const body =
      request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer()
    const target = `${options.upstream}${url.pathname}${url.search}`
    const started = Date.now()
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, options.timeoutMs)
    let answer: { status: number; statusText: string; headers: Headers; bytes: ArrayBuffer } | undefined
    let failure: { http: number; text: string } | undefined
    let waited = 0
    try {
      const res = await fetch(target, {
        method: request.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: controller.signal,
        redirect: 'manual',
      })
      waited = Date.now() - started
      answer = {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
        bytes: await res.arrayBuffer(),
      }
    } catch (err) {
      failure = describeFailure(err, timedOut, options.timeoutMs)
    } finally {
      clearTimeout(timer)
    }
    const text = answer ? new TextDecoder().decode(answer.bytes) : ''
    const ok = answer !== undefined && answer.status >= 200 && answer.status < 300
    if (answer && ok && !isJson(text)) {
      failure = { http: 502, text: `upstream answered HTTP ${answer.status} with a body that is not JSON` }
    }
    const violations: Violation[] = answer && ok && !failure ? validateAnswer(op, text) : []
    // An HTTP error from the upstream goes back as it is, but counts as trouble: the vendor
    // documents only HTTP 200 answers.
    const trouble = failure?.text ?? (answer && !ok ? `upstream answered HTTP ${answer.status}` : undefined)
    book.add(operationId, trouble ? 'upstream-error' : 'forwarded', violations)

    if (recorder) {
      const bodyText = body ? new TextDecoder().decode(body) : undefined
      const query = redactQuery(url.searchParams, secrets, options.phoneDigits)
      const entry: HarEntry = {
        startedDateTime: new Date(started).toISOString(),
        time: Date.now() - started,
        request: {
          method: request.method,
          url: `${options.upstream}${url.pathname}${query.length > 0 ? `?${query.map((q) => `${q.name}=${q.value}`).join('&')}` : ''}`,
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: redactHeaders(headers, secrets),
          queryString: query,
          ...(bodyText !== undefined
            ? {
                postData: {
                  mimeType: headers.get('content-type') ?? 'application/octet-stream',
                  text: redactBody(bodyText, secrets, options.phoneDigits),
                },
              }
            : {}),
          headersSize: -1,
          bodySize: body?.byteLength ?? 0,
        },
        response: {
          status: answer?.status ?? 0,
          statusText: answer?.statusText ?? '',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: answer ? redactHeaders(answer.headers, secrets) : [],
          content: {
            size: answer?.bytes.byteLength ?? 0,
            mimeType: answer?.headers.get('content-type') ?? 'x-unknown',
            ...(answer ? { text: redactBody(text, secrets, options.phoneDigits) } : {}),
          },
          redirectURL: '',
          headersSize: -1,
          bodySize: answer?.bytes.byteLength ?? -1,
          ...(trouble ? { _error: trouble } : {}),
        },
        cache: {},
        timings: { send: 0, wait: waited, receive: Math.max(0, Date.now() - started - waited) },
        ...(violations.length > 0 || trouble
          ? {
              comment:
                trouble ??
                `spec violations (${operationId}): ${violations.map((v) => `${v.field} ${v.rule}`).join('; ')}`,
            }
          : {}),
        _laaffic: { operationId, outcome: trouble ? 'upstream-error' : 'forwarded', violations },
      }
      // Recorded before the caller gets its answer: once a caller has seen an exchange, it is on disk.
      await recorder.add(entry)
    }

    if (failure || !answer) {
      const f = failure ?? { http: 502, text: 'upstream gave no answer' }
      return json(f.http, { error: f.text }, { 'x-laaffic-proxy-error': f.text })
    }
    const back: Record<string, string> = {}
    for (const [name, value] of answer.headers) if (!HOP_BY_HOP.has(name)) back[name] = value
    return new Response(answer.bytes, { status: answer.status, statusText: answer.statusText, headers: back })
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/__proxy/report' && request.method === 'GET') return json(200, book.toJSON())
    const op = operationFor(request.method, url.pathname)
    if (!op) {
      return json(404, {
        error: `${request.method} ${url.pathname} is not a vendor operation of the spec; not forwarded`,
      })
    }
    const header = (name: string) => request.headers.get(name) ?? undefined
    const apiKey = header(HEADER.apiKey)
    const rejection = checkCredentials(
      { apiKey, timestamp: header(HEADER.timestamp), sign: header(HEADER.sign) },
      apiKey === options.apiKey ? account : undefined,
      { timestampWindow: options.timestampWindow, signCase: 'any' },
      now(),
    )
    if (rejection) {
      book.add(op.id, 'rejected')
      return json(200, {
        status: rejection.status,
        reason: reasonFor(rejection.status, rejection.detail, secrets),
      })
    }
    const length = Number(request.headers.get('content-length') ?? '0')
    if (length > MAX_REQUEST_BYTES) {
      return json(413, { error: `request body over ${MAX_REQUEST_BYTES} bytes; not forwarded` })
    }
    const work = forward(request, url, op)
    const done = work.then(
      () => {},
      () => {},
    )
    pending.add(done)
    void done.then(() => pending.delete(done))
    return work
  }

  const server = createAdaptorServer({
    fetch: (request: Request) =>
      handle(request).catch(() =>
        json(500, { status: STATUS.SYSTEM, reason: 'laaffic-mock proxy: internal error' }),
      ),
  }) as Server
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  let closing: Promise<void> | undefined
  return {
    url: `http://${urlHost(options.host)}:${port}`,
    port,
    recorder,
    report: () => book.toJSON(),
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeIdleConnections()
          setTimeout(() => server.closeAllConnections(), 2000).unref()
        })
        await Promise.all(pending)
        await recorder?.flush()
      })()
      return closing
    },
  }
}
