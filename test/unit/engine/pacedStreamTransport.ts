// A transport whose stream stays open while its messages arrive one by one, a few milliseconds
// apart, as a real SSE or WebSocket transport's do: what handlers on streams need until the real
// transports land. It records through the `StreamRecorder` every transport uses, tells the
// observer that the stream opened with a `StreamControl`, ends as `stopped` on `stop()` or on the
// exchange's signal, and echoes what is sent when asked. `endless` never ends by itself.

import { tmpdir } from 'node:os';
import type { MessageStream, ResponseBody, StreamControl, StreamEnd, StreamProtocol } from '../../../engine/model';
import { StreamRecorder, streamEndOfAbort } from '../../../engine/streams/streamRecorder';
import type { HopContext, HopResponse, OutgoingHop, Transport } from '../../../engine/transport';

export interface PacedScript {
  readonly protocol: StreamProtocol;
  readonly contentType: string;
  /** The data of each message received, in order. */
  readonly messages: readonly string[];
  /** After the last message: keep sending numbered messages `{"n":N}` until stopped. */
  readonly endless?: boolean;
  /** Milliseconds between messages. */
  readonly intervalMs?: number;
  /** A sent message comes back as a received one, as from an echo server (and `canSend` is true); the stream ends only when stopped. */
  readonly echo?: boolean;
}

function emptyBody(contentType: string): ResponseBody {
  return { size: 0, encodedSize: 0, prefix: new Uint8Array(), file: undefined, contentType, charset: 'utf-8' };
}

export class PacedStreamTransport implements Transport {
  /** How each stream ended, and how many messages were received in all, for tests to look at. */
  readonly ends: { readonly end: StreamEnd; readonly received: number }[] = [];

  constructor(private readonly script: PacedScript) {}

  async roundTrip(_outgoing: OutgoingHop, context: HopContext): Promise<HopResponse> {
    const { script } = this;
    context.timings.connectionUsed(undefined);
    context.timings.responseStarted();
    const headers: [string, string][] = [['content-type', script.contentType]];
    context.onHeaders(headers);
    const head = { status: script.echo === true ? 101 : 200, statusText: script.echo === true ? 'Switching Protocols' : 'OK', httpVersion: '1.1', headers };
    context.observer?.onResponseHead?.(head);
    const recorder = new StreamRecorder({ protocol: script.protocol, elapsed: () => context.timings.elapsed(), observer: context.observer, tempDir: tmpdir(), onTempFile: () => undefined });
    let received = 0;
    let end: StreamEnd | undefined;
    let wake: (() => void) | undefined;
    const finish = (how: StreamEnd): void => {
      end ??= how;
      wake?.();
    };
    const receive = (data: string): void => {
      if (recorder.record('received', script.protocol === 'websocket' ? 'text' : 'message', undefined, data) !== undefined) received++;
    };
    const control: StreamControl = {
      protocol: script.protocol,
      canSend: script.echo === true,
      send: (data) => {
        if (end !== undefined) return;
        recorder.record('sent', 'text', undefined, data);
        if (script.echo === true) setImmediate(() => end === undefined && receive(typeof data === 'string' ? data : Buffer.from(data).toString('utf8')));
      },
      stop: () => finish({ reason: 'stopped' }),
    };
    const onAbort = (): void => finish(context.signal === undefined ? { reason: 'stopped' } : streamEndOfAbort(context.signal));
    context.signal?.addEventListener('abort', onAbort, { once: true });
    context.observer?.onStreamOpen?.(control);
    const interval = script.intervalMs ?? 2;
    for (let index = 0; end === undefined; index++) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, interval);
      });
      if (end !== undefined) break;
      if (index < script.messages.length) receive(script.messages[index] ?? '');
      else if (script.endless === true) receive(JSON.stringify({ n: index + 1 }));
      // An echo socket stays open until stopped, as a WebSocket whose server never closes it.
      else if (script.echo !== true) finish({ reason: 'completed' });
    }
    context.signal?.removeEventListener('abort', onAbort);
    context.timings.bodyReceived();
    const stream: MessageStream = await recorder.finish(end);
    this.ends.push({ end: stream.end, received });
    return { ...head, shape: 'stream', body: emptyBody(script.contentType), stream, connectionWarnings: [] };
  }

  abortPending(): void {
    // Each stream ends through its control or its exchange's signal.
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
