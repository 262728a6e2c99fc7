// The benchmark's stand-in extension host, bundled for a Web Worker by bench/grid.bench.ts: generates
// events at the target rate in host-sized batches, runs them through the extension's RowBatcher and
// serializes its messages to JSON (as VS Code does for webview messages) for the page's main thread.
// A worker, like the real extension host process, runs beside the page's main thread, not on it.

import { RowBatcher } from '../src/extension/grid/batcher';
import { makeBatch } from './grid-events';

// Worker globals (this file is compiled by the root tsconfig, without DOM/WebWorker types).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const self: any;

interface Start { rate: number; seconds: number; hostFlushMs: number }

self.onmessage = (e: { data: Start }) => {
  const { rate, seconds, hostFlushMs } = e.data;
  let batchMs = 0, jsonMs = 0, messages = 0, bytes = 0;
  const batcher = new RowBatcher((m) => {
    const t = performance.now();
    const json = JSON.stringify(m);
    jsonMs += performance.now() - t;
    messages++;
    bytes += json.length;
    self.postMessage({ json });
  });
  const total = rate * seconds;
  // Pre-made host batches, reused round-robin with fresh packet numbers: making bigints is the synthetic
  // gadget's cost, not the grid's, and must not slow the sender down.
  const per = Math.max(1, Math.round((rate * hostFlushMs) / 1000));
  const pool = Array.from({ length: 16 }, (_, i) => makeBatch(i * per, per));
  let poolIndex = 0;
  let sent = 0;
  const t0 = performance.now();
  const step = () => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
    if (due > sent) {
      while (sent < due) {
        const n = Math.min(per, due - sent);
        const src = pool[poolIndex++ % pool.length]!;
        const packet = new Array<number>(n);
        for (let i = 0; i < n; i++) packet[i] = sent + i + 1;
        const b = n === per ? { ...src, packet } : { ...src, rows: src.rows.slice(0, n), packet };
        const t = performance.now();
        batcher.push(b);
        batchMs += performance.now() - t;
        sent += n;
      }
    }
    if (sent < total) { setTimeout(step, hostFlushMs); return; }
    const t = performance.now();
    batcher.flush();
    batchMs += performance.now() - t;
    self.postMessage({ done: { sent, seconds: (performance.now() - t0) / 1000, batchNs: (batchMs * 1e6) / sent, jsonNs: (jsonMs * 1e6) / sent, messages, bytes } });
  };
  step();
};
