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
