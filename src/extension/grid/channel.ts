// The extension's end of the page protocol: holds messages until the page says `ready` (a webview drops
// what is posted before its script listens), requests with ids and their replies. No `vscode` import.

import type { PageRequests, ResponseMessage, ToPage } from '../../webview/protocol';

export class PageChannel {
  private queue: ToPage[] | null = [];
  /** Rows held in `queue`; beyond the page's ring size the oldest rows messages are dropped and counted. */
  private queuedRows = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readyResolve!: () => void;
  readonly ready: Promise<void> = new Promise((r) => { this.readyResolve = r; });

  constructor(private readonly postRaw: (m: ToPage) => Thenable<boolean> | Promise<boolean> | boolean, private readonly maxQueuedRows: number) {}

  post(m: ToPage): void {
    if (this.queue) {
      this.queue.push(m);
      if (m.type === 'rows') { this.queuedRows += m.count; this.trim(); }
      return;
    }
    void this.postRaw(m);
  }

  onReady(): void {
    // A reloaded page says ready again: it has lost its rows; nothing to resend (the page shows that).
    const q = this.queue;
    this.queue = null;
    this.queuedRows = 0;
    if (q) for (const m of q) void this.postRaw(m);
    this.readyResolve();
  }

  request<M extends keyof PageRequests>(method: M, params: PageRequests[M]['params'], timeoutMs = 10_000): Promise<PageRequests[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.waiting.delete(id); reject(new Error(`grid page did not answer "${method}" within ${timeoutMs} ms`)); }, timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v as PageRequests[M]['result']); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.post({ type: 'request', id, method, params } as ToPage);
    });
  }

  onResponse(m: ResponseMessage): void {
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (m.error !== undefined) w.reject(new Error(m.error));
    else w.resolve(m.result);
  }

  dispose(): void {
    for (const w of this.waiting.values()) w.reject(new Error('grid panel closed'));
    this.waiting.clear();
    this.queue = [];
  }

  /** Before the page is ready, keep at most what its ring would hold: report the rest as lost. */
  private trim(): void {
    const q = this.queue!;
    while (this.queuedRows > this.maxQueuedRows) {
      const i = q.findIndex((m) => m.type === 'rows');
      if (i < 0) break;
      const m = q[i] as Extract<ToPage, { type: 'rows' }>;
      q.splice(i, 1, { type: 'lost', ds: m.ds, rows: m.count });
      this.queuedRows -= m.count;
    }
  }
}
