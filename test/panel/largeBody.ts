// Measures, inside the panel page, how long a large JSON body takes to show its first
// screen: from posting the first chunk to the first rendered body row. Shared by the
// webview test (a generous bound) and the benchmark (figures against JSON.parse).
import { type Page } from 'playwright-core';
import { type ExchangeView } from '../../client/panel/messages';

export interface LargeBodyFigures {
  readonly bytes: number;
  readonly chunks: number;
  /** First chunk posted -> first body row in the DOM. */
  readonly firstRowMs: number;
  /** First chunk posted -> last chunk indexed and rendered. */
  readonly allChunksMs: number;
  /** The longest gap between two frames while the body streamed in and was indexed: what a user scrolling meanwhile would feel. */
  readonly longestFrameGapMs: number;
  /** `JSON.parse` of the same text in the same page: the least any viewer that parses must spend. */
  readonly jsonParseMs: number;
}

/**
 * Builds `megabytes` of JSON in the page (sending 50 MB over the DevTools protocol would
 * measure the protocol), then posts it as the host does: a 64 KiB first chunk, then 1 MiB
 * chunks, one per task.
 */
export async function measureLargeJson(page: Page, view: ExchangeView, id: number, megabytes: number): Promise<LargeBodyFigures> {
  return page.evaluate(
    async ({ view, id, megabytes }) => {
      const record = (index: number): string =>
        JSON.stringify({ id: index, name: `item ${index}`, email: `user${index}@example.com`, active: index % 3 === 0, score: index * 1.5, tags: ['alpha', 'beta'], address: { city: 'Lyon', zip: '69001' } });
      const parts: string[] = [];
      let size = 2;
      for (let index = 0; size < megabytes * 1024 * 1024; index++) {
        const text = record(index);
        parts.push(text);
        size += text.length + 1;
      }
      const text = `[${parts.join(',')}]`;
      const firstChunkSize = 64 << 10;
      const chunkSize = 1 << 20;
      const chunks: string[] = [text.slice(0, firstChunkSize)];
      for (let offset = firstChunkSize; offset < text.length; offset += chunkSize) chunks.push(text.slice(offset, offset + chunkSize));

      const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
      const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      window.postMessage({ type: 'exchange', id, view }, '*');
      await nextTask();
      const firstRow = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (document.querySelector('.rows .row') !== null) {
            observer.disconnect();
            resolve(performance.now());
          }
        });
        observer.observe(document.getElementById('app') ?? document.body, { childList: true, subtree: true });
      });
      const complete = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (document.querySelector('.body[data-complete]') !== null) {
            observer.disconnect();
            resolve(performance.now());
          }
        });
        observer.observe(document.getElementById('app') ?? document.body, { attributes: true, subtree: true, attributeFilter: ['data-complete'] });
      });
      let longestFrameGapMs = 0;
      let streaming = true;
      const watchFrames = async (): Promise<void> => {
        for (let last = performance.now(); streaming; ) {
          await nextFrame();
          const now = performance.now();
          longestFrameGapMs = Math.max(longestFrameGapMs, now - last);
          last = now;
        }
      };
      const frames = watchFrames();
      const start = performance.now();
      for (let index = 0; index < chunks.length; index++) {
        window.postMessage({ type: 'bodyChunk', id, text: chunks[index], last: index === chunks.length - 1 }, '*');
        await nextTask();
      }
      const firstRowAt = await firstRow;
      const completeAt = await complete;
      await nextFrame();
      streaming = false;
      await frames;
      const allChunksMs = completeAt - start;
      const parseStart = performance.now();
      const parsed = JSON.parse(text) as unknown[];
      const jsonParseMs = performance.now() - parseStart;
      if (parsed.length !== parts.length) throw new Error('JSON.parse lost records');
      return { bytes: text.length, chunks: chunks.length, firstRowMs: firstRowAt - start, allChunksMs, longestFrameGapMs, jsonParseMs };
    },
    { view, id, megabytes },
  );
}
