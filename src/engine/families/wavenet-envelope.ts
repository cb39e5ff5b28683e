/**
 * The loudness envelope a WaveNet with an `envelope` input is conditioned on: one value per sample in
 * [0, 1] (1 + dB / 60 of the RMS level, as training/lstudio/wavenet_data.py measures its training notes).
 *
 * - natural: frames of the soundfont's own 1.25-s note (1 s held, 0.25 s released) at this instrument,
 *   pitch and velocity, one per HOP samples, from the model's `envelope` graph; stretched to the requested
 *   length as training/lstudio/wavenet_envelope.py `note_envelope` does (the card's evaluation uses that):
 *   the held part as rendered, past its 1 s continuing its last 0.3 s slope (never rising), and the last
 *   0.25 s the rendered release as a drop from where it starts (a note shorter than 1 s: its last quarter,
 *   the release sped up to fit).
 * - adsr: attack (linear from silence to the natural note's peak), decay (linear in dB to the sustain
 *   level), sustain, release (linear in dB to silence, −60 dB) at the end of the note.
 */
/** Frame hop in samples (10 ms at 16 kHz); frame k is centred on sample k·HOP. */
export const HOP = 160
/** Seconds of the rendered notes' held part and of their release. */
export const HOLD_S = 1
export const RELEASE_S = 0.25
/** dB span of the envelope: 0 is −60 dB RMS, 1 is 0 dB. */
const SPAN_DB = 60

export interface Adsr {
  attack: number
  decay: number
  /** dB below the peak, ≤ 0. */
  sustain: number
  release: number
}

/** (F,) frames → (T,) linear between frame centres (lstudio.wavenet_envelope._interp). */
function interp(frames: Float32Array, T: number): Float32Array {
  const out = new Float32Array(T)
  const last = frames.length - 1
  for (let s = 0; s < T; s++) {
    const k0 = Math.min(Math.floor(s / HOP), last)
    const k1 = Math.min(k0 + 1, last)
    const w = (s - k0 * HOP) / HOP
    out[s] = frames[k0] * (1 - w) + frames[k1] * w
  }
  return out
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x)

/** The natural envelope of a note of `total` samples from its rendered note's frames (module doc). */
export function naturalEnvelope(frames: Float32Array, total: number, sampleRate: number): Float32Array {
  const hold = Math.round(HOLD_S * sampleRate)
  const relFull = Math.round(RELEASE_S * sampleRate)
  const rel = Math.min(relFull, Math.floor(total / 4))
  const off = total - rel
  const per = interp(frames, hold + relFull)
  const back = Math.round(0.3 * sampleRate)
  const slope = Math.min(0, (per[hold - 1] - per[hold - 1 - back]) / back)
  const held = (s: number) => (s < hold ? per[s] : per[hold - 1] + slope * (s - hold + 1))
  const out = new Float32Array(total)
  const levelOff = off < total ? held(off) : 0
  for (let s = 0; s < total; s++) {
    out[s] = clamp01(s < off ? held(s) : levelOff + per[Math.min(hold + Math.floor(((s - off) * relFull) / rel), per.length - 1)] - per[hold])
  }
  return out
}

/** An ADSR envelope of `total` samples peaking at `peak` (the natural note's loudest frame). */
export function adsrEnvelope(a: Adsr, peak: number, total: number, sampleRate: number): Float32Array {
  const out = new Float32Array(total)
  const A = Math.max(1, Math.round(a.attack * sampleRate))
  const D = Math.max(1, Math.round(a.decay * sampleRate))
  const R = Math.min(total, Math.max(1, Math.round(a.release * sampleRate)))
  const sustain = clamp01(peak + Math.min(0, a.sustain) / SPAN_DB)
  const off = total - R
  const before = (s: number) => (s < A ? (peak * s) / A : s < A + D ? peak + ((sustain - peak) * (s - A)) / D : sustain)
  const atOff = before(off)
  for (let s = 0; s < total; s++) out[s] = clamp01(s < off ? before(s) : atOff * (1 - (s - off + 1) / R))
  return out
}

/** The loudest frame of a natural note (the ADSR's peak, so a drawn envelope is as loud as the real note). */
export function peakOf(frames: Float32Array): number {
  let p = 0
  for (const f of frames) p = Math.max(p, f)
  return p
}

/**
 * The INTERIM post-hoc envelope for a model that does not take one: (total,) linear gain 10^(60 (e − 1) / 20)
 * divided by its value at the note's loudest point, multiplied onto the generated samples (the model's own
 * level stays at the peak). training/lstudio/wavenet_envelope.py `posthoc_gain` is the same for the card.
 */
export function posthocGain(env: Float32Array): Float32Array {
  let top = 0
  for (const e of env) top = Math.max(top, e)
  return env.map((e) => 10 ** ((SPAN_DB * (e - top)) / 20))
}
