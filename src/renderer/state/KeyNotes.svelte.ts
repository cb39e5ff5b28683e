/**
 * The on-screen keyboard with "Generate on key": a key makes its note and plays it while it streams
 * (lib/note-player.ts), from its first chunk, not once the note is done. Keys played while the keyboard's
 * job is still in the engine join that job as voices of its batch (`job/feed`: the note of seed + k at the
 * key's pitch), so quick keys sound together instead of queueing one job behind another; a key after the
 * job ended, or with other settings in the panel, starts a new job through the studio's queue.
 */
import type { ParamValues } from '../../common/contract'
import { NotePlayer } from '../lib/note-player'
import { AudioJob } from './AudioJob.svelte'
import type { StudioServices } from './services'

export class KeyNotes {
  readonly #s: StudioServices
  readonly #player = new NotePlayer((on) => (this.#sounding = on))
  #sounding = $state(false)
  /** The keyboard's latest job: keys join it while the engine has it. */
  #live: AudioJob | null = null
  /** Keys are handled in the order they were played (a feed waits for the start before it). */
  #chain: Promise<void> = Promise.resolve()

  constructor(services: StudioServices) {
    this.#s = services
  }

  /** A key's note is sounding (from its first chunk until the last scheduled one has played). */
  get sounding(): boolean { return this.#sounding }

  /** Play `pitch`: call it from the click (audio may only start in a user gesture). */
  play(pitch: number): Promise<void> {
    this.#player.unlock()
    return (this.#chain = this.#chain.then(() => this.#key(pitch)))
  }

  /** Silence what is still scheduled. */
  stop(): void {
    this.#player.stop()
  }

  async #key(pitch: number): Promise<void> {
    const s = this.#s
    s.form.set('pitch', pitch)
    const live = this.#live
    if (live?.id && (live.state === 'starting' || live.state === 'running') && sameButPitch(live.request.params, keyParams(s.form.snapshot())) && live.model.id === s.form.modelId) {
      try {
        const { item } = await s.client.invoke('job/feed', { jobId: live.id, params: { pitch } })
        if (item !== null) return live.addVoice(item, { pitch })
      } catch (e) {
        return s.toasts.error(`Could not play ${pitch}: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
    // No job to join: a new one, through the queue like Generate (same checks on the panel's values).
    const model = s.catalog.selected
    const seed = s.form.seed
    if (!model || s.form.modelId !== model.id) return
    if (s.form.problem || seed === null) return s.toasts.error(`Cannot generate — ${s.form.problem}`)
    const job = new AudioJob({ modelId: model.id, seed, params: keyParams(s.form.snapshot()) }, model)
    job.listen((voice, samples, rate) => this.#player.play(`${job.key}:${voice}`, samples, rate))
    this.#live = job
    s.enqueue(job)
  }
}

/** A key plays its own note: the panel's params without a chord typed there (Generate plays the chord). */
export function keyParams(params: ParamValues): ParamValues {
  return 'chord' in params ? { ...params, chord: '' } : params
}

/** Whether two jobs' params differ at most in pitch (then a key joins rather than starts a job). */
function sameButPitch(a: ParamValues, b: ParamValues): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  keys.delete('pitch')
  return [...keys].every((k) => a[k] === b[k])
}
