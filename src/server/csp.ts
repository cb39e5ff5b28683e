import { studioCsp } from '../common/csp'

/** The page CSP naming this server's own socket (older engines do not let 'self' cover ws: URLs). */
export function serverCsp(port: number): string {
  return studioCsp([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`])
}

/** Origins a browser page served by this server reports (`Origin` header of its WebSocket). */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`]
}

/** `Host` header values that reach us legitimately; anything else is DNS rebinding or a proxy. */
export function ownHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}
