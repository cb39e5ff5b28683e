/** Renderer entry: get the host's client (Electron IPC or WebSocket), then mount the studio. */
import { mount } from 'svelte'
import type { StudioClient } from '../common/contract'
import App from './App.svelte'
import { getClient } from './client/index'
import './app.css'

const target = document.getElementById('app')!

getClient().then(
  (client: StudioClient) => mount(App, { target, props: { client } }),
  (e: unknown) => {
    // No client means no engine: say so plainly instead of showing a dead UI.
    const p = document.createElement('p')
    p.className = 'fatal'
    p.dataset.testid = 'fatal'
    p.textContent = `Latent Studio could not connect to its engine: ${e instanceof Error ? e.message : String(e)}`
    target.replaceChildren(p)
  },
)
