import { randomBytes } from 'node:crypto'
import { rename, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { HarHeader } from './redact.js'

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/). Every value here is already
// redacted by the caller: this module only shapes and writes.

export interface HarEntry {
  startedDateTime: string
  time: number
  request: {
    method: string
    url: string
    httpVersion: string
    cookies: []
    headers: HarHeader[]
    queryString: { name: string; value: string }[]
    postData?: { mimeType: string; text: string }
    headersSize: -1
    bodySize: number
  }
  response: {
    status: number
    statusText: string
    httpVersion: string
    cookies: []
    headers: HarHeader[]
    content: { size: number; mimeType: string; text?: string }
    redirectURL: ''
    headersSize: -1
    bodySize: number
    _error?: string
  }
  cache: Record<string, never>
  timings: { send: number; wait: number; receive: number }
  comment?: string
  _laaffic: {
    operationId: string
    outcome: string
    violations: { field: string; rule: string }[]
  }
}

/**
 * Keeps the recording and rewrites the whole file after every exchange: a temp file in the same
 * directory, then rename, so the file on disk is always a complete HAR (a killed proxy loses
 * nothing recorded). Writes are chained: one at a time, in order, the last one holding everything.
 */
export class HarRecorder {
  readonly #entries: HarEntry[] = []
  #chain: Promise<void> = Promise.resolve()
  #failed: Error | undefined

  constructor(
    readonly path: string,
    readonly creatorVersion: string,
  ) {}

  /** The first write error, if any (the proxy keeps serving; the CLI reports it). */
  get error(): Error | undefined {
    return this.#failed
  }

  /** Writes the empty log now, so a bad path fails at startup rather than at the first request. */
  async start(): Promise<void> {
    await this.#write()
  }

  add(entry: HarEntry): Promise<void> {
    this.#entries.push(entry)
    return this.flush()
  }

  /** Resolves once everything added so far is on disk. */
  flush(): Promise<void> {
    this.#chain = this.#chain.then(
      () => this.#write(),
      () => this.#write(),
    )
    return this.#chain.catch((err: Error) => {
      this.#failed ??= err
    })
  }

  async #write(): Promise<void> {
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'laaffic-mock proxy', version: this.creatorVersion },
        entries: this.#entries,
      },
    }
    const temp = join(dirname(this.path), `.${basename(this.path)}.${randomBytes(4).toString('hex')}.tmp`)
    try {
      await writeFile(temp, `${JSON.stringify(har, null, 2)}\n`, { mode: 0o600 })
      await rename(temp, this.path)
    } catch (err) {
      await unlink(temp).catch(() => {})
      throw err
    }
  }
}
