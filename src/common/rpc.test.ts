import { describe, expect, it } from 'vitest'
import { newJobId, type Envelope, type Events } from './contract'
import { dispatch, forwarders, parseEnvelope, RpcPeer } from './rpc'
import { LiveJobs } from './rpc-jobs'
import { decodeFrame, encodeFrame } from './wire'

type Api = {
  'math/add': { req: { a: number; b: number }; res: number }
  'math/fail': { req: void; res: never }
}

/** Two peers joined back to back through real wire frames (what a WebSocket carries). */
function pair() {
  const sent: Envelope[] = []
  const handlers = {
    'math/add': async ({ a, b }: { a: number; b: number }) => a + b,
    'math/fail': async (): Promise<never> => {
      throw new Error('no such luck')
    },
  }
  let server!: RpcPeer<Record<never, never>, Events>
  const client = new RpcPeer<Api, Events>({ send: (env) => (sent.push(env), server.receive(decodeFrame(encodeFrame(env)) as Envelope)) })
  server = new RpcPeer({
    send: (env) => client.receive(decodeFrame(encodeFrame(env)) as Envelope),
    serve: (method, args) => dispatch(handlers, new Set(Object.keys(handlers)), method, args, undefined),
  })
  return { client, server, sent }
}

describe('RpcPeer', () => {
  it('matches replies to calls by sequence number, even out of order', async () => {
    const sent: Extract<Envelope, { t: 'req' }>[] = []
    const peer = new RpcPeer<Api, Events>({ send: (env) => void sent.push(env as Extract<Envelope, { t: 'req' }>) })
    const one = peer.call('math/add', { a: 1, b: 2 })
    const two = peer.call('math/add', { a: 3, b: 4 })
    expect(sent.map((e) => e.id)).toEqual([1, 2])
    peer.receive({ t: 'res', id: 2, result: { ok: true, value: 7 } })
    peer.receive({ t: 'res', id: 1, result: { ok: true, value: 3 } })
    expect(await Promise.all([one, two])).toEqual([3, 7])
    expect(peer.inFlight).toBe(0)
  })

  it('serves requests as Result values: errors and unknown methods come back as rejections with the message', async () => {
    const { client } = pair()
    expect(await client.call('math/add', { a: 2, b: 40 })).toBe(42)
    await expect(client.call('math/fail', undefined)).rejects.toThrow('no such luck')
    await expect(client.call('nope/nope' as 'math/add', { a: 1, b: 1 })).rejects.toThrow('unknown method "nope/nope"')
  })

  it('delivers events to subscribers (one throwing listener does not stop the rest) and sends them across', () => {
    const { client, server } = pair()
    const errors: string[] = []
    const got: string[] = []
    const local = new RpcPeer<Api, Events>({ send: () => {}, onListenerError: (n) => errors.push(n) })
    local.on('job/failed', () => {
      throw new Error('boom')
    })
    local.on('job/failed', (p) => got.push(p.jobId))
    local.emit('job/failed', { jobId: 'a', error: 'x', cancelled: false })
    expect(got).toEqual(['a'])
    expect(errors).toEqual(['job/failed'])

    const rgba = new Uint8Array([1, 2, 3, 4])
    const seen: Events['job/partial'][] = []
    const off = client.on('job/partial', (p) => seen.push(p))
    server.notify('job/partial', { jobId: 'j', part: { kind: 'image', index: 0, seed: 1, width: 1, height: 1, rgba } })
    off()
    server.notify('job/partial', { jobId: 'k', part: { kind: 'image', index: 0, seed: 1, width: 1, height: 1, rgba } })
    expect(seen.map((p) => p.jobId)).toEqual(['j'])
    expect((seen[0].part as { rgba: unknown }).rgba).toBeInstanceOf(Uint8Array)
  })

  it('rejects every pending call when the transport is lost, and a call whose send throws', async () => {
    const peer = new RpcPeer<Api, Events>({ send: () => {} })
    const a = peer.call('math/add', { a: 1, b: 1 })
    peer.failAll('the line went dead')
    await expect(a).rejects.toThrow('the line went dead (while waiting for math/add)')
    const closed = new RpcPeer<Api, Events>({
      send: () => {
        throw new Error('not connected')
      },
    })
    await expect(closed.call('math/add', { a: 1, b: 1 })).rejects.toThrow('not connected')
    expect(closed.inFlight).toBe(0)
  })

  it('times a call out when asked, and reports slow calls', async () => {
    const slow: string[] = []
    const peer = new RpcPeer<Api, Events>({ send: () => {}, slowMs: 0, onSlow: (m) => slow.push(m) })
    await expect(peer.call('math/add', { a: 1, b: 1 }, { timeoutMs: 5 })).rejects.toThrow('math/add: no reply in 5 ms')
    const p = peer.call('math/add', { a: 1, b: 1 })
    await new Promise((r) => setTimeout(r, 2))
    peer.receive({ t: 'res', id: 2, result: { ok: true, value: 2 } })
    expect(await p).toBe(2)
    expect(slow).toContain('math/add')
  })
})

