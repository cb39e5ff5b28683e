/**
 * THE contract: every request, reply and event that crosses a boundary (renderer ↔ Electron main,
 * browser ↔ server, main/server/cli ↔ engine host process) is declared here once. Bindings, the
 * preload bridge and clients are typed from these maps; none of them re-declares a type.
 *
 * Channels are `domain/verb` (requests) and `domain/noun` (events). Typed arrays cross as typed
 * arrays (structured clone over IPC, binary frames over WebSocket, see `wire.ts`), never JSON arrays.
 */
import type { Explore, LatentDirection } from './explore'
import type { HistoryEntry, HistoryFile, HistoryListing, HistoryPut, HistoryQuery, HistorySettings } from './history'
import type { InputKind, InputSpec } from './inputs'
import type { ExecutionProviderPref, Family, Manifest, ParamSpec } from './manifest'
import type { Recipe } from './recipe'

/** A model as the UI sees it. Broken models are listed too, with `error`, so the user learns why. */
export interface ModelSummary {
  id: string
  family: Family | 'unknown'
  title: string
  description: string
  /** `shipped` = repo `models/`, `user` = the user models folder. */
  source: 'shipped' | 'user'
  /** Folder holding model.json (absolute path on the engine's machine). */
  dir: string
  /** Generation parameters for the panel (empty when broken). */
  params: ParamSpec[]
  license: string
  dataSource: string
  metrics: Record<string, number | string>
  /** sha256 (hex, first 16 chars) over the model's ONNX files: recipes pin the exact weights. */
  hash: string
  /** Present when the manifest or ONNX file is unusable: names the file and the field. */
  error?: string
  /** Full manifest when valid. */
  manifest?: Manifest
  /**
   * Files a job of this model takes in (`JobRequest.inputs`), by name, as its family's runner declares
   * them (`FamilyRunner.inputs`): the panel offers one control per input. Absent: none.
   */
  inputs?: Record<string, InputSpec>
  /** Latent-image models: attribute directions shipped beside it (`directions.json`), for explore's `attribute`. */
  directions?: LatentDirection[]
}

export type ParamValues = Record<string, number | string>

/**
 * One file a job takes in (a photo for Deep Dream, a MIDI file for music). The bytes cross as bytes:
 * a structured clone over Electron IPC and the engine host channel, a binary attachment of the
 * WebSocket frame (`wire.ts`). Limits per kind: `INPUT_LIMITS` in `inputs.ts` (the engine enforces them).
 */
export interface JobInput {
  kind: InputKind
  /** The file as read from disk (PNG/JPEG for `image`, Standard MIDI for `midi`); the runner decodes it. */
  bytes: Uint8Array
  /** The name the user picked (no folders), for messages and the recipe. */
  fileName?: string
}

/** What the user asks for. Seeds are uint32. For image families, image i of a grid uses seed + i. */
export interface JobRequest {
  modelId: string
  seed: number
  params: ParamValues
  /**
   * Files the job takes in, by the name the family declares (`FamilyRunner.inputs`, e.g. `photo`).
   * The recipe records each one's SHA-256 (and the bytes themselves when ≤ RECIPE_INLINE_BYTES).
   */
  inputs?: Record<string, JobInput>
  /** Override the model's EP preference for this job. */
  ep?: ExecutionProviderPref
  /**
   * Text families: continue from a position of an earlier job's draft. The engine may reuse the LSTM state
   * it kept for that draft at character offset `at` (of prime + written text) instead of warming up through
   * the prime again; the output is identical either way, so the recipe needs only the prime.
   */
  branch?: { jobId: string; draft: number; at: number }
  /**
   * Latent-image families (GAN, VAE, VAE-GAN): interpolate, breed, crossbreed or encode instead of
   * sampling seeds (common/explore.ts). The recipe carries it; `count` says how many items.
   */
  explore?: Explore
}

/**
 * `job/start`'s request: the job and the id its client chose for it (`newJobId()`). Every event of the
 * job carries that id, so a client routes events that beat the reply without holding them anywhere.
 */
