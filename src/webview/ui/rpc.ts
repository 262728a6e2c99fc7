// The page's end of the protocol: posts to the extension, requests with ids and their replies.

import type { ExtensionRequests, FromPage, ResponseMessage } from '../protocol';

export interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class Rpc {
  readonly api: VsCodeApi = acquireVsCodeApi();
  private nextId = 1;
  private readonly waiting = new Map<number, (m: ResponseMessage) => void>();

  post(m: FromPage): void { this.api.postMessage(m); }

  request<M extends keyof ExtensionRequests>(method: M, params: ExtensionRequests[M]['params']): Promise<ExtensionRequests[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (r) => (r.error !== undefined ? reject(new Error(r.error)) : resolve(r.result as ExtensionRequests[M]['result'])));
      this.post({ type: 'request', id, method, params } as FromPage);
    });
  }

  onResponse(m: ResponseMessage): void {
    const w = this.waiting.get(m.id);
    if (w) { this.waiting.delete(m.id); w(m); }
  }
}
