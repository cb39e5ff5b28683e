// Types of scripts/fuses.mjs (plain ESM so a packager's afterPack hook can load it without a TS loader).
import type { FuseV1Config } from '@electron/fuses'

export const FUSES: FuseV1Config<boolean>
export function binaryIn(appOutDir: string, platform: string, productFilename: string, executableName?: string): string
export function setFuses(binary: string): Promise<Record<string, number | string>>
export default function afterPack(context: {
  appOutDir: string
  electronPlatformName: string
  packager: { appInfo: { productFilename: string }; executableName?: string }
}): Promise<void>
