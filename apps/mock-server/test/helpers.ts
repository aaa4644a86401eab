import { computeSign, ENDPOINT_PATH, SIGNING_TEST_VECTOR } from '@laaffic-kit/protocol'
import { createSpecValidator } from '@laaffic-kit/spec'
import type { Hono } from 'hono'
import { expect } from 'vitest'
import type { MockEnv, QueryResponse } from '../src/app.js'

export const NOW = SIGNING_TEST_VECTOR.timestamp
export const { apiKey: KEY, apiSecret: SECRET } = SIGNING_TEST_VECTOR

export const validator = createSpecValidator()

export function signed(timestamp: number = NOW, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': 'application/json;charset=UTF-8',
    'Api-Key': KEY,
    Timestamp: String(timestamp),
    Sign: computeSign(KEY, SECRET, timestamp),
    ...extra,
  }
}

/** Posts to the vendor endpoint and asserts the body fits the spec's QueryResponse. */
export async function query(
  app: Hono<MockEnv>,
  body: unknown,
  headers: Record<string, string> = signed(),
  env?: object,
): Promise<QueryResponse> {
  const res = await app.request(
    ENDPOINT_PATH,
    { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) },
    env,
  )
  expect(res.status).toBe(200)
  const json = (await res.json()) as QueryResponse
  expect(validator.errors('QueryResponse', json)).toEqual([])
  return json
}

export const page = (body: QueryResponse) => {
  if (!body.data) throw new Error(`no data: ${JSON.stringify(body)}`)
  return body.data
}

type Envelope = { status: number | string; reason: string; data?: unknown }

/** Calls any vendor operation (POST body, or GET query) and checks HTTP 200 and the envelope shape. */
export async function call(
  app: Hono<MockEnv>,
  path: string,
  body: unknown,
  headers: Record<string, string> = signed(),
): Promise<Envelope> {
  const get = path.includes('?') || path.endsWith('/deleteGroup')
  const res = await app.request(
    path,
    get
      ? { method: 'GET', headers }
      : { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) },
  )
  expect(res.status).toBe(200)
  const json = (await res.json()) as Envelope
  expect(typeof json.reason).toBe('string')
  return json
}

/** Signed headers for another account. */
export function signedAs(apiKey: string, apiSecret: string, timestamp: number = NOW): Record<string, string> {
  return {
    'Content-Type': 'application/json;charset=UTF-8',
    'Api-Key': apiKey,
    Timestamp: String(timestamp),
    Sign: computeSign(apiKey, apiSecret, timestamp),
  }
}

/** 2025-02-01 00:00:00 UTC: a clock after the generated seats were created, for their call statistics. */
export const LATER = 1738368000
export const WINDOW = { strTime: '2025-01-01 00:00:00', endTime: '2025-01-31 00:00:00' }
