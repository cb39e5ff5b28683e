/**
 * The on-screen keyboard's geometry and names, pure so it is unit-tested: MIDI 60 is C4 (scientific
 * pitch notation, as MIDI and most DAWs label it), white keys sit side by side, black keys straddle
 * the gap between two white keys.
 */
const NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B']
const BLACK = new Set([1, 3, 6, 8, 10])

/** Octave number of MIDI note n: 60 → 4. */
export function noteName(pitch: number): string {
  return `${NAMES[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`
}

export function isBlackKey(pitch: number): boolean {
  return BLACK.has(((pitch % 12) + 12) % 12)
}

/** Frequency in Hz of MIDI note n in equal temperament (A4 = 69 = 440 Hz). */
export function midiToHz(pitch: number): number {
  return 440 * 2 ** ((pitch - 69) / 12)
}

/**
 * Keys min..max with `x` in white-key widths from the left edge: a white key spans [x, x + 1), a black
 * key is centred on the boundary after the white key before it (x = that boundary − 0.3, width 0.6).
 * A range starting or ending on a black key still shows it whole.
 */
export function keyLayout(min: number, max: number): { keys: { pitch: number; x: number }[]; whites: number } {
  const keys: { pitch: number; x: number }[] = []
  let whites = 0
  // A leading black key needs half a white key of room on its left.
  const lead = isBlackKey(min) ? 0.5 : 0
  for (let p = min; p <= max; p++) {
    if (isBlackKey(p)) keys.push({ pitch: p, x: lead + whites - 0.3 })
    else keys.push({ pitch: p, x: lead + whites++ })
  }
  const tail = max >= min && isBlackKey(max) ? 0.5 : 0
  return { keys, whites: Math.max(1, whites + lead + tail) }
}

/**
 * Peak |x| of `samples` in `bins` equal slices of a note `total` samples long (slices not yet
 * generated are 0), for thumbnails: (bins,) in [0, 1].
 */
export function envelope(samples: Float32Array, total: number, bins: number): number[] {
  const out = new Array<number>(bins).fill(0)
  const per = Math.max(1, total / bins)
  for (let i = 0; i < samples.length; i++) {
    const b = Math.min(bins - 1, Math.floor(i / per))
    const v = Math.abs(samples[i])
    if (v > out[b]) out[b] = Math.min(1, v)
  }
  return out
}
