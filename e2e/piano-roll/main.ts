/** A page for e2e/piano-roll.spec.ts: PianoRoll alone (until the music pane exists), driven through window.roll. */
import { mount } from 'svelte'
import '../../src/renderer/app.css'
import Harness from './Harness.svelte'

mount(Harness, { target: document.getElementById('app')! })