export interface JobStart extends JobRequest {
  /**
   * 1–64 characters of `[A-Za-z0-9_.:-]`, fresh per job (`newJobId()`): an id the engine host has
   * seen, or one still live in this client, is refused ("job id … is already in use").
   */
  jobId: string
}

/** Job ids as clients choose them. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/

/** A fresh job id: 128 random bits as hex (getRandomValues works in Node, browsers and file:// pages). */
export function newJobId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

/** `inputs/check`: one file the user picked for input `name` of a model, read as a job would read it. */
export interface InputCheckRequest {
  modelId: string
  name: string
  input: JobInput
}
/** What the engine read in a job input: enough for the panel to show it, before any job runs. */
export interface InputCheck {
  /** "JPEG 451×300", "MIDI, 312 notes": the file as the engine understood it. */
  summary: string
  /** Adjustments a job will make (EXIF rotation, CMYK converted, transparency flattened). */
  notes: string[]
  /** A small picture of an image input as the engine sees it (EXIF-rotated): (height, width, 4) RGBA. */
  thumb?: { width: number; height: number; rgba: Uint8Array }
}

/** `models/photo`: one of the photos a model ships to try it on (`manifest.photos`), as a job input's bytes. */
export interface ModelPhoto {
  bytes: Uint8Array
  /** Its file name, without the folder (`chelsea.jpg`). */
  fileName: string
  title: string
  license: string
}

/** Text families: the distribution of the next character after `text`, as the sampler would draw it. */
export interface TextNextRequest {
  modelId: string
  /** Everything before the cursor (prime + written text). */
  text: string
  /** temperature / topK / topP as in the job (others ignored). */
  params: ParamValues
  /** How many candidates, likeliest first. */
  n: number
  /** As in JobRequest: reuse a kept state instead of warming up. */
  branch?: { jobId: string; draft: number; at: number }
}
export interface TextNextReply {
  /** Likeliest first; p after temperature/top-k/top-p, so they are the real odds of the next draw. */
  candidates: { char: string; p: number }[]
}

export interface EngineInfo {
  /** ONNX Runtime version in the host. */
  ortVersion: string
  /** Providers this build of onnxruntime-node lists (not necessarily usable: see job/done `ep`). */
  backends: string[]
  threads: number
  state: EngineState
  pid: number | null
}

export type EngineState = 'starting' | 'ready' | 'restarting' | 'stopped'

/** Requests served by the engine (through any host: Electron main, server, CLI). */
export interface EngineHandlers {
  'models/list': { req: void; res: ModelSummary[] }
  /** Rescan model folders (after the user adds one). */
  'models/reload': { req: void; res: ModelSummary[] }
  'engine/info': { req: void; res: EngineInfo }
  /**
   * Queue a job under the id the client chose; progress/partials/done/failed arrive as events carrying
   * `jobId`, possibly before this reply. The reply echoes the id.
   */
  'job/start': { req: JobStart; res: { jobId: string } }
  /** Cancel a queued or running job; it stops between steps/batches (≤ 100 ms). */
  'job/cancel': { req: { jobId: string }; res: { cancelled: boolean } }
  /**
   * One more item for a queued or running job whose family takes them (WaveNet: a note played on the
   * keyboard while the keyboard's job still sounds joins its batch as a new voice). `params` set what the
   * family lets an item set (WaveNet: `pitch`); the rest are the job's, and item i uses seed + i. The reply
   * names the item once the runner has taken it, or null when the job ended first or takes no items
   * (then the client starts a job of its own); a bad value is refused in words.
   */
  'job/feed': { req: { jobId: string; params: ParamValues }; res: { item: number | null } }
  /** Text families: top-n next characters at a cursor (for picking one by hand). */
  'text/next': { req: TextNextRequest; res: TextNextReply }
  /** The bytes of a photo a model ships (`file` as listed in its manifest's `photos`). */
  'models/photo': { req: { modelId: string; file: string }; res: ModelPhoto }
  /**
   * Read a file meant for a job input the way the job will (kind, size limits, the decoder), so the
   * panel shows it, or the engine's reason for refusing it, before Generate.
   */
  'inputs/check': { req: InputCheckRequest; res: InputCheck }
}

