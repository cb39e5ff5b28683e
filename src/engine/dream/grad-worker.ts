/**
 * The Deep Dream gradient graph in a worker thread. `session.run` in onnxruntime-node holds the calling
 * JS thread for the whole run, and one 512² gradient takes ~1 s on our 2-core VM: on the host's main
 * thread a cancel (or any other request) would wait for it. In a worker the main thread stays free, so
 * the runner sees a cancel within its poll interval and drops the tile still being computed.
 *
 * The worker is plain JS evaluated from a string (it only needs onnxruntime-node, by absolute path):
 * no second bundle entry for electron-vite, and it runs the same under tsx, Vitest and the built host.
 * Its session is created with the engine's options (sessions.ts), so it gives the same numbers.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const ort = require(workerData.ortPath)
let session = null
parentPort.on('message', async (m) => {
  try {
    if (m.t === 'open') {
      session = await ort.InferenceSession.create(m.path, m.options)
      parentPort.postMessage({ id: m.id, ok: true })
      return
    }
    const out = await session.run({
      image: new ort.Tensor('float32', m.image, [1, 3, m.h, m.w]),
      weights: new ort.Tensor('float32', m.weights, [m.weights.length]),
    })
    const grad = out.grad.data
    const dims = out.grad.dims
    parentPort.postMessage({ id: m.id, ok: true, grad, dims, loss: out.loss.data[0] }, [grad.buffer])
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: String((e && e.message) || e) })
  }
})`

/** How the engine creates sessions (sessions.ts), for the worker's copy of the graph. */
export interface WorkerSessionOptions {
  ep: 'cpu' | 'cuda' | 'dml'
  threads: number
}

interface Reply {
  id: number
  ok: boolean
  error?: string
  grad?: Float32Array
  dims?: number[]
  loss?: number
}

export class GradWorker {
  private next = 0
  private pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>()
  private dead: Error | null = null

  private constructor(private readonly worker: Worker) {
    worker.on('message', (r: Reply) => {
      const p = this.pending.get(r.id)
      this.pending.delete(r.id)
      if (this.pending.size === 0) worker.unref()
      p?.resolve(r)
    })
    const fail = (e: Error) => {
      this.dead = e
      for (const p of this.pending.values()) p.reject(e)
      this.pending.clear()
    }
    worker.on('error', (e) => fail(new Error(`gradient worker failed: ${e.message}`)))
    worker.on('exit', (code) => fail(new Error(`gradient worker exited (code ${code})`)))
    worker.unref() // an idle worker must not keep a process alive; a call in flight does (see call)
  }

  /** A worker with the graph at `path` loaded; rejects with ORT's message if it cannot be. */
  static async open(path: string, o: WorkerSessionOptions): Promise<GradWorker> {
    const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node')
    const w = new GradWorker(new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath } }))
    // As sessions.ts, but intra-op threads sleep instead of spinning between ops. On our shared 2-core VM a
    // 512 px dream (2 threads, runs interleaved) took 52–64 s and 18–19 s of CPU with spinning, 22–36 s
    // and 11–12 s without: spinning threads fight every other process for the cores.
    const options = {
      executionProviders: [o.ep], intraOpNumThreads: o.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    }
    const r = await w.call({ t: 'open', path, options })
    if (!r.ok) {
      await w.close()
      throw new Error(`gradient worker could not load ${path}: ${r.error}`)
    }
    return w
  }

  /**
   * d loss / d image for one tile: image (1, 3, h, w) float32 (transferred: the caller's array is
   * detached), weights (layers,) → grad (1, 3, h, w).
   */
  async grad(image: Float32Array, h: number, w: number, weights: Float32Array): Promise<Float32Array> {
    const r = await this.call({ t: 'run', image, h, w, weights }, [image.buffer as ArrayBuffer])
    if (!r.ok) throw new Error(`gradient graph failed: ${r.error}`)
    if (r.dims!.join() !== [1, 3, h, w].join()) throw new Error(`grad is [${r.dims!.join(', ')}], expected [1, 3, ${h}, ${w}]`)
    return r.grad!
  }

  /** False once the worker exited or crashed: open a new one. */
  get alive(): boolean {
    return this.dead === null
  }

  async close(): Promise<void> {
    await this.worker.terminate().catch(() => {})
  }

  private call(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead)
    const id = this.next++
    return new Promise<Reply>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref()
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ ...msg, id }, transfer)
    })
  }
}
