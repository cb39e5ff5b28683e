/**
 * `npm run bench -- [--json FILE] [--runs N] [--threads N] [--skip-browser] [--only SECTION,...]`
 *
 * - `gan.images_per_s.b1|b16|b64`: the shipped DCGAN through the engine host (CPU EP), beside PyTorch
 *   eager on the same model in the same run (`training/bench_torch.py`).
 * - `wavenet.rtf.b1|b4|b8`: seconds of audio per second (b4: a 4-note chord, per voice) through the engine host beside PyTorch eager fast
 *   generation of the same weights (bench/wavenet.ts, `training/bench_torch_wavenet.py`).
 * - `dream.seconds_512`, `dream.first_preview_ms`: Deep Dream on a 512×512 photo, 4 octaves × 10 steps, through
 *   the engine host beside PyTorch eager (autograd) running the reference loop, and `dream.cpu_seconds_512`
 *   (CPU time of both: on our shared 2-core VM wall time mostly measures the other jobs) (bench/dream.ts).
 * - `overhead.us_per_op`: one tiny op's fixed cost in an ORT Loop body beside PyTorch eager (bench/overhead.ts):
 *   what bounds the WaveNet ratio, whose batch-1 step is a chain of such ops.
 * - `gan.click_to_first_image_ms`: the browser host (Chromium + the server), Generate click to first image.
 * - `renderer.<gan64|text8>.longest_task_ms|p95_frame_ms`: the page's main thread while a 64-image job or an
 *   8-draft text job streams in (Chrome's trace; goal: longest task ≤ 50 ms on our 2-core machine).
 * - `music.events_per_s.b1`: the music LSTM through the engine host beside a PyTorch eager sampling loop of the
 *   same weights (bench/music.ts, `training/bench_torch_music.py`; goal ≥ 5×), and in the browser host
 *   `music.click_to_first_note_ms`: Generate click to the first note handed to the synth (goal ≤ 300 ms).
 * - `text.chars_per_s.b1|b8`: lstm-austen drafts (1 or 8 at once) through the engine host, counted as they
 *   arrive in job/partial events, beside a PyTorch eager sampling loop of the same weights
 *   (`training/bench_torch_text.py`).
 *
 * Writes a JSON array of `{name, value, unit, baseline?}` records to FILE and prints a table.
 * The CPU is shared with whatever else runs; medians of several runs keep one slow run from counting.
 */
import { execSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchClickToFirstImage } from './browser'
import { benchDream } from './dream'
import { benchRenderer } from './renderer'
import { benchGan, GAN_BATCHES, IMAGES_PER_JOB } from './gan'
import { benchMusic, findMusicModel } from './music'
import { benchClickToFirstNote } from './music-browser'
import { benchOverhead } from './overhead'
import { benchText, TEXT_BATCHES, torchTextBaseline } from './text'
import type { BenchRecord } from './record'
import { formatTable } from './table'
import { torchGanBaseline } from './torch'
import { benchWavenet } from './wavenet'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const GAN_ID = 'dcgan-emoji'
const TEXT_ID = 'lstm-austen'

interface Args {
  json?: string
  runs: number
  /** ORT intra-op threads for the engine-host runs; default: the engine's choice. */
  threads?: number
  browser: boolean
  /** Only these sections (ONLY's keys), e.g. `--only music` while tuning one family. */
  only?: string[]
}

function parseArgs(argv: string[]): Args {
  const a: Args = { runs: 5, browser: true }
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]
    if (f === '--json') a.json = argv[++i]
    else if (f === '--runs') a.runs = Number(argv[++i])
    else if (f === '--threads') a.threads = Number(argv[++i])
    else if (f === '--skip-browser') a.browser = false
    else if (f === '--only') a.only = (argv[++i] ?? '').split(',').filter(Boolean)
    else if (f === '-h' || f === '--help') {
      console.log(`npm run bench -- [--json FILE] [--runs N] [--threads N] [--skip-browser] [--only ${Object.keys(ONLY).join('|')}[,...]]`)
      process.exit(0)
    } else throw new Error(`unknown option ${JSON.stringify(f)} (see --help)`)
  }
  if (a.json === undefined && argv.includes('--json')) throw new Error('--json needs a file name')
  if (!Number.isInteger(a.runs) || a.runs < 1) throw new Error('--runs needs a whole number ≥ 1')
  if (a.threads !== undefined && !(Number.isInteger(a.threads) && a.threads >= 1)) throw new Error('--threads needs a whole number ≥ 1')
  const unknown = a.only?.filter((s) => !(s in ONLY)) ?? []
  if (a.only && (unknown.length || !a.only.length)) throw new Error(`--only takes sections from ${Object.keys(ONLY).join(', ')}; got ${JSON.stringify(a.only.join(','))}`)
  return a
}

const log = (s: string) => process.stderr.write(s + '\n')
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ')

/** Sections `--only` can run alone (the GAN and text sections feed the closing summary, so they run in full runs only). */
const ONLY: Record<string, (a: Args) => Promise<BenchRecord[]>> = {
  wavenet: (a) => benchWavenet(ROOT, a.runs, log, a.threads),
  music: (a) => benchMusic(ROOT, a.runs, log, a.threads),
  overhead: (a) => benchOverhead(ROOT, a.runs, log),
  dream: (a) => benchDream(ROOT, a.runs, log, a.threads),
}

