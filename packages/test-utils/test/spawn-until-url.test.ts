import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { type SpawnedServer, SpawnUntilUrlError, spawnUntilUrl } from '../src/index.js'

const node = process.execPath
const started: SpawnedServer[] = []
const spawned: ChildProcess[] = []

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop(500)))
  for (const child of spawned.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

/** A real HTTP server on 127.0.0.1:0 that prints `before`, then its URL, then runs `after`. */
const httpServer = (before = '', after = '') => `
  ${before}
  const server = require('node:http').createServer((req, res) => res.end('ok'))
  server.listen(0, '127.0.0.1', () => {
    console.log('starting')
    console.log('listening on http://127.0.0.1:' + server.address().port)
    ${after}
  })`

async function start(script: string, options: Parameters<typeof spawnUntilUrl>[2] = {}) {
  const server = await spawnUntilUrl(node, ['-e', script], {
    onSpawn: (child) => spawned.push(child),
    ...options,
  })
  started.push(server)
  return server
}

/** Settles with the error spawnUntilUrl rejected with (fails the test when it resolved). */
async function failure(script: string, options: Parameters<typeof spawnUntilUrl>[2] = {}) {
  let child: ChildProcess | undefined
  const error = await spawnUntilUrl(node, ['-e', script], {
    ...options,
    onSpawn: (c) => {
      child = c
      spawned.push(c)
    },
  }).then(
    (server) => {
      started.push(server)
      throw new Error(`resolved with ${server.url}`)
    },
    (err: unknown) => err,
  )
  expect(error).toBeInstanceOf(SpawnUntilUrlError)
  return { error: error as SpawnUntilUrlError, child: child! }
}

const gone = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null

/** Waits (by polling, no assertion on time) until `pid` no longer exists; false after ~10 s. */
async function waitGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 500; i++) {
    try {
      process.kill(pid, 0)
      // An exited process nobody has reaped yet (its parent is gone) still answers signal 0.
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return true
    } catch {
      return true
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  return false
}

describe('spawnUntilUrl', () => {
  it('resolves with the URL a server prints, its port and the lines read; the server answers', async () => {
    const server = await start(httpServer())
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.port).toBe(Number(server.url.split(':')[2]))
    expect(server.stdoutLines).toEqual(['starting', `listening on ${server.url}`])
    expect(await (await fetch(server.url)).text()).toBe('ok')
    const exit = await server.stop()
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' })
    expect(gone(server.child)).toBe(true)
    // A second stop is harmless and reports the same exit.
    expect(await server.stop()).toEqual(exit)
  })

  it('stops a server that never prints a URL when the timeout passes, and says so', async () => {
    const { error, child } = await failure('setInterval(() => {}, 1000)', {
      timeoutMs: 300,
      name: 'quiet server',
    })
    expect(error.reason).toBe('timeout')
    expect(error.message).toContain('quiet server did not print its URL within 300 ms')
    expect(gone(child)).toBe(true)
  })

  it('rejects with the error line and exit code of a process that exits first', async () => {
    const { error } = await failure('console.error("boom: address in use"); process.exit(2)')
    expect(error.reason).toBe('exit')
    expect(error.exit).toEqual({ code: 2, signal: null })
    expect(error.message).toContain('exited (code 2, signal null) before it printed its URL')
    expect(error.message).toContain('boom: address in use')
  })

  it('reads the last lines a process printed right before it exited', async () => {
    const { error } = await failure(
      'process.stdout.write("a\\n".repeat(2000) + "last words\\n"); process.exit(3)',
    )
    expect(error.exit?.code).toBe(3)
    expect(error.output).toContain('last words')
  })

  it('force-kills a process that ignores SIGTERM after the grace period', async () => {
    const server = await start(httpServer("process.on('SIGTERM', () => console.log('ignoring SIGTERM'))"))
    const exit = await server.stop(300)
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' })
    expect(server.output()).toContain('ignoring SIGTERM')
  })

  it('force-kills a process that ignores SIGTERM and never prints, when told to give up', async () => {
    const abort = new AbortController()
    const { error, child } = await failure(
      "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('armed'); setInterval(() => {}, 1000)",
      {
        graceMs: 200,
        signal: abort.signal,
        // Give up once the handler is in: no race with the process's startup.
        match: (line) => {
          if (line === 'armed') abort.abort()
          return undefined
        },
      },
    )
    expect(error.reason).toBe('aborted')
    expect(error.exit).toEqual({ code: null, signal: 'SIGKILL' })
    expect(error.output).toContain('ignoring SIGTERM')
    expect(gone(child)).toBe(true)
  })

  it('rejects when the command cannot be started', async () => {
    const error = await spawnUntilUrl('/nonexistent/laaffic-server', []).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpawnUntilUrlError)
    expect((error as SpawnUntilUrlError).reason).toBe('spawn')
    expect((error as SpawnUntilUrlError).message).toContain('ENOENT')
  })

  it('looks at stderr only when asked to', async () => {
    const script = 'console.error("at http://127.0.0.1:4321"); setInterval(() => {}, 1000)'
    const server = await start(script, { streams: 'both' })
    expect(server.url).toBe('http://127.0.0.1:4321')
    expect(server.stdoutLines).toEqual([])
    const { error } = await failure(script, { timeoutMs: 300 })
    expect(error.reason).toBe('timeout')
  })

  it('uses a custom match: a RegExp or a function that may rewrite the URL', async () => {
    const script =
      'console.log("docs http://127.0.0.1:1/docs"); console.log("Prism is listening on http://0.0.0.0:4321"); setInterval(() => {}, 1000)'
    const byFunction = await start(script, {
      match: (line) =>
        line.includes('is listening on') ? `http://127.0.0.1:${/:(\d+)/.exec(line)?.[1]}` : undefined,
    })
    expect(byFunction.url).toBe('http://127.0.0.1:4321')
    expect(byFunction.stdoutLines).toHaveLength(2)
    const byRegExp = await start(script)
    expect(byRegExp.url).toBe('http://127.0.0.1:1')
    expect(byRegExp.port).toBe(1)
  })

  it('learns the URL by polling when a server prints nothing', async () => {
    let calls = 0
    const server = await start('setInterval(() => {}, 1000)', {
      match: false,
      poll: { intervalMs: 5, find: (pid) => (++calls >= 3 && pid > 0 ? 'http://127.0.0.1:5555' : undefined) },
    })
    expect(server.url).toBe('http://127.0.0.1:5555')
    expect(calls).toBe(3)
  })

  it('passes env and cwd to the process', async () => {
    const server = await start(
      'console.log(process.env.LAAFFIC_TEST_VALUE + " " + process.cwd() + " http://127.0.0.1:9"); setInterval(() => {}, 1000)',
      { env: { LAAFFIC_TEST_VALUE: 'from-env' }, cwd: '/' },
    )
    expect(server.stdoutLines[0]).toBe('from-env / http://127.0.0.1:9')
  })

  it('waits for later output, and rejects when the process exits without it', async () => {
    const server = await start(httpServer('', "setTimeout(() => console.log('banner done'), 50)"))
    expect(await server.waitForOutput('banner done')).toContain('banner done')
    expect(await server.waitForOutput(/listening on/)).toContain('listening on')
    const short = await start(httpServer('', 'setTimeout(() => process.exit(0), 50)'))
    await expect(short.waitForOutput('never printed')).rejects.toThrow(/exited without output matching/)
  })

  it('with processGroup, stop() also ends what the server forked', async () => {
    const server = await start(
      `const kid = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
       console.log('child ' + kid.pid)
       ${httpServer()}`,
      { processGroup: true },
    )
    const kid = Number(/child (\d+)/.exec(server.stdoutLines.join('\n'))?.[1])
    expect(kid).toBeGreaterThan(0)
    expect(() => process.kill(kid, 0), 'running before stop()').not.toThrow()
    await server.stop()
    expect(await waitGone(kid)).toBe(true)
  })
})
