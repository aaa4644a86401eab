import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { redisServerPath, startRedisServer } from '../src/index.js'

const hasRedis = redisServerPath() !== undefined
if (!hasRedis)
  console.warn('redis-server is not installed (apt-get install redis-server): the Redis helper test skips')

/** One RESP command over a plain socket, its first reply line. */
function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
    socket.once('data', (d) => {
      resolve(d.toString().trim())
      socket.destroy()
    })
    socket.once('error', reject)
  })
}

describe.skipIf(!hasRedis)('startRedisServer', () => {
  it('starts a redis-server that answers, and stop() ends it', async () => {
    const redis = await startRedisServer()
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`)
      expect(await ping(redis.port)).toBe('+PONG')
    } finally {
      await redis.stop()
    }
    expect(redis.process.child.exitCode !== null || redis.process.child.signalCode !== null).toBe(true)
    await expect(ping(redis.port)).rejects.toThrow(/ECONNREFUSED/)
  })
})