function writeRecords(records: BenchRecord[], json: string | undefined): void {
  console.log(formatTable(records))
  if (json) {
    const out = resolve(json)
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, JSON.stringify(records, null, 2) + '\n')
    console.log(`\nwrote ${out}`)
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const records: BenchRecord[] = []
  if (args.only) {
    for (const section of args.only) records.push(...(await ONLY[section](args)))
    return writeRecords(records, args.json)
  }

  log(`gan: ${IMAGES_PER_JOB}-image jobs through the engine host, batch ${GAN_BATCHES.join('/')}, ${args.runs} runs each…`)
  const gan = await benchGan(ROOT, GAN_ID, args.runs, log, args.threads)
  for (const [k, v] of Object.entries(gan.samples)) log(`  ${k}: ${fmt(v)} images/s`)

  const tried = [...new Set([1, gan.threads])].join(' and ')
  log(`torch-eager: training/bench_torch.py with OMP_NUM_THREADS = ${tried} (best per batch size)…`)
  const torch = await torchGanBaseline(ROOT, join('models', GAN_ID), [...GAN_BATCHES], gan.threads)
  if (!torch.ok) log(`  baseline skipped: ${torch.skipped}`)
  else log(`  ${Object.entries(torch.imagesPerS).map(([k, v]) => `${k}: ${v.toFixed(1)} (${torch.threadsUsed[k]} thr)`).join(', ')} images/s`)

  for (const b of GAN_BATCHES) {
    const r: BenchRecord = { name: `gan.images_per_s.b${b}`, value: round(gan.imagesPerS[`b${b}`]), unit: 'images/s' }
    if (torch.ok) r.baseline = { name: 'torch-eager', value: round(torch.imagesPerS[`b${b}`]) }
    records.push(r)
  }

  log(`text: ${TEXT_ID} drafts through the engine host, ${TEXT_BATCHES.join('/')} at once, ${args.runs} runs each…`)
  const text = await benchText(ROOT, TEXT_ID, args.runs, log, args.threads)
  for (const [k, v] of Object.entries(text.samples)) log(`  ${k}: ${fmt(v)} chars/s`)
  log(`torch-eager: training/bench_torch_text.py with OMP_NUM_THREADS = ${[...new Set([1, text.threads])].join(' and ')}…`)
  const torchText = await torchTextBaseline(ROOT, join('models', TEXT_ID), text.threads, Math.min(args.runs, 3))
  if (!torchText.ok) log(`  baseline skipped: ${torchText.skipped}`)
  for (const b of TEXT_BATCHES) {
    const k = `b${b}`
    const r: BenchRecord = { name: `text.chars_per_s.${k}`, value: round(text.charsPerS[k]), unit: 'chars/s' }
    if (torchText.ok) {
      r.baseline = { name: 'torch-eager', value: round(torchText.charsPerS[k]) }
      log(`  ${k}: ${round(torchText.charsPerS[k])} chars/s (${torchText.variant[k]}, ${torchText.threadsUsed[k]} thr); engine ÷ torch = ${(text.charsPerS[k] / torchText.charsPerS[k]).toFixed(1)}×`)
    }
    records.push(r)
  }

  records.push(...(await benchWavenet(ROOT, args.runs, log, args.threads)))
  records.push(...(await benchMusic(ROOT, args.runs, log, args.threads)))
  records.push(...(await benchOverhead(ROOT, args.runs, log)))
  records.push(...(await benchDream(ROOT, args.runs, log, args.threads)))

  if (args.browser) {
    log('browser: npm run build:web, then click-to-first-image in Chromium…')
    execSync('npm run build:web', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
    const c = await benchClickToFirstImage(ROOT, GAN_ID, args.runs)
    log(`  ${fmt(c.samples)} ms`)
    records.push({ name: 'gan.click_to_first_image_ms', value: round(c.ms), unit: 'ms' })
    const music = findMusicModel(ROOT)
    if (music) {
      log(`browser: click-to-first-note with ${music.id} in Chromium…`)
      const extra = music.modelsDir === join(ROOT, 'models') ? [] : ['--models', music.modelsDir]
      const n = await benchClickToFirstNote(ROOT, music.id, args.runs, extra)
      log(`  ${fmt(n.samples)} ms`)
      records.push({ name: 'music.click_to_first_note_ms', value: round(n.ms), unit: 'ms' })
    }
    log('browser: the renderer main thread while results stream in (64 images, 8 drafts)…')
    const rend = await benchRenderer(ROOT, args.runs)
    for (const [k, f] of Object.entries(rend)) {
      log(`  ${k}: longest task ${fmt(f.samples.map((x) => x.longestTaskMs))} ms; p95 frame ${fmt(f.samples.map((x) => x.p95FrameMs))} ms`)
      records.push({ name: `renderer.${k}.longest_task_ms`, value: round(f.longestTaskMs), unit: 'ms' })
      records.push({ name: `renderer.${k}.p95_frame_ms`, value: round(f.p95FrameMs), unit: 'ms' })
    }
  }

  const torchThreads = torch.ok ? GAN_BATCHES.map((b) => `b${b}: ${torch.threadsUsed[`b${b}`]}`).join(', ') : 'skipped'
  console.log(`\nengine host: ${gan.ep} EP, ${gan.threads} intra-op threads; torch-eager: best of ${tried} OpenMP threads (${torchThreads})`)
  writeRecords(records, args.json)
}

function round(x: number): number {
  return Math.round(x * 10) / 10
}

main().catch((e) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
