/**
 * The desktop window's Content-Security-Policy, sent as a response header for every load (the
 * renderer's `<meta>` carries the same directives; both apply, so the stricter wins). The desktop
 * app talks to its engine over IPC only, so unlike the page's meta it needs no ws: sources.
 */
import type { Session } from 'electron'
import { studioCsp } from '../common/csp'

export const APP_CSP = studioCsp()

/** Add the CSP header to every response the session loads (the dev server's too; app:// responses carry it themselves). */
export function installCsp(session: Session, csp = APP_CSP): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders }
    // Drop any policy the dev server sent under another casing: ours is the one that counts.
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k]
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } })
  })
  // The studio needs no camera, microphone, notifications, geolocation…: refuse every request.
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
