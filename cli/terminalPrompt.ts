// Questions asked on the terminal while `courier run` runs: the passphrase of a client
// certificate key (`SSLConfiguration`), typed without echo. Asked only when stdin is a terminal;
// elsewhere (CI, pipes) nothing is asked and the engine says which flag answers instead.

/** The part of stdin a question needs (`process.stdin`). */
export interface TerminalInput {
  readonly isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Where the question is written (`process.stderr`, so stdout stays the report). */
export interface TerminalOutput {
  write(text: string): boolean;
}

const enter = new Set(['\r', '\n']);
const cancel = '\u0003';
const endOfInput = '\u0004';
const erase = new Set(['\u007f', '\b']);

/** Asks `question` and reads a line without echoing it; undefined when the user cancels (Ctrl+C, or Ctrl+D on an empty line). */
export function askHidden(input: TerminalInput, output: TerminalOutput, question: string): Promise<string | undefined> {
  output.write(question);
  input.setEncoding('utf8');
  input.setRawMode?.(true);
  input.resume();
  let typed = '';
  return new Promise((resolve) => {
    const finish = (answer: string | undefined): void => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      resolve(answer);
    };
    const onData = (chunk: string | Buffer): void => {
      for (const character of String(chunk)) {
        if (enter.has(character)) return finish(typed);
        if (character === cancel || (character === endOfInput && typed === '')) return finish(undefined);
        if (erase.has(character)) typed = [...typed].slice(0, -1).join('');
        else if (character >= ' ') typed += character;
      }
    };
    input.on('data', onData);
  });
}
