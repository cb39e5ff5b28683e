/**
 * One voice lane's wavesurfer.js 7 instance: waveform + timeline + hover time + drag-to-select regions,
 * and a spectrogram view on demand. While a voice streams, the lane draws the whole note's buffer
 * (silence past what arrived) so the time axis stays put and the waveform grows left to right; when
 * the voice is done it is loaded once more as a WAV blob, which the media element can play.
 * The samples are handed over as "pre-decoded peaks": at full resolution they are the audio itself, so
 * the spectrogram plugin reads real samples at the real rate (length / duration).
 */
import WaveSurfer from 'wavesurfer.js'
import HoverPlugin from 'wavesurfer.js/plugins/hover'
import RegionsPlugin, { type Region } from 'wavesurfer.js/plugins/regions'
import SpectrogramPlugin from 'wavesurfer.js/plugins/spectrogram'
import TimelinePlugin, { type TimelinePluginOptions } from 'wavesurfer.js/plugins/timeline'
import { encodeWav } from '../../common/wav'

export interface LaneSurfer {
  ws: WaveSurfer
  regions: RegionsPlugin
  spectrogram: SpectrogramPlugin | null
  timeline: LaneTimeline
  /** Drawn from a reduced envelope (a long sound): no spectrogram, it would read the envelope as audio. */
  reduced: boolean
}

/** The timeline plugin with its spacing settable: it reads its options on every redraw. */
class LaneTimeline extends TimelinePlugin {
  space(o: Pick<TimelinePluginOptions, 'timeInterval' | 'primaryLabelInterval' | 'secondaryLabelInterval' | 'formatTimeCallback'>): void {
    Object.assign(this.options, o)
  }
}

/**
 * Longest sound drawn sample for sample (~65 s at 16 kHz). wavesurfer walks every value it is given on
 * each redraw (twice, on the UI thread): a 30-minute WAV is 30 M samples, seconds per redraw. Past this
 * the lane is drawn from the max |x| of equal slices: the same picture wherever a point is under a pixel,
 * and at the pane's highest zoom (2000 px/s) ≤ 4 px a point for 30 minutes.
 */
export const FULL_DRAW_SAMPLES = 1 << 20

/** `samples`, or (FULL_DRAW_SAMPLES,) max |x| of equal slices of them when longer. */
export function drawable(samples: Float32Array): Float32Array {
  if (samples.length <= FULL_DRAW_SAMPLES) return samples
  const out = new Float32Array(FULL_DRAW_SAMPLES)
  const per = samples.length / FULL_DRAW_SAMPLES
  for (let j = 0, i = 0; j < FULL_DRAW_SAMPLES; j++) {
    const end = Math.min(samples.length, Math.round((j + 1) * per))
    let m = 0
    for (; i < end; i++) {
      const v = samples[i] < 0 ? -samples[i] : samples[i]
      if (v > m) m = v
    }
    out[j] = m
  }
  return out
}

export interface LaneHooks {
  onplay(playing: boolean): void
  ontime(seconds: number): void
  /** The selected region (one at a time), or null when cleared. */
  onregion(region: Region | null): void
}

const REGION_COLOR = 'rgba(124, 140, 255, 0.22)'
const seconds = (t: number) => (Math.round(t * 10) / 10).toString()
const clock = (t: number) => (t < 60 ? seconds(t) : `${Math.floor(t / 60)}:${String(Math.round(t % 60)).padStart(2, '0')}`)
/** Notes last 0.25–4 s: ticks every 0.1 s, labels every 0.5 s (the plugin's defaults suit minutes). */
const NOTE_TICKS = { timeInterval: 0.1, primaryLabelInterval: 1, secondaryLabelInterval: 0.5, formatTimeCallback: seconds }
/** Past this a sound gets the plugin's own spacing (by pixels per second): 0.1 s ticks would be 18,000 DOM nodes for 30 minutes. */
const NOTE_TICKS_UP_TO_S = 20

