/**
 * The engine host dies mid-job (killed from outside, pid from `engine/info`): the job fails with an error
 * the user sees, the studio stays up, the host restarts and the next job succeeds.
 */
import { GAN_ID } from './env'
import { ServerSession } from './helpers/server-rpc'
import { doneTiles, expect, expectGridDone, selectModel, setParam, test, toasts } from './studio'

test('killing the engine host mid-job shows an error, then the next generation succeeds', async ({ studio: page }) => {
  await selectModel(page, GAN_ID)
  await setParam(page, 'count', 4)
  await page.getByTestId('generate-button').click()
  await expectGridDone(page, 4)

  const other = await ServerSession.open()
  try {
    const before = await other.call('engine/info', undefined)
    expect(before.pid, 'engine/info names the host pid').toEqual(expect.any(Number))

    // Keep the host busy from a second client (sixteen 64-image jobs queued ahead, about a second of work on
    // an idle machine), so the studio's own job is surely still in the engine when the host is killed: one
    // job alone can finish faster than a round trip from this process, and four (~200 ms) once did too.
    const failed = new Promise<string>((resolve) =>
      other.onEvent(({ name, payload }) => name === 'job/failed' && resolve((payload as { error: string }).error)),
    )
    for (let i = 0; i < 16; i++) await other.call('job/start', { modelId: GAN_ID, seed: 100 + i, params: { count: 64 } })
    await setParam(page, 'count', 64)
    await page.getByTestId('generate-button').click()
    await expect(page.getByTestId('cancel-button')).toBeEnabled() // the studio's job is in flight
    process.kill(before.pid!, 'SIGKILL')

    await expect(toasts(page, 'error').filter({ hasText: /engine/i }).first()).toBeVisible()
    await expect(page.getByTestId('cancel-button')).toBeDisabled() // no job left hanging
    expect(await doneTiles(page).count(), 'the killed job did not complete').toBeLessThan(64)
    expect(await failed, 'the other client is told too').toMatch(/engine/i)

    // The supervisor restarts the host: a new pid, and the studio generates again.
    await expect(page.getByTestId('status-engine')).toHaveText(/ready/)
    const after = await other.call('engine/info', undefined)
    expect(after.pid).not.toBe(before.pid)
  } finally {
    other.close()
  }
  await setParam(page, 'count', 4)
  await page.getByTestId('generate-button').click()
  await expectGridDone(page, 4)
})
