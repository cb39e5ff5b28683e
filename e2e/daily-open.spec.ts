/**
 * Issue 18 item 11: one Open… and one drop target for every kind of file the studio reads. A PNG and a
 * Markdown file made here bring their recipes back; a WAV made elsewhere (no recipe) opens and plays
 * with a note, not an error; a JPEG is refused by a message that names the kinds that are opened.
 * The files are made in the test through the same codecs the studio writes with.
 */
import { deflateSync } from 'node:zlib'
import { CODECS } from '../src/common/codecs'
import type { Recipe } from '../src/common/recipe'
import { encodeWav } from '../src/common/wav'
import { GAN_ID } from './env'
import { draftStatus, TEXT_ID } from './helpers/text'
import { dropFile, expect, selectModel, setSeed, test, toasts } from './studio'

const AUDIO_ID = process.env.E2E_AUDIO_MODEL ?? 'wavenet-notes'
const recipe = (modelId: string, seed: number, params: Recipe['params']): Recipe => ({ app: 'latent-studio', appVersion: '0.0.0-e2e', modelId, modelHash: '', seed, params, ep: 'cpu' })
/** The first bytes of a JFIF JPEG: what a photo from a phone starts with. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9])
const KINDS = '.png, .gif, .md, .txt, .markdown, .wav, .mid or .midi'

test('one Open… for every kind, whatever the model: PNG and Markdown restore their recipes, a WAV from elsewhere plays, a JPEG is refused naming the kinds', async ({ studio: page }) => {
  // One Open… and one file input, taking every kind, beside an image, a text and a sound model alike.
  for (const id of [GAN_ID, TEXT_ID, AUDIO_ID]) {
    await selectModel(page, id)
    await expect(page.getByTestId('open-button')).toHaveCount(1)
    await expect(page.locator('input[type="file"]')).toHaveCount(1)
    await expect(page.getByTestId('open-file')).toHaveAttribute('accept', '.png,.gif,.md,.txt,.markdown,.wav,.mid,.midi')
  }
  const open = page.getByTestId('open-file')

  // A PNG made here, opened with a text model selected: the DCGAN and the recipe come back.
  const png = await CODECS.image.encode({ width: 2, height: 2, rgba: new Uint8Array(16).fill(200) }, recipe(GAN_ID, 31, { count: 1, truncation: 1.5 }), { scale: 1, deflate: deflateSync })
  await open.setInputFiles({ name: 'emoji.png', mimeType: 'image/png', buffer: Buffer.from(png) })
  await expect(toasts(page, 'info').filter({ hasText: 'Recipe restored from emoji.png' })).toBeVisible()
  await expect(page.getByTestId('seed-input')).toHaveValue('31')
  await expect(page.getByTestId('param-truncation')).toHaveValue('1.5')

  // Markdown made here: the text model, its prime, and the text itself as an opened draft.
  const md = await CODECS.text.encode({ text: 'It was a bright cold day.' }, recipe(TEXT_ID, 12, { prime: 'It was', length: 19, drafts: 1 }), { format: 'md' })
  await open.setInputFiles({ name: 'draft.md', mimeType: '', buffer: Buffer.from(md) })
  await expect(toasts(page, 'info').filter({ hasText: 'Recipe restored from draft.md' })).toBeVisible()
  await expect(page.getByTestId('param-prime')).toHaveValue('It was')
  await expect(draftStatus(page, 0)).toContainText('opened from draft.md')

  // A WAV not made here (no recipe, 22.05 kHz): opened under the sound model and played; a note, no error.
  await setSeed(page, 4)
  const rate = 22_050
  const tone = Float32Array.from({ length: rate }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 330 * i) / rate))
  await open.setInputFiles({ name: 'field-take.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav(tone, rate, null)) })
  await expect(toasts(page, 'info').filter({ hasText: 'field-take.wav has no Latent Studio recipe' })).toBeVisible()
  await expect(page.locator(`[data-testid="model-item"][data-model-id="${AUDIO_ID}"]`)).toHaveAttribute('aria-current', 'true')
  await expect(page.getByTestId('wave-status')).toContainText('Opened field-take.wav')
  await expect(page.getByTestId('wave-no-recipe')).toBeVisible()
  const lane = page.locator('[data-testid="wave-lane"][data-voice="0"]')
  await expect(lane).toHaveAttribute('data-final', 'true')
  await expect(lane.getByTestId('wave-time')).toContainText('/ 1.00 s')
  await lane.getByTestId('wave-play').click()
  await expect(lane).toHaveAttribute('data-playing', 'true')
  await expect(toasts(page, 'error')).toHaveCount(0)

  // A JPEG, through Open… and dropped on the window: refused before reading, naming what is opened.
  await open.setInputFiles({ name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: JPEG })
  await expect(toasts(page, 'error').filter({ hasText: 'holiday.jpg' })).toContainText(`holiday.jpg is not a file the studio opens: it opens ${KINDS} files`)
  await dropFile(page, 'dropped.jpg', JPEG, 'image/jpeg')
  await expect(toasts(page, 'error').filter({ hasText: 'dropped.jpg' })).toContainText(KINDS)
})
