/**
 * Broken models: each shows an error that names the bad file (and field), and the shipped DCGAN keeps working.
 * Fixtures: e2e/fixtures/user-models (a GAN with a junk generator.onnx, a manifest with a bad field).
 */
import { GAN_ID } from './env'
import { expect, expectGridDone, modelItem, selectModel, setParam, test, toasts } from './studio'

test('a corrupt ONNX file is named in the error and the DCGAN still generates', async ({ studio: page }) => {
  await selectModel(page, 'broken-gan')
  await page.getByTestId('generate-button').click()
  const err = toasts(page, 'error').filter({ hasText: 'generator.onnx' })
  await expect(err).toBeVisible()
  await expect(err).toContainText(/broken-gan/)

  await selectModel(page, GAN_ID)
  await setParam(page, 'count', 4)
  await page.getByTestId('generate-button').click()
  await expectGridDone(page, 4)
})

test('a bad manifest is listed as broken, naming model.json and the field', async ({ studio: page }) => {
  const item = modelItem(page, 'bad-manifest')
  await expect(item).toHaveAttribute('data-broken', 'true')
  const error = item.getByTestId('model-error')
  await expect(error).toContainText('model.json')
  await expect(error).toContainText('latentSize')
  // The working model is listed as working.
  await expect(modelItem(page, GAN_ID)).not.toHaveAttribute('data-broken', 'true')
})
