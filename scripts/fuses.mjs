// Electron fuses for the packaged app (issue 17 item 10): flipped in the Electron binary itself after
// packing, so no command line, environment variable or loose folder can turn the app into something else.
//   node scripts/fuses.mjs <packaged Electron binary or .app>     (npm run fuses -- …)
//   electron-builder: `afterPack: "scripts/fuses.mjs"` (the default export takes its context)
// Uses @electron/fuses (MIT, Electron's own): it rewrites the fuse wire found after a sentinel in the
// binary, so neither installing it nor testing it needs an Electron binary (src/main/fuses.test.ts
// flips a synthetic wire).
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { FuseState, FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses'

/**
 * What each fuse is set to, and why. Fuses not named keep Electron's default:
 * EnableEmbeddedAsarIntegrityValidation needs integrity data the packager writes on macOS/Windows only,
 * LoadBrowserProcessSpecificV8Snapshot and WasmTrapHandlers change nothing we rely on.
 */
export const FUSES = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE=1 would make the signed app a general Node interpreter; our engine is a utility process.
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS=--require evil.js would run code in main before our app.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk would open a debugger port onto main.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Load the app only from resources/app.asar, never a planted resources/app folder beside it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Cookies and local storage encrypted with an OS-held key.
  [FuseV1Options.EnableCookieEncryption]: true,
  // The page loads from app:// (src/main/app-protocol.ts), so file:// needs none of its legacy powers.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
}

/** The Electron binary inside an electron-builder `appOutDir` for `platform` (darwin/mas, win32, linux). */
export function binaryIn(appOutDir, platform, productFilename, executableName = productFilename) {
  if (platform === 'darwin' || platform === 'mas') return join(appOutDir, `${productFilename}.app`)
  if (platform === 'win32') return join(appOutDir, `${productFilename}.exe`)
  return join(appOutDir, executableName)
}

/** Flip FUSES in `binary` and read them back; throws if the binary has no fuse wire or any fuse did not take. */
export async function setFuses(binary) {
  // An arm64 Mac refuses to start a binary whose ad-hoc signature no longer matches (the packager signs for real later).
  await flipFuses(binary, { ...FUSES, resetAdHocDarwinSignature: process.platform === 'darwin' && process.arch === 'arm64' })
  const wire = await getCurrentFuseWire(binary)
  for (const [key, want] of Object.entries(FUSES)) {
    if (key === 'version') continue
    if (wire[key] !== (want ? FuseState.ENABLE : FuseState.DISABLE)) {
      throw new Error(`fuse ${FuseV1Options[key]} reads ${wire[key]} after flipping, expected ${want ? 'enabled' : 'disabled'}`)
    }
  }
  return wire
}

/** electron-builder's afterPack hook. */
export default async function afterPack(context) {
  const info = context.packager.appInfo
  await setFuses(binaryIn(context.appOutDir, context.electronPlatformName, info.productFilename, context.packager.executableName))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const binary = process.argv[2]
  if (!binary) {
    console.error('usage: node scripts/fuses.mjs <packaged Electron binary or .app>')
    process.exit(2)
  }
  await setFuses(binary)
  console.log(`fuses set in ${binary}: ${Object.keys(FUSES).filter((k) => k !== 'version').map((k) => `${FuseV1Options[k]}=${FUSES[k] ? 'on' : 'off'}`).join(', ')}`)
}
