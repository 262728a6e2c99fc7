// Entry of the grid page bundle (dist/webview/grid.js): wire the message channel to the App, say ready.

import './grid.css';
import { errorMessage } from '../../common/errors';
import type { ToPage } from '../protocol';
import { App } from './app';
import { Rpc } from './rpc';

const rpc = new Rpc();
window.addEventListener('error', (e) => rpc.post({ type: 'log', level: 'error', message: `${e.message} (${e.filename}:${e.lineno})` }));
window.addEventListener('unhandledrejection', (e) => rpc.post({ type: 'log', level: 'error', message: String(e.reason) }));

const app = new App(document.getElementById('app')!, rpc);
window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as ToPage | undefined;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  try {
    app.handle(m);
  } catch (err) {
    rpc.post({ type: 'log', level: 'error', message: `handling "${m.type}": ${(err instanceof Error ? err.stack : undefined) ?? errorMessage(err)}` });
  }
});
// The extension holds every message until this arrives (messages posted before it would be lost).
rpc.post({ type: 'ready' });
