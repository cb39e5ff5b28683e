import { describe, expect, it } from 'vitest'
import type { Events } from './contract'
import { Emitter } from './emitter'

describe('Emitter', () => {
  it('delivers to every listener even when one throws, and unsubscribes', () => {
    const errors: string[] = []
    const e = new Emitter<Events>((name) => errors.push(String(name)))
    const got: string[] = []
    e.on('job/failed', () => {
      throw new Error('boom')
    })
    const off = e.on('job/failed', (p) => got.push(p.jobId))
    e.emit('job/failed', { jobId: 'a', error: 'x', cancelled: false })
    off()
    e.emit('job/failed', { jobId: 'b', error: 'x', cancelled: false })
    expect(got).toEqual(['a'])
    expect(errors).toEqual(['job/failed', 'job/failed'])
  })
})
