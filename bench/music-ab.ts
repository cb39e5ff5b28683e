/**
 * In-process A/B of the music LSTM's two ways to write events, interleaved round by round in one process so the
 * shared CPU's load falls on both alike (the engine-host figure in bench/music.ts moves with the load; this ratio
 * much less):
 * - step: what the family did before the generate graph: one `step` session.run per event, the Sampler's
 *   float64 draw in JavaScript (text/lstm-step.ts + text/sampler.ts);
 * - generate: the family's way now: `generate` session.runs of CHUNK events (music/event-writer.ts).
 * Both from START, the same seeds (they write the same events), sessions created as the engine creates them.
 * Wall and CPU time (process.cpuUsage: this thread plus ORT's pool) per event, medians over the rounds.
 */
import { join } from 'node:path'
import { Rng } from '../src/common/rng'
import { START } from '../src/common/music-events'
import { CHUNK } from '../src/engine/families/music-lstm'
import { EventWriter } from '../src/engine/music/event-writer'
import { ModelRegistry } from '../src/engine/registry'
import { SessionCache } from '../src/engine/sessions'
import { LstmStepper, lstmShape } from '../src/engine/text/lstm-step'
import { Sampler } from '../src/engine/text/sampler'
import { median } from './record'

export interface MusicAB {
  /** µs per event, medians over the rounds. */
  stepWallUs: number
  generateWallUs: number
  stepCpuUs: number
  generateCpuUs: number
}

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

export async function musicAB(modelsDir: string, id: string, threads: number, rounds: number, events: number): Promise<MusicAB> {
  const registry = new ModelRegistry([{ dir: modelsDir, source: 'shipped' }])
  await registry.scan()
  const entry = registry.get(id)
  if (!entry?.manifest) throw new Error(`music A/B: no usable model ${id} in ${modelsDir}`)
  const cache = new SessionCache(registry, { threads })
  try {
    const { sessions } = await cache.load(entry, 'cpu')
    const m = entry.manifest
    const shape = lstmShape(m, { count: m.events!.size, what: `events.size is ${m.events!.size}` })
    const stepper = new LstmStepper(sessions.step, shape)
    const writer = new EventWriter(sessions.generate, shape)

    const viaStep = async (seed: number) => {
      const sampler = new Sampler(shape.vocab, { temperature: 1, topK: 0, topP: 1 })
      const rng = new Rng(seed)
      const s = stepper.zeros(1)
      let out = await stepper.run([START], s.h, s.c)
      for (let n = 0; n < events; n++) {
        sampler.distribution(out.logits)
        out = await stepper.run([sampler.draw(rng)], out.h, out.c)
      }
    }
    const viaGenerate = async (seed: number) => {
      const rng = new Rng(seed)
      let { h, c } = stepper.zeros(1)
      let token = START
      const u = new Float64Array(CHUNK)
      for (let n = 0; n < events; n += CHUNK) {
        for (let j = 0; j < CHUNK; j++) u[j] = rng.uniform()
        const r = await writer.run(token, h, c, 1, u)
        ;({ h, c } = r)
        token = r.tokens[CHUNK - 1]
      }
    }
    const timed = async (f: (seed: number) => Promise<void>, seed: number, wall: number[], cpu: number[]) => {
      const t0 = performance.now()
      const c0 = cpuMs()
      await f(seed)
      wall.push(((performance.now() - t0) * 1000) / events)
      cpu.push(((cpuMs() - c0) * 1000) / events)
    }
    await viaStep(0) // warm-up: first runs allocate
    await viaGenerate(0)
    const sw: number[] = [], sc: number[] = [], gw: number[] = [], gc: number[] = []
    for (let r = 1; r <= rounds; r++) {
      // Alternate which goes first so a load change between the two halves of a round favours neither.
      if (r % 2) {
        await timed(viaStep, r, sw, sc)
        await timed(viaGenerate, r, gw, gc)
      } else {
        await timed(viaGenerate, r, gw, gc)
        await timed(viaStep, r, sw, sc)
      }
    }
    return { stepWallUs: median(sw), generateWallUs: median(gw), stepCpuUs: median(sc), generateCpuUs: median(gc) }
  } finally {
    await cache.disposeAll()
  }
}

/** `npx tsx bench/music-ab.ts [threads] [rounds] [events]`: the A/B alone, on the shipped music model. */
if (process.argv[1]?.endsWith('music-ab.ts')) {
  const [threads = 1, rounds = 8, events = 1024] = process.argv.slice(2).map(Number)
  const { musicModelIn } = await import('../src/engine/music/testing-music')
  const found = musicModelIn(join(import.meta.dirname, '..', 'models'))
  if (!found) throw new Error('no music-lstm model in models/')
  const r = await musicAB(found.dir, found.id, threads, rounds, events)
  console.log(JSON.stringify({ threads, rounds, events, ...r, wallRatio: r.stepWallUs / r.generateWallUs, cpuRatio: r.stepCpuUs / r.generateCpuUs }))
}
