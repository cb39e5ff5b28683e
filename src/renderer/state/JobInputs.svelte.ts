/**
 * The files the selected model's jobs take in (ModelSummary.inputs: Deep Dream's photo, later the music
 * model's MIDI prime), as the panel holds them: picked from disk, dropped, one of the model's bundled
 * photos (`models/photo`), or restored from a recipe that carried the bytes. The engine reads each file
 * as its job will (`inputs/check`) the moment it is picked, so the panel shows it as the engine sees it
 * — or the engine's reason for refusing it — before Generate. Kept by input name across model switches.
 *
 * A recipe that recorded an input too big to carry (> 64 KiB) is remembered as `wanted`: the panel says
 * which file made it (name, SHA-256) and, when the user drops one, whether it is that file.
 */
import type { InputCheck, JobInput, ModelSummary, StudioClient } from '../../common/contract'
import { inputFromRecipe, recipeInputs, type InputKind, type RecipeInput } from '../../common/inputs'
import type { Modality } from '../../common/modality'
import type { Recipe } from '../../common/recipe'
import { inputNote, kindWord, looksLike, sizeRefusal } from '../lib/job-input-words'

/** A file the engine accepted for an input. */
export interface PickedInput {
  kind: InputKind
  bytes: Uint8Array
  fileName: string
  /** What the job's recipe records of it (SHA-256, size, the bytes when small). */
  record: RecipeInput
  /** The engine's reading: "JPEG 451×300", its notes, a thumbnail. */
  check: InputCheck
  /** "Chelsea the cat · CC0 (…)" for a bundled photo, "from the recipe", else null (the user's file). */
  origin: string | null
}

export type InputSlot =
  | { state: 'checking'; fileName: string }
  | { state: 'ready'; input: PickedInput }
  | { state: 'refused'; fileName: string; error: string }

const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** The bytes a recipe carries (null: none, or not base64: a recipe edited by hand names the file only). */
function carried(r: RecipeInput): JobInput | null {
  try {
    return inputFromRecipe(r)
  } catch {
    return null
  }
}

export class JobInputs {
  readonly #client: StudioClient
  #slots = $state.raw<Record<string, InputSlot>>({})
  #wanted = $state.raw<Record<string, RecipeInput>>({})
  /** Per input, the pick being read: an older pick's answer arriving late is dropped. */
  #turn: Record<string, number> = {}

  constructor(client: StudioClient) {
    this.#client = client
  }

  /** What the panel shows for `name` (undefined: nothing picked). */
  slot(name: string): InputSlot | undefined {
    return this.#slots[name]
  }

  /** The note under `name`: which file a restored recipe was made from, and whether the picked one is it. */
  note(name: string): string | null {
    const want = this.#wanted[name]
    if (!want) return null
    const s = this.#slots[name]
    return inputNote(want, s?.state === 'ready' ? s.input : null)
  }

