/**
 * The `chord` param of the WaveNet studio: notes played together, one voice each in one batch (the engine
 * runs them, the renderer names each voice's note and gives it its own recipe).
 * Written as MIDI numbers (`60 64 67`) or note names in scientific pitch notation (`C4 E4 G4`, MIDI 60 =
 * C4, as the keyboard labels them; `#`/`♯` and `b`/`♭` accidentals), separated by spaces or commas.
 */
const LETTERS: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 }
/** More voices than this in one chord is a typo, not a chord (each voice is a full generation). */
export const MAX_CHORD = 8

/** One note: a MIDI number or a name; null when it is neither. */
function parseNote(word: string): number | null {
  if (/^\d{1,3}$/.test(word)) return Number(word)
  const m = /^([a-gA-G])([#♯b♭]?)(-?\d)$/.exec(word)
  if (!m) return null
  const shift = m[2] === '#' || m[2] === '♯' ? 1 : m[2] === 'b' || m[2] === '♭' ? -1 : 0
  return (Number(m[3]) + 1) * 12 + LETTERS[m[1].toLowerCase()] + shift
}

/**
 * The chord's pitches in the order written, each checked against the model's range; [] for an empty
 * chord. Errors name the word that is wrong and what is allowed.
 */
export function parseChord(text: string, pitchMin: number, pitchMax: number): number[] {
  const words = text.split(/[\s,]+/).filter(Boolean)
  if (words.length > MAX_CHORD) throw new Error(`chord: ${words.length} notes; at most ${MAX_CHORD} play together`)
  return words.map((w) => {
    const p = parseNote(w)
    if (p === null) throw new Error(`chord: "${w}" is not a note (write MIDI numbers like 60 or names like C4, F#3, Bb4)`)
    if (p < pitchMin || p > pitchMax) throw new Error(`chord: ${w} (MIDI ${p}) is outside the trained range MIDI ${pitchMin}…${pitchMax}`)
    return p
  })
}