export function createLaneSurfer(container: HTMLElement, hooks: LaneHooks): LaneSurfer {
  const regions = RegionsPlugin.create()
  const timeline = new LaneTimeline({ height: 14, ...NOTE_TICKS, secondaryLabelOpacity: 0.6, style: { fontSize: '10px', color: '#8d8d99' } })
  const ws = WaveSurfer.create({
    container,
    height: 72,
    waveColor: '#7c8cff',
    progressColor: '#c3a6ff',
    cursorColor: '#e7e7ec',
    cursorWidth: 1,
    // Our samples are already in [-1, 1]; normalising would make a quiet note look loud.
    normalize: false,
    dragToSeek: false,
    plugins: [
      regions,
      timeline,
      HoverPlugin.create({ lineColor: '#97a3ff', labelColor: '#0e1030', labelBackground: '#97a3ff', labelSize: 10, formatTimeCallback: (t) => `${t.toFixed(2)} s` }),
    ],
  })
  ws.on('play', () => hooks.onplay(true))
  ws.on('pause', () => hooks.onplay(false))
  ws.on('finish', () => hooks.onplay(false))
  ws.on('timeupdate', (t) => hooks.ontime(t))
  regions.enableDragSelection({ color: REGION_COLOR })
  const keepOne = (r: Region) => {
    for (const other of regions.getRegions()) if (other !== r) other.remove()
    hooks.onregion(r)
  }
  regions.on('region-created', keepOne)
  regions.on('region-updated', keepOne)
  regions.on('region-removed', () => hooks.onregion(regions.getRegions()[0] ?? null))
  return { ws, regions, spectrogram: null, timeline, reduced: false }
}

/** Fit what the lane draws to a sound: the envelope when long, and the timeline's spacing (read on each redraw). */
function fit(lane: LaneSurfer, samples: Float32Array, sampleRate: number): Float32Array {
  const peaks = drawable(samples)
  lane.reduced = peaks !== samples
  const long = samples.length / sampleRate > NOTE_TICKS_UP_TO_S
  lane.timeline.space(long ? { timeInterval: undefined, primaryLabelInterval: undefined, secondaryLabelInterval: undefined, formatTimeCallback: clock } : NOTE_TICKS)
  return peaks
}

/** Draw a streaming voice: `buf` is the whole note, (total,) samples, zeros past what has arrived. */
export function showStreaming(lane: LaneSurfer, buf: Float32Array, sampleRate: number): Promise<void> {
  const peaks = fit(lane, buf, sampleRate)
  return lane.ws.load('', [peaks], buf.length / sampleRate).catch(() => undefined)
}

/**
 * Draw the finished voice and make it playable: (n,) samples become a 16-bit WAV blob for the media
 * element, or `file` plays as it is (an opened WAV: re-encoding 30 M samples would hold the page seconds).
 */
export function showFinal(lane: LaneSurfer, samples: Float32Array, sampleRate: number, file?: Blob | null): Promise<void> {
  const blob = file ?? new Blob([encodeWav(samples, sampleRate, null) as Uint8Array<ArrayBuffer>], { type: 'audio/wav' })
  const peaks = fit(lane, samples, sampleRate)
  return lane.ws.loadBlob(blob, [peaks], samples.length / sampleRate).catch(() => undefined)
}

/**
 * The spectrogram plugin of wavesurfer.js 7.9.9 drops its listeners (`unAll`) before it emits `destroy`,
 * so the WaveSurfer it was registered with never hears of it and keeps it in its plugin list; the lane's
 * `ws.destroy()` (the next note, or an older note shown) then destroys it a second time and throws
 * `Cannot read properties of null (reading 'un')`. This one tells its WaveSurfer first, and a second
 * destroy is a no-op.
 */
class LaneSpectrogram extends SpectrogramPlugin {
  #destroyed = false
  override destroy(): void {
    if (this.#destroyed) return
    this.#destroyed = true
    this.emit('destroy') // WaveSurfer.registerPlugin's `once('destroy')` removes it from the list
    super.destroy()
  }
}

/** Show or hide the spectrogram under the waveform (linear 0…Nyquist: a note's harmonics are evenly spaced). */
export function setSpectrogram(lane: LaneSurfer, on: boolean): void {
  on &&= !lane.reduced
  if (on && !lane.spectrogram) {
    lane.spectrogram = lane.ws.registerPlugin(new LaneSpectrogram({ height: 96, scale: 'linear', fftSamples: 512, labels: true, labelsBackground: 'rgba(18,18,20,0.55)' }))
    lane.ws.zoom(lane.ws.options.minPxPerSec) // redraw: the plugin renders on the next `redraw`
  } else if (!on && lane.spectrogram) {
    lane.spectrogram.destroy()
    lane.spectrogram = null
  }
}
