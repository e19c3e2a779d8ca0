// What the CLI prints while a stream is open: each message as it arrives, for every protocol alike
// (SSE events, NDJSON lines, WebSocket frames, gRPC messages all come through the engine's
// `ExchangeObserver`). Lines go out promptly but not one write per message: what arrives in one
// turn of the event loop (one network read often holds many events) is written at once, just
// before the loop waits again, so a fast stream costs a write per read, not per message.

import type { StreamMessage } from '../engine/model';

/** Characters gathered before a write even within one turn of the loop. */
const maxBatchChars = 64 * 1024;

/** Gathers text written in one turn of the event loop and writes it in one call. */
export class BatchedWriter {
  private pending: string[] = [];
  private pendingChars = 0;
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly out: (text: string) => void) {}

  write(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= maxBatchChars) this.flush();
    else this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Writes what is gathered now; called before any other output, so order is kept. */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.out(text);
  }
}

/** Characters of one message's data printed live; the rest is counted. */
export const liveMessageChars = 64 * 1024;

/** A message's data on one line: text as it came (continuation lines indented), binary summarised. */
export function liveMessageData(data: StreamMessage['data'], binarySummary: (bytes: Uint8Array) => string, limit = liveMessageChars): string {
  if (typeof data !== 'string') return binarySummary(data);
  const shown = data.length > limit ? `${data.slice(0, limit)} [${data.length - limit} more characters]` : data;
  return shown.includes('\n') ? shown.replace(/\r?\n/g, '\n      ') : shown;
}