/** Requests only the desktop shell serves (native dialogs). The browser host downloads instead. */
export interface ShellHandlers {
  /** Native save dialog, then write; resolves to the chosen path or null if the user cancelled. */
  'file/save': { req: { suggestedName: string; bytes: Uint8Array; filterName: string; extensions: string[] }; res: { path: string | null } }
}

/**
 * Requests the host the window talks to serves itself, in Electron main and in the server alike (not the
 * engine host process): the history of finished jobs on that host's disk (common/history.ts).
 */
export interface HistoryHandlers {
  /** Keep a finished job: its files as the codecs wrote them. Older entries go when the cap is passed. */
  'history/put': { req: HistoryPut; res: HistoryEntry }
  /** Kept entries, newest first, filtered; unreadable ones are skipped and named in `notes`. */
  'history/list': { req: HistoryQuery; res: HistoryListing }
  /** One entry's files (to show it again). */
  'history/get': { req: { id: string }; res: { entry: HistoryEntry; files: HistoryFile[] } }
  /** Delete entries and their files; answers the ids that were there. */
  'history/delete': { req: { ids: string[] }; res: { deleted: string[] } }
  /** Read the settings, or set the size cap (oldest entries go at once if it is passed). */
  'history/settings': { req: { capBytes?: number }; res: HistorySettings }
}

export type Handlers = EngineHandlers & HistoryHandlers & ShellHandlers
export type Method = keyof Handlers
export type EngineMethod = keyof EngineHandlers
export type HistoryMethod = keyof HistoryHandlers
/** What the renderer may invoke through its StudioClient (the shell's dialogs go through `saveFile`). */
export type ClientHandlers = EngineHandlers & HistoryHandlers
export type ClientMethod = keyof ClientHandlers
export type Req<K extends Method> = Handlers[K]['req']
export type Res<K extends Method> = Handlers[K]['res']

export type ShellMethod = keyof ShellHandlers

/**
 * THE method list, each method once with the side that serves it ('engine': the engine host process,
 * through any host; 'history': the Electron main process or the server itself; 'shell': Electron only).
 * The Electron binding, the preload bridge and the server's handlers are generated from it; the
 * `satisfies` makes the compiler refuse a method of `Handlers` that is missing here (or one filed under
 * the wrong side).
 */
export const METHODS = {
  'models/list': 'engine',
  'models/reload': 'engine',
  'engine/info': 'engine',
  'job/start': 'engine',
  'job/cancel': 'engine',
  'job/feed': 'engine',
  'text/next': 'engine',
  'models/photo': 'engine',
  'inputs/check': 'engine',
  'history/put': 'history',
  'history/list': 'history',
  'history/get': 'history',
  'history/delete': 'history',
  'history/settings': 'history',
  'file/save': 'shell',
} as const satisfies { [K in Method]: K extends EngineMethod ? 'engine' : K extends HistoryMethod ? 'history' : 'shell' }

/** Every method, in `METHODS` order: the channels the preload and bindings allow. */
export const ALL_METHODS = Object.keys(METHODS) as Method[]
export const ENGINE_METHODS: readonly EngineMethod[] = ALL_METHODS.filter((m): m is EngineMethod => METHODS[m] === 'engine')
export const HISTORY_METHODS: readonly HistoryMethod[] = ALL_METHODS.filter((m): m is HistoryMethod => METHODS[m] === 'history')
export const SHELL_METHODS: readonly ShellMethod[] = ALL_METHODS.filter((m): m is ShellMethod => METHODS[m] === 'shell')

