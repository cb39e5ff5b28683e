/**
 * The packaged app's fuses (scripts/fuses.mjs) flipped for real by @electron/fuses, on a synthetic
 * binary: random bytes around the sentinel and a V1 fuse wire set to Electron's documented defaults (RunAsNode,
 * NODE_OPTIONS, --inspect and file:// privileges on; cookie encryption and asar-only off). No Electron
 * binary is needed, and none is installed here.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FuseState, FuseV1Options } from '@electron/fuses'
import { afterAll, describe, expect, it } from 'vitest'
import afterPack, { binaryIn, FUSES, setFuses } from '../../scripts/fuses.mjs'

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** Electron's default wire, in FuseV1Options order: RunAsNode … WasmTrapHandlers. */
const SHIPPED = '101100011'

const dir = mkdtempSync(join(tmpdir(), 'ls-fuses-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A file shaped like an Electron binary where it matters: noise, the sentinel, version 1, length, the wire, noise. */
function fakeElectron(name: string, wire = SHIPPED): string {
  const noise = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + 7) % 251))
  const file = join(dir, name)
  writeFileSync(file, Buffer.concat([noise(300_000), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), noise(200_000)]))
  return file
}

const wireOf = (file: string) => {
  const b = readFileSync(file)
  const at = b.indexOf(SENTINEL) + SENTINEL.length
  return b.subarray(at + 2, at + 2 + b[at + 1]).toString('latin1')
}

describe('Electron fuses for the packaged app', () => {
  it('turn off run-as-node, NODE_OPTIONS, --inspect and file:// privileges; turn on cookie encryption and asar-only', async () => {
    const file = fakeElectron('electron')
    const before = readFileSync(file)
    const wire = await setFuses(file)
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE)
    // Only the named fuses changed; asar integrity, V8 snapshot and wasm trap handlers keep Electron's setting.
    expect(wireOf(file)).toBe('010001001')
    const after = readFileSync(file)
    expect(after.length).toBe(before.length)
    let changed = 0
    for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) changed++
    expect(changed).toBe(6)
  })

  it('as electron-builder’s afterPack hook and from the command line, on the platform’s binary', async () => {
    expect(binaryIn('/out/linux-unpacked', 'linux', 'Latent Studio', 'latent-studio')).toBe(join('/out/linux-unpacked', 'latent-studio'))
    expect(binaryIn('/out/win-unpacked', 'win32', 'Latent Studio')).toBe(join('/out/win-unpacked', 'Latent Studio.exe'))
    expect(binaryIn('/out/mac', 'darwin', 'Latent Studio')).toBe(join('/out/mac', 'Latent Studio.app'))
    fakeElectron('latent-studio')
    await afterPack({ appOutDir: dir, electronPlatformName: 'linux', packager: { appInfo: { productFilename: 'Latent Studio' }, executableName: 'latent-studio' } })
    expect(wireOf(join(dir, 'latent-studio'))).toBe('010001001')
    const cli = fakeElectron('cli-electron')
    const out = execFileSync(process.execPath, [join(__dirname, '../../scripts/fuses.mjs'), cli], { encoding: 'utf8' })
    expect(out).toMatch(/RunAsNode=off.*OnlyLoadAppFromAsar=on/)
    expect(wireOf(cli)).toBe('010001001')
  })

  it('refuses a file that is not an Electron binary, and names every fuse it sets', async () => {
    const plain = join(dir, 'not-electron')
    writeFileSync(plain, 'just text')
    await expect(setFuses(plain)).rejects.toThrow(/Could not find sentinel/)
    expect(Object.keys(FUSES).filter((k) => k !== 'version').map((k) => FuseV1Options[Number(k)]).sort()).toEqual(
      ['EnableCookieEncryption', 'EnableNodeCliInspectArguments', 'EnableNodeOptionsEnvironmentVariable', 'GrantFileProtocolExtraPrivileges', 'OnlyLoadAppFromAsar', 'RunAsNode'],
    )
  })
})
