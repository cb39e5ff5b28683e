/**
 * The studio page's Content-Security-Policy, one definition for every host: the Electron shell sends
 * it as a header (IPC only: no socket), the server as a header naming its own WebSocket, and the
 * renderer's `<meta>` carries the same directives (a test keeps them in step).
 */
export function studioCsp(connect: string[] = []): string {
  return [
    "default-src 'self'",
    // WebAssembly compiles (not JS eval): the soundfont's Vorbis decoder (spessasynth, .sf3) in the synth's worklet and worker
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'", // Svelte transitions write inline style attributes
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "media-src 'self' blob:",
    ["connect-src 'self'", ...connect].join(' '),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
