import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { askHidden, type TerminalInput } from '../../../cli/terminalPrompt';

/** A terminal whose keys the test types; records raw mode and what was written. */
function fakeTerminal(): { readonly input: TerminalInput & { type(keys: string): void }; readonly written: string[]; readonly rawModes: boolean[] } {
  const events = new EventEmitter();
  const written: string[] = [];
  const rawModes: boolean[] = [];
  const input = {
    isTTY: true,
    setRawMode: (raw: boolean) => rawModes.push(raw),
    setEncoding: () => undefined,
    on: (event: 'data', listener: (chunk: string | Buffer) => void) => events.on(event, listener),
    off: (event: 'data', listener: (chunk: string | Buffer) => void) => events.off(event, listener),
    resume: () => undefined,
    pause: () => undefined,
    type: (keys: string) => events.emit('data', keys),
  };
  return { input, written, rawModes };
}

test('reads a line without echoing it, with backspace, and restores the terminal', async () => {
  const terminal = fakeTerminal();
  const answer = askHidden(terminal.input, { write: (text) => terminal.written.push(text) > 0 }, 'Passphrase: ');
  terminal.input.type('sec');
  terminal.input.type('rx\u007fet\r');
  assert.equal(await answer, 'secret');
  assert.deepEqual(terminal.written, ['Passphrase: ', '\n'], 'the typed characters are never written');
  assert.deepEqual(terminal.rawModes, [true, false]);
});

test('Ctrl+C, or Ctrl+D on an empty line, cancels', async () => {
  for (const keys of ['abc\u0003', '\u0004']) {
    const terminal = fakeTerminal();
    const answer = askHidden(terminal.input, { write: () => true }, 'Passphrase: ');
    terminal.input.type(keys);
    assert.equal(await answer, undefined, JSON.stringify(keys));
    assert.deepEqual(terminal.rawModes, [true, false]);
  }
});