  /** A file from disk (picker or drop) for input `name` of `model`. */
  async pick(model: ModelSummary, name: string, file: File): Promise<void> {
    const kind = model.inputs?.[name]?.kind
    if (!kind) return
    const turn = this.#begin(name, file.name)
    const tooBig = sizeRefusal(file.name, kind, file.size)
    if (tooBig) return this.#end(name, turn, { state: 'refused', fileName: file.name, error: tooBig })
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(await file.arrayBuffer())
    } catch (e) {
      return this.#end(name, turn, { state: 'refused', fileName: file.name, error: `Could not read ${file.name}: ${message(e)}` })
    }
    await this.#check(model, name, turn, { kind, bytes, fileName: file.name }, null)
  }

  /** One of the photos `model` ships (`manifest.photos[].file`). */
  async pickBundled(model: ModelSummary, name: string, file: string): Promise<void> {
    const turn = this.#begin(name, file.replace(/^.*\//, ''))
    try {
      const p = await this.#client.invoke('models/photo', { modelId: model.id, file })
      await this.#check(model, name, turn, { kind: 'image', bytes: p.bytes, fileName: p.fileName }, `${p.title} · ${p.license}`)
    } catch (e) {
      this.#end(name, turn, { state: 'refused', fileName: file, error: message(e) })
    }
  }

  clear(name: string): void {
    this.#begin(name, '')
    const { [name]: _gone, ...rest } = this.#slots
    this.#slots = rest
  }

  /**
   * A recipe was restored (a dropped PNG, a job from history): remember what it recorded of each input,
   * and put back the ones it carried whole, or that `have` holds (a job of this session still has its
   * bytes). Inputs it did not record are left as they are.
   */
  async restore(model: ModelSummary, recipe: Recipe | null, have: Readonly<Record<string, JobInput>> = {}): Promise<void> {
    const recorded = recipe?.inputs ?? {}
    this.#wanted = { ...recorded }
    await Promise.all(
      Object.entries(recorded).map(async ([name, r]) => {
        const same = this.#slots[name]
        if (same?.state === 'ready' && same.input.record.sha256 === r.sha256) return // already the very file
        const held = Object.hasOwn(have, name) ? have[name] : undefined
        const input = held ?? carried(r)
        if (!input || !model.inputs?.[name]) return
        const fileName = input.fileName ?? r.fileName ?? name
        await this.#check(model, name, this.#begin(name, fileName), { ...input, fileName }, held ? null : 'from the recipe')
      }),
    )
  }

  /**
   * A file dropped on the window: when the selected model takes an input of the kind its first bytes
   * show, and it is not one of our files carrying a recipe (a dreamed PNG is restored, a plain photo is
   * dreamed on), it becomes that input. `recipeModality`: the modality whose codec reads the file, if any.
   */
  async dropped(model: ModelSummary | null, file: File, head: Uint8Array, recipeModality: Modality | null): Promise<boolean> {
    const name = Object.entries(model?.inputs ?? {}).find(([, spec]) => looksLike(spec.kind, head))?.[0]
    if (!model || !name) return false
    if (recipeModality) {
      const { CODECS, sizeError } = await import('../../common/codecs')
      if (!sizeError(recipeModality, file.name, file.size)) {
        const bytes = new Uint8Array(await file.arrayBuffer().catch(() => new ArrayBuffer(0)))
        if (CODECS[recipeModality].decode(file.name, bytes).ok) return false
      }
    }
    await this.pick(model, name, file)
    return true
  }

  /** Why a job of `model` cannot start for want of an input, in words, or null. */
  problem(model: ModelSummary): string | null {
    for (const [name, spec] of Object.entries(model.inputs ?? {})) {
      const s = this.#slots[name]
      const label = name[0].toUpperCase() + name.slice(1)
      if (s?.state === 'checking') return `${label}: still reading ${s.fileName}`
      if (s?.state === 'refused') return `${label}: ${s.fileName} cannot be used (see the panel)`
      if (!s && !spec.optional) return `${label}: choose ${kindWord(spec.kind)} first`
    }
    return null
  }

  /** The files a job of `model` sends (JobRequest.inputs), undefined when it takes none. */
  forRequest(model: ModelSummary): { inputs: Record<string, JobInput>; records: Record<string, RecipeInput> } | undefined {
    const inputs: Record<string, JobInput> = {}
    const records: Record<string, RecipeInput> = {}
    for (const name of Object.keys(model.inputs ?? {})) {
      const s = this.#slots[name]
      if (s?.state !== 'ready') continue
      inputs[name] = { kind: s.input.kind, bytes: s.input.bytes, fileName: s.input.fileName }
      records[name] = s.input.record
    }
    return Object.keys(inputs).length ? { inputs, records } : undefined
  }

  #begin(name: string, fileName: string): number {
    const turn = (this.#turn[name] ?? 0) + 1
    this.#turn[name] = turn
    if (fileName) this.#slots = { ...this.#slots, [name]: { state: 'checking', fileName } }
    return turn
  }

  #end(name: string, turn: number, slot: InputSlot): void {
    if (this.#turn[name] === turn) this.#slots = { ...this.#slots, [name]: slot }
  }

  async #check(model: ModelSummary, name: string, turn: number, input: JobInput & { fileName: string }, origin: string | null): Promise<void> {
    try {
      const [check, records] = await Promise.all([
        this.#client.invoke('inputs/check', { modelId: model.id, name, input }),
        recipeInputs({ [name]: input }),
      ])
      this.#end(name, turn, { state: 'ready', input: { kind: input.kind, bytes: input.bytes, fileName: input.fileName, record: records![name], check, origin } })
    } catch (e) {
      this.#end(name, turn, { state: 'refused', fileName: input.fileName, error: message(e) })
    }
  }
}
