// Runs a callback in a task of its own, soon: what a long job (indexing a 50 MB body) yields
// with between slices so scrolling, typing and incoming chunks get their turn. A message on a
// channel, because nested `setTimeout(0)` calls are clamped to 4 ms each.
const channel = new MessageChannel();
const queue: (() => void)[] = [];
channel.port1.onmessage = () => queue.shift()?.();

/** Queues `callback` to run in a new task, after tasks already queued. */
export function nextTask(callback: () => void): void {
  queue.push(callback);
  channel.port2.postMessage(undefined);
}
