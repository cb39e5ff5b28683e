/**
 * A user folder full of broken models next to the shipped GAN: every broken one is listed with an
 * error naming its file and field, and the good model still generates.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelSummary } from '../common/contract'
import { GAN_ID, runJob, SHIPPED_DIR, startEngine } from './testing'

const good = JSON.parse(readFileSync(join(SHIPPED_DIR, GAN_ID, 'model.json'), 'utf8'))
const onnx = join(SHIPPED_DIR, GAN_ID, good.graphs.generator.file)
const user = mkdtempSync(join(tmpdir(), 'ls-models-'))

/** A model folder in the user dir: manifest (object or raw text) and optionally the real ONNX. */
function model(folder: string, manifest: object | string, onnxBytes: 'real' | Buffer | null = 'real') {
  const d = join(user, folder)
  mkdirSync(d, { recursive: true })
  writeFileSync(join(d, 'model.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest))
  const file = join(d, 'generator.onnx')
  if (onnxBytes === 'real') copyFileSync(onnx, file)
  else if (onnxBytes) writeFileSync(file, onnxBytes)
}
/** The good manifest with a new id and a changed generator signature. */
function variant(id: string, change: (g: { inputs: { name: string; dtype: string; shape: unknown[] }[] }) => void) {
  const m = structuredClone(good)
  m.id = id
  m.graphs.generator.file = 'generator.onnx'
  change(m.graphs.generator)
  return m
}

describe('model registry with broken models', () => {
  const engine = startEngine([
    { dir: SHIPPED_DIR, source: 'shipped' },
    { dir: user, source: 'user' },
  ])
  let list: ModelSummary[] = []
  const byFolder = (f: string) => list.find((m) => m.dir === join(user, f))!

  beforeAll(async () => {
    model('bad-json', '{ "id": "bad-json", ')
    model('bad-schema', { ...variant('bad-schema', () => {}), license: '', graphs: { generator: { ...good.graphs.generator, file: '../x.onnx' } } })
    model('missing-onnx', variant('missing-onnx', () => {}), null)
    model('corrupt-onnx', variant('corrupt-onnx', () => {}), Buffer.from('this is not a protobuf at all, just text'))
    model('wrong-name', variant('wrong-name', (g) => (g.inputs[0].name = 'noise')))
    model('wrong-dtype', variant('wrong-dtype', (g) => (g.inputs[0].dtype = 'int64')))
    // latentSize follows the shape, so the manifest agrees with itself and only the ONNX file can say no.
    model('wrong-shape', { ...variant('wrong-shape', (g) => (g.inputs[0].shape = ['batch', 128])), latentSize: 128 })
    model('unsupported', { ...variant('unsupported', () => {}), family: 'transformer' })
    model('duplicate', variant(GAN_ID, () => {}))
    // Issue 17 item 1: a latentSize the graph does not declare once hung the engine in a 17 GB fill.
    model('huge-latent', { ...variant('huge-latent', () => {}), latentSize: 134217728 })
    model('other-latent', { ...variant('other-latent', () => {}), latentSize: 128 })
    mkdirSync(join(user, 'no-manifest'))
    mkdirSync(join(user, 'fifo-manifest'))
    execFileSync('mkfifo', [join(user, 'fifo-manifest', 'model.json')]) // reading it would block forever
    model('too-big', variant('too-big', () => {}), Buffer.alloc(0))
    truncateSync(join(user, 'too-big', 'generator.onnx'), 1024 ** 3 + 1) // sparse: no real disk used
    await engine.start()
    list = await engine.invoke('models/list', undefined)
  })
  afterAll(async () => {
    await engine.stop()
    rmSync(user, { recursive: true, force: true })
  })

  it('lists manifest problems with the file and the field', () => {
    const f = (name: string, file = 'model.json') => `${join(user, name, file)}: `
    expect(byFolder('bad-json').error).toMatch(new RegExp(`^${f('bad-json')}not valid JSON`))
    const schema = byFolder('bad-schema').error!
    expect(schema).toContain(`${f('bad-schema')}graphs.generator.file: must be a plain file name ending in .onnx`)
    expect(schema).toContain(`${f('bad-schema')}license:`)
    expect(byFolder('missing-onnx').error).toBe(`${f('missing-onnx', 'generator.onnx')}file not found (graphs.generator.file in ${join(user, 'missing-onnx', 'model.json')})`)
    expect(byFolder('no-manifest').error).toMatch(/no-manifest\/model.json: missing/)
    expect(byFolder('huge-latent').error).toMatch(/huge-latent\/model.json: latentSize: .*16384/)
    expect(byFolder('other-latent').error).toContain('latentSize: 128 is not the size graphs.generator.inputs.0 declares ([batch, 100])')
    expect(byFolder('fifo-manifest').error).toMatch(/fifo-manifest\/model.json: not a plain file/)
    expect(byFolder('too-big').error).toMatch(/too-big\/generator\.onnx: 1\.00 GiB is over the 1\.00 GiB limit/)
    // Every family of the schema has a runner now: a family this version does not know is named with the ones it does.
    expect(byFolder('unsupported').error).toMatch(/unsupported\/model.json: family: Invalid option: expected one of "gan"\|.*"music-lstm"/)
  })

  it('reports a second model with the same id as a duplicate of the first', () => {
    const dup = byFolder('duplicate')
    expect(dup.error).toContain(`id: "${GAN_ID}" is already used by models/${GAN_ID}/model.json`)
    expect(dup.id).not.toBe(GAN_ID) // ids stay unique for lists keyed by id
    expect(list.filter((m) => m.id === GAN_ID)).toHaveLength(1)
  })

  it('checks the real ONNX file and signature on first load, then lists the model as broken', async () => {
    const cases: [string, string][] = [
      ['corrupt-onnx', `${join(user, 'corrupt-onnx', 'generator.onnx')}: not a valid ONNX model (`],
      ['wrong-name', `generator.onnx: input "noise" is not in the model (its inputs: z)`],
      ['wrong-dtype', `generator.onnx: input "z" has dtype float32, manifest says int64`],
      ['wrong-shape', `generator.onnx: input "z" has shape [batch, 100], manifest says [batch, 128]`],
    ]
    for (const [id, message] of cases) {
      expect(byFolder(id).error).toBeUndefined() // nothing wrong is visible before ORT reads the file
      const o = await runJob(engine, { modelId: id, seed: 1, params: { count: 1 } })
      expect(o.failed?.error).toContain(message)
    }
    expect((await runJob(engine, { modelId: 'wrong-name', seed: 1, params: {} })).failed?.error).toContain('model input "z" is not declared in the manifest')
    const after = await engine.invoke('models/list', undefined)
    for (const [id, message] of cases) expect(after.find((m) => m.id === id)?.error).toContain(message)
  })

  it('still generates with the good model', async () => {
    expect(list.find((m) => m.id === GAN_ID)?.error).toBeUndefined()
    const o = await runJob(engine, { modelId: GAN_ID, seed: 3, params: { count: 2 }, ep: 'cpu' })
    expect(o.failed).toBeUndefined()
    expect(o.images).toHaveLength(2)
  })

  it('forgets load errors on models/reload once the file is fixed', async () => {
    copyFileSync(onnx, join(user, 'corrupt-onnx', 'generator.onnx'))
    const reloaded = await engine.invoke('models/reload', undefined)
    expect(reloaded.find((m) => m.id === 'corrupt-onnx')?.error).toBeUndefined()
    const o = await runJob(engine, { modelId: 'corrupt-onnx', seed: 1, params: { count: 1 } })
    expect(o.done?.recipe.modelId).toBe('corrupt-onnx')
  })
})
