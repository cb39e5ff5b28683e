import { describe, expect, it } from 'vitest'
import { checkInputs, fromBase64, INPUT_LIMITS, inputFromRecipe, RECIPE_INLINE_BYTES, recipeInputs, sha256Hex, toBase64 } from './inputs'
import { RecipeSchema } from './recipe'

const photo = { photo: { kind: 'image' as const } }
const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill)

describe('job inputs', () => {
  it('accepts what the family declares, within its kind’s limit', () => {
    const r = checkInputs(photo, { photo: { kind: 'image', bytes: bytes(10), fileName: 'cat.png' } })
    expect(r).toEqual({ ok: true, inputs: { photo: { kind: 'image', bytes: bytes(10), fileName: 'cat.png' } } })
    expect(checkInputs({}, undefined)).toEqual({ ok: true, inputs: {} })
    expect(checkInputs({ midi: { kind: 'midi', optional: true } }, {})).toEqual({ ok: true, inputs: {} })
  })

  it.each([
    ['an input the model does not take', {}, { photo: { kind: 'image', bytes: bytes(1) } }, 'input "photo" is not taken by this model (it takes no inputs)'],
    ['a missing required input', photo, {}, 'this model needs an input "photo" (an image)'],
    ['the wrong kind', photo, { photo: { kind: 'midi', bytes: bytes(1) } }, 'input "photo" must be of kind "image", got "midi"'],
    ['bytes that are not a Uint8Array', photo, { photo: { kind: 'image', bytes: [1, 2] } }, 'input "photo": bytes must be a Uint8Array'],
    ['an empty file', photo, { photo: { kind: 'image', bytes: bytes(0) } }, 'input "photo" is empty'],
    ['a file over the limit', photo, { photo: { kind: 'image', bytes: bytes(INPUT_LIMITS.image + 1) } }, 'input "photo" (32 MiB) is over the 32 MiB limit for an image'],
    ['a MIDI over 4 MiB', { midi: { kind: 'midi' } }, { midi: { kind: 'midi', bytes: bytes(INPUT_LIMITS.midi + 1) } }, 'is over the 4 MiB limit for a MIDI file'],
    ['a file name with folders', photo, { photo: { kind: 'image', bytes: bytes(1), fileName: '../x.png' } }, 'fileName must be a plain file name'],
    ['an array', photo, [], 'inputs must be an object of named files'],
  ])('refuses %s', (_what, specs, raw, error) => {
    const r = checkInputs(specs as never, raw)
    expect(r.ok).toBe(false)
    expect((r as { error: string }).error).toContain(error)
  })

  it('records SHA-256 in the recipe, and the bytes themselves only when small', async () => {
    // FIPS 180-2 test vector.
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    const small = bytes(RECIPE_INLINE_BYTES, 3)
    const big = bytes(RECIPE_INLINE_BYTES + 1, 3)
    const r = await recipeInputs({ photo: { kind: 'image', bytes: small, fileName: 'a.png' }, midi: { kind: 'midi', bytes: big } })
    expect(r!.photo).toMatchObject({ kind: 'image', size: small.length, fileName: 'a.png', sha256: await sha256Hex(small) })
    expect(inputFromRecipe(r!.photo)).toEqual({ kind: 'image', bytes: small, fileName: 'a.png' })
    expect(r!.midi.base64).toBeUndefined()
    expect(inputFromRecipe(r!.midi)).toBeNull()
    expect(await recipeInputs({})).toBeUndefined()
    const recipe = { app: 'latent-studio', appVersion: '0', modelId: 'm', modelHash: 'h', seed: 1, params: {}, ep: 'cpu', inputs: r }
    expect(RecipeSchema.parse(JSON.parse(JSON.stringify(recipe)))).toEqual(recipe)
  })

  it('base64 round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 * 300 }, (_, i) => i & 255)
    expect(fromBase64(toBase64(all))).toEqual(all)
    expect(toBase64(Uint8Array.of(0xfb, 0xff))).toBe('+/8=')
  })
})