/** A streamed partial result. One channel for every family: images now, text tokens and audio later. */
export type JobPart =
  | {
      kind: 'image'
      /** Position in the grid, 0-based. */
      index: number
      /** The seed that reproduces this image alone (job seed + index). */
      seed: number
      width: number
      height: number
      /** (height, width, 4) RGBA row-major, 0..255. */
      rgba: Uint8Array
      /** For chains (RBM): which step this frame shows; the last frame replaces earlier ones. */
      step?: number
      /** Latent-image families: the (latentSize,) latent decoded into this image, to breed from it. */
      latent?: Float32Array
    }
  | {
      kind: 'text'
      /** Draft index; draft i samples with seed + i. */
      draft: number
      /** Characters appended since the previous part of this draft (the first part starts after the prime). */
      text: string
      /** Set on a draft's last part: it wrote a stop sequence, or reached `length`. */
      end?: 'stop' | 'length'
    }
  | {
      kind: 'audio'
      /** Voice index; voice i samples with seed + i. */
      voice: number
      sampleRate: number
      /** Index of this chunk's first sample in the voice (chunks arrive in order, contiguous). */
      offset: number
      /** Mono PCM in [-1, 1]. */
      samples: Float32Array
      /** Total samples the voice will have when done (for the pane's time axis). */
      total: number
    }
  | {
      kind: 'music'
      /**
       * 'prime': the notes of the clip the job continues (one part, first); 'new': notes the model wrote
       * since the previous part. One piece per job.
       */
      source: 'prime' | 'new'
      /** (n, 4) float64 rows [startS, durS, pitch, velocity], by start (common/music-part.ts). */
      notes: Float64Array
      /** General MIDI program the notes are played with. */
      program: number
      /** Notes still sounding, as if released now (same layout); each part replaces the last one's. */
      held: Float64Array
      /** Seconds of the piece written so far (its end, at the job's tempo). */
      timeS: number
      /** Seconds the piece will have when done (prime + bars). */
      totalS: number
      /** Events the model has written so far in this job (note-ons, note-offs, time shifts, velocities). */
      events: number
    }

/**
 * Work a job does before its first item, counted in its own unit: a text job reading its prime (seconds
 * for a 20,000-character one). `job/progress` carries it while that lasts; its `done`/`total` still
 * count the job's items.
 */
export interface JobStage {
  /** What the engine is doing, in words: "reading the prime". */
  label: string
  /** What `done` and `total` count, in words: "characters". */
  unit: string
  done: number
  total: number
}

export interface Events {
  /** `ep`: the execution provider running the job (its session is loaded by the first progress event). */
  'job/progress': { jobId: string; done: number; total: number; ep?: string; stage?: JobStage }
  'job/partial': { jobId: string; part: JobPart }
  /** `ep` is the execution provider that actually ran (e.g. "cpu" after a CUDA fallback). */
  'job/done': { jobId: string; ep: string; ms: number; recipe: Recipe; warnings: string[] }
  'job/failed': { jobId: string; error: string; cancelled: boolean }
  'engine/status': { state: EngineState; message?: string }
}
export type EventName = keyof Events

/** Runtime list of event channels (bindings forward exactly these). */
export const EVENT_NAMES = ['job/progress', 'job/partial', 'job/done', 'job/failed', 'engine/status'] as const satisfies readonly EventName[]
type MissingEvents = Exclude<EventName, (typeof EVENT_NAMES)[number]>
/** Fails to compile if an event of `Events` is missing from EVENT_NAMES. */
export const EVENT_NAMES_COMPLETE: [MissingEvents] extends [never] ? true : MissingEvents = true

/** Errors cross processes as values, not exceptions (Signal's habit). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string }

/**
 * Envelopes used on every message transport (engine host IPC, WebSocket), spoken by `RpcPeer`
 * (`rpc.ts`): a request's `id` is the caller's sequence number and comes back on its reply.
 * `method` is a string, not `Method`: the engine host also answers its private `host/init`.
 */
export type Envelope =
  | { t: 'req'; id: number; method: string; args: unknown }
  | { t: 'res'; id: number; result: Result<unknown> }
  | { t: 'evt'; name: EventName; payload: unknown }
  /** The caller no longer wants request `id` answered (it cancelled, or is going away): stop its work. */
  | { t: 'cancel'; id: number }

/** What the renderer talks to, over Electron IPC or the server's WebSocket. */
export interface StudioClient {
  readonly host: 'electron' | 'browser'
  invoke<K extends ClientMethod>(method: K, args: Req<K>): Promise<Res<K>>
  on<E extends EventName>(name: E, cb: (payload: Events[E]) => void): () => void
  /** Save bytes the user exported: native dialog in Electron, a download in the browser. */
  saveFile(suggestedName: string, bytes: Uint8Array, mime: string): Promise<string | null>
}
