/**
 * A wavenet model summary for the renderer's unit tests, from the toy fixture's real manifest
 * (src/engine/families/fixtures/wavenet-toy/model.json) through the real schema: the shape the UI gets.
 */
import toy from '../../engine/families/fixtures/wavenet-toy/model.json'
import { parseManifest } from '../../common/manifest'
import { summaryOf } from './test-models'

export function wavenetSummary(id = 'wavenet-toy') {
  const r = parseManifest({ ...toy, id })
  if (!r.ok) throw new Error(r.errors.join('; '))
  return summaryOf(id, { manifest: r.value })
}
