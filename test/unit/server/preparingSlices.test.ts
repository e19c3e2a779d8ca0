// The server prepares incremental diagnostics in short slices, answering requests in between:
// in one piece, preparing a 20,000-request file kept a hover or a pull waiting 300-500 ms.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createLanguageService, type LanguageService, type LanguageServiceHost } from '../../../language/service';
import { startInProcess } from './inProcessServer';
import { waitFor } from './lspClient';

const uri = 'file:///w/api.http';
const text = '@host = example.com\n# @name login\nGET https://{{host}}/x\nAccept: */*\n';

test('incremental diagnostics are prepared in short slices, with requests answered between them', async () => {
  const sliceMs: number[] = [];
  let hoverAnswered = false;
  let slicesBeforeHover = -1;
  const createService = (host: LanguageServiceHost): LanguageService => {
    const real = createLanguageService(host);
    // A preparation that never ends on its own: each slice works until the server says yield.
    const prepareIncremental = (_uri: string, shouldYield?: () => boolean): void => {
      assert.ok(shouldYield, 'the server hands in when to yield');
      const start = performance.now();
      while (!shouldYield() && performance.now() - start < 2000);
      sliceMs.push(performance.now() - start);
    };
    const needsPreparing = (): boolean => sliceMs.length < 500 && !(hoverAnswered && sliceMs.length > slicesBeforeHover + 2);
    return { ...real, prepareIncremental, needsPreparing };
  };
  const { client, stop } = await startInProcess({ createService, idleBeforePreparingMs: 0 });
  try {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version: 1, text } });
    await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    await waitFor('preparing to start', () => sliceMs.length > 0);
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 14 } });
    slicesBeforeHover = sliceMs.length;
    hoverAnswered = true;
    assert.ok(hover !== undefined);
    assert.ok(slicesBeforeHover < 500, 'the hover was answered while preparing went on');
    await waitFor('preparing to end', () => sliceMs.length > slicesBeforeHover + 2);
    assert.ok(Math.max(...sliceMs) < 1000, `each slice ends when told: ${Math.max(...sliceMs).toFixed(0)} ms`);
    assert.ok(Math.min(...sliceMs) > 0, 'and a slice has time to work');
  } finally {
    stop();
  }
});

test('an idle server goes on preparing, slice after slice, with nothing else to wake it', async () => {
  let slices = 0;
  const createService = (host: LanguageServiceHost): LanguageService => {
    const real = createLanguageService(host);
    // Twenty slices of work, each a few milliseconds long.
    const prepareIncremental = (): void => {
      const start = performance.now();
      while (performance.now() - start < 2);
      slices++;
    };
    return { ...real, prepareIncremental, needsPreparing: () => slices < 20 };
  };
  const { client, stop } = await startInProcess({ createService, idleBeforePreparingMs: 0 });
  try {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version: 1, text } });
    await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    // One timer and nothing else: an unreferenced slice would run once per wake-up, so a few at most.
    await new Promise((done) => setTimeout(done, 500));
    assert.equal(slices, 20, 'every slice ran while the server was idle');
  } finally {
    stop();
  }
});
