// Response handlers that watch a stream as it arrives: JetBrains' `response.body.onEachLine(...)`
// and `onEachMessage(...)`. A handler whose text calls either is started when the stream opens
// (not once the exchange is over, as other handlers are), each in a `StreamScript` worker of its
// own, so a stream that lasts does not hold the sandbox's shared worker; the messages received
// reach its subscribers in order, through a queue, so the transport never waits for a script.
// `unsubscribe()`, a failed step or a handler too far behind stops the stream (a normal `stopped`
// end); `output(...)` sends on it. What the handler reports is applied when the stream has ended,
// with the request's other handlers, so its tests and globals read like any handler's.

import type { ResponseHandler } from '../../language/syntax';
import type { ExchangeObserver, ResponseHead, StreamControl, StreamMessage } from '../model';
import type { ScriptInput, ScriptResponse, ScriptResult, StreamStep } from './scriptTypes';
import type { StreamScript } from './streamScript';

/**
 * Messages a handler may fall behind the stream by. Past that the stream is stopped, with a failed
 * test that says so, rather than memory growing with an endless stream or messages skipped unseen.
 * Enough for a fast export read while the handler's worker starts.
 */
export const maxPendingMessages = 100_000;

/** Messages handed to the worker at once: one round trip for many small callbacks. */
const batchSize = 1_000;

/** Whether a handler's text watches the stream: the JetBrains names, as written (not in a string built at run time). */
export function watchesStream(source: string): boolean {
  return /\bonEach(?:Line|Message)\b/.test(source);
}

/** A handler to start when the stream opens. */
export interface StreamWatcher {
  readonly handler: ResponseHandler;
  /** Its input, but for the response: known only when the stream opens. */
  readonly input: (response: ScriptResponse) => ScriptInput;
}

/** What became of the watchers once the stream ended: their results, and failures of the run around them. */
export interface WatchedStream {
  readonly results: ReadonlyMap<ResponseHandler, ScriptResult>;
  /** Why the stream was stopped by Courier rather than by a handler, when it was (the handler fell behind). */
  readonly problem: string | undefined;
}

interface Running {
  readonly watcher: StreamWatcher;
  readonly script: StreamScript;
  /** Unsubscribed, exited or failed: nothing more is delivered to it. */
  done: boolean;
}

/** Starts the watchers when the stream opens and feeds them its messages: hand `observer` to the session. */
export class StreamHandlers {
  readonly observer: ExchangeObserver;
  private head: ResponseHead | undefined;
  private control: StreamControl | undefined;
  private readonly running: readonly Running[];
  private started: Promise<void> | undefined;
  private queue: string[] = [];
  private next = 0;
  private pumping: Promise<void> | undefined;
  private stopped = false;
  private problem: string | undefined;

  constructor(
    watchers: readonly StreamWatcher[],
    open: () => StreamScript,
    private readonly where: string,
    private readonly maxPending = maxPendingMessages,
  ) {
    // Started now, while the request goes out: loading QuickJS takes longer than a fast stream waits.
    this.running = watchers.map((watcher) => ({ watcher, script: open(), done: false }));
    this.observer = {
      onResponseHead: (head) => {
        this.head = head;
      },
      onStreamOpen: (control) => this.opened(control),
      onMessage: (message) => this.received(message),
    };
  }

  /**
   * Waits for every message to be handled and for the handlers to end. When no stream opened (a
   * plain body, or a transport that tells nothing as it goes), the handlers get `replay`'s items
   * now, as if they had streamed: the body's lines, or the messages kept. Undefined without a response.
   */
  async finish(replay: { readonly head: ResponseHead; readonly items: () => Promise<readonly string[]> } | undefined): Promise<WatchedStream | undefined> {
    if (this.started === undefined) {
      if (replay === undefined) {
        for (const { script } of this.running) await script.close();
        return undefined;
      }
      this.head = replay.head;
      const items = await replay.items();
      let stopped = false;
      this.opened({ protocol: 'ndjson', canSend: false, send: () => undefined, stop: () => (stopped = true) });
      for (const item of items) {
        if (stopped) break;
        this.received({ at: 0, direction: 'received', type: 'line', id: undefined, data: item });
      }
    }
    await this.started;
    await this.drained();
    const results = new Map<ResponseHandler, ScriptResult>();
    for (const { watcher, script } of this.running) results.set(watcher.handler, await script.end());
    return { results, problem: this.problem };
  }

  private opened(control: StreamControl): void {
    if (this.started !== undefined) return;
    this.control = control;
    const head = this.head;
    const response: ScriptResponse = {
      status: head?.status ?? 0,
      headers: head?.headers ?? [],
      body: '',
      ...(head === undefined ? {} : { statusMessage: head.statusText, httpVersion: head.httpVersion }),
      stream: { canSend: control.canSend },
    };
    this.started = (async () => {
      // One after the other, as handlers run: a later one sees no global set by an earlier one anyway (globals apply at the end).
      for (const entry of this.running) this.apply(entry, await entry.script.start(entry.watcher.input(response)));
    })();
    this.pump();
  }

  private received(message: StreamMessage): void {
    if (message.direction !== 'received' || this.started === undefined || this.stopped) return;
    if (this.queue.length - this.next >= this.maxPending) {
      this.problem = `${this.where}: the stream's handler fell more than ${this.maxPending} messages behind the stream, so the stream was stopped; make its callbacks do less`;
      this.stop();
      return;
    }
    this.queue.push(typeof message.data === 'string' ? message.data : Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength).toString('utf8'));
    this.pump();
  }

  /** Delivers what is queued, one message to every handler before the next: never two deliveries at once. */
  private pump(): void {
    if (this.pumping !== undefined) return;
    this.pumping = (async () => {
      await this.started;
      while (this.next < this.queue.length && !this.stopped) {
        const batch = this.queue.slice(this.next, this.next + batchSize);
        this.next += batch.length;
        for (const entry of this.running) if (!entry.done) this.apply(entry, await entry.script.deliver(batch));
        // Keep the queue short: drop what was delivered once it is most of it.
        if (this.next > 1024 && this.next * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.next);
          this.next = 0;
        }
      }
    })().finally(() => {
      this.pumping = undefined;
    });
  }

  private async drained(): Promise<void> {
    while (this.pumping !== undefined) await this.pumping;
  }

  private apply(entry: Running, step: StreamStep): void {
    const control = this.control;
    if (control !== undefined && !this.stopped) for (const message of step.outputs) control.send(message);
    if (!step.unsubscribed && step.error === undefined) return;
    entry.done = true;
    // `unsubscribe()` ends the stream, as in JetBrains; so does a failed handler: nothing would watch it.
    this.stop();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue = [];
    this.next = 0;
    this.control?.stop();
  }
}