describe('RpcPeer cancellation', () => {
  /** A server whose one method waits until its signal aborts, reporting when it saw that. */
  function waiting() {
    const aborted: string[] = []
    let server!: RpcPeer<Record<never, never>, Events>
    const sent: Envelope[] = []
    const client = new RpcPeer<{ 'slow/wait': { req: string; res: never } }, Events>({ send: (env) => (sent.push(env), server.receive(env)) })
    server = new RpcPeer({
      send: (env) => client.receive(env),
      serve: (_m, args, signal) =>
        new Promise((resolve) => signal.addEventListener('abort', () => (aborted.push(args as string), resolve({ ok: false, error: 'stopped' })))),
    })
    return { client, server, sent, aborted }
  }

  it('a call whose signal aborts rejects as cancelled and the serving side’s signal aborts', async () => {
    const { client, server, sent, aborted } = waiting()
    const ctl = new AbortController()
    const call = client.call('slow/wait', 'a', { signal: ctl.signal })
    const other = client.call('slow/wait', 'b')
    expect(server.serves).toBe(2)
    ctl.abort()
    await expect(call).rejects.toThrow('slow/wait: cancelled')
    expect(sent.at(-1)).toEqual({ t: 'cancel', id: 1 })
    expect(aborted).toEqual(['a'])
    expect(server.serves).toBe(1)
    server.abortServing() // the caller went away: the rest stop too
    await expect(other).rejects.toThrow('stopped')
    expect(aborted).toEqual(['a', 'b'])
    await expect(client.call('slow/wait', 'c', { signal: AbortSignal.abort() })).rejects.toThrow('cancelled')
    expect(aborted).toEqual(['a', 'b'])
  })
})

describe('parseEnvelope', () => {
  it('accepts the three envelope kinds and refuses what is not one (ids must be safe integers)', () => {
    expect(parseEnvelope({ t: 'req', id: 1, method: 'engine/info', args: null })).not.toBeNull()
    expect(parseEnvelope({ t: 'res', id: 1, result: { ok: false, error: 'x' } })).not.toBeNull()
    expect(parseEnvelope({ t: 'evt', name: 'job/done', payload: {} })).not.toBeNull()
    expect(parseEnvelope({ t: 'cancel', id: 3 })).not.toBeNull()
    expect(parseEnvelope({ t: 'cancel', id: JSON.parse('1e999') })).toBeNull()
    for (const bad of [null, 5, 'req', {}, { t: 'req', id: JSON.parse('1e999'), method: 'x' }, { t: 'req', id: 1.5, method: 'x' }, { t: 'req', id: 1 },
      { t: 'res', id: 1, result: { ok: false } }, { t: 'res', id: 1 }, { t: 'evt', name: 7 }]) {
      expect(parseEnvelope(bad), JSON.stringify(bad)).toBeNull()
    }
  })
})

describe('forwarders', () => {
  it('forward each listed method unchanged to invoke', async () => {
    const calls: [string, unknown][] = []
    const f = forwarders<Api, 'math/add'>(['math/add'], async (m, a) => (calls.push([m, a]), 9 as never))
    expect(Object.keys(f)).toEqual(['math/add'])
    expect(await f['math/add']({ a: 1, b: 2 }, undefined)).toBe(9)
    expect(calls).toEqual([['math/add', { a: 1, b: 2 }]])
  })
})

describe('LiveJobs', () => {
  it('starts under the caller’s id, refuses a bad or live id, and fails only jobs whose start was answered', async () => {
    const jobs = new LiveJobs()
    const sent: string[] = []
    const call = async (a: { jobId: string }) => (sent.push(a.jobId), { jobId: a.jobId })
    expect(await jobs.start({ jobId: 'mine', modelId: 'm', seed: 1, params: {} }, call)).toEqual({ jobId: 'mine' })
    const fresh = newJobId()
    expect(fresh).toMatch(/^[0-9a-f]{32}$/)
    expect(newJobId()).not.toBe(fresh)
    await jobs.start({ jobId: fresh, modelId: 'm', seed: 1, params: {} }, call)
    await expect(jobs.start({ modelId: 'm', seed: 1, params: {} } as never, call)).rejects.toThrow('job/start needs a jobId the client chose')
    await expect(jobs.start({ jobId: 'mine', modelId: 'm', seed: 1, params: {} }, call)).rejects.toThrow('job id "mine" is already in use')
    jobs.saw('job/done', { jobId: fresh })
    let answer!: (v: { jobId: string }) => void
    const pending = jobs.start({ jobId: 'starting', modelId: 'm', seed: 1, params: {} }, () => new Promise((r) => (answer = r)))
    expect(jobs.orphans()).toEqual(['mine']) // not `fresh` (done), not `starting` (its caller hears from the call)
    answer({ jobId: 'starting' })
    await pending
    expect(sent).toEqual(['mine', fresh])
  })
})
