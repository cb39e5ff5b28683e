/**
 * The CLI's music files: the .mid and the .wav carry the recipe and give the notes back, the WAV is the
 * soundfont rendering (same samples every time), and bad clips are refused naming the file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeMidi, encodeMidi, type MidiNote } from '../common/midi'
import { decodeWav } from '../common/wav'
import { midiInfo, readPrime, writeMusic } from './music-out'

const dir = mkdtempSync(join(tmpdir(), 'music-out-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const recipe = JSON.stringify({ app: 'latent-studio', modelId: 'music-lstm-test', seed: 3, params: { bars: 2, tempo: 110 } })
const notes: MidiNote[] = [60, 64, 67, 72].map((pitch, i) => ({ pitch, velocity: 90, startS: i * 0.25, durS: 0.5, program: 4 }))

describe('music files from the CLI', () => {
  it('write a .mid and a .wav with the recipe; the same arguments give the same bytes', async () => {
    const paths = await writeMusic(dir, 'music-lstm-test-3', notes, 110, recipe, { wav: true })
    expect(paths).toEqual([join(dir, 'music-lstm-test-3.mid'), join(dir, 'music-lstm-test-3.wav')])
    const mid = readFileSync(paths[0])
    expect(decodeMidi(mid)).toMatchObject({ bpm: 110, recipe })
    expect(decodeMidi(mid).notes.map((n) => [n.pitch, n.program])).toEqual(notes.map((n) => [n.pitch, 4]))
    const wav = decodeWav(readFileSync(paths[1]))
    expect([wav.sampleRate, wav.recipe, wav.samples.length]).toEqual([44100, recipe, Math.ceil((1.25 + 1.5) * 44100)])
    expect(wav.samples.reduce((m, x) => Math.max(m, Math.abs(x)), 0)).toBeGreaterThan(0.85)
    const again = await writeMusic(join(dir), 'again', notes, 110, recipe, { wav: true })
    expect(readFileSync(again[1])).toEqual(readFileSync(paths[1]))
    expect(midiInfo('x.mid', mid)).toBe(JSON.stringify(JSON.parse(recipe), null, 2))
  })

  it('read a clip as a prime, and refuse bad clips naming the file', async () => {
    const clip = join(dir, 'clip.mid')
    writeFileSync(clip, encodeMidi(notes, 90, null))
    expect((await readPrime(clip)).notes).toHaveLength(4)
    expect(() => midiInfo('clip.mid', readFileSync(clip))).toThrow('clip.mid has no Latent Studio recipe (4 notes, 1.3 s at 90 bpm)')
    writeFileSync(join(dir, 'fake.mid'), 'not midi at all, just text')
    await expect(readPrime(join(dir, 'fake.mid'))).rejects.toThrow(`${join(dir, 'fake.mid')} is not a usable MIDI file: it does not start with MThd`)
    await expect(readPrime(join(dir, 'missing.mid'))).rejects.toThrow(/cannot read .*missing\.mid: ENOENT/)
  })
})
