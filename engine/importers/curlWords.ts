// A curl command as text becomes the words curl would receive: split as a POSIX shell splits
// them (quotes, `$'...'`, backslashes, line continuations), or as Windows' cmd.exe and the C
// runtime split them when the command was written for cmd (Chrome's "Copy as cURL (cmd)": `^`
// escapes and continuations). An empty quoted argument (`""`, `''`) is a word of its own, as in
// the shell: dropping it would make the next word its option's value.

/** The words of a command and what followed it (a pipe, a redirect, a second command). */
export interface CommandWords {
  readonly words: string[];
  readonly rest: string | undefined;
  /** Shell expansions left as written (`$TOKEN`, `${HOST}`, `$(date)`): the shell would have replaced them. */
  readonly expansions?: readonly string[];
}

/** A `$` expansion starting at `index` (outside single quotes), or undefined. */
function expansionAt(command: string, index: number): string | undefined {
  return /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[^}]*\}|\([^)]*\)?)/.exec(command.slice(index))?.[0];
}

/** Splits `command` for the shell it was evidently written for; throws a `CurlSyntaxError` on an unterminated quote. */
export function commandWords(command: string): CommandWords {
  return isCmdCommand(command) ? cmdWords(command) : shellWords(command);
}

/** cmd.exe escapes with `^` (`^"`, a line ending in `^`); a POSIX shell never needs it. */
function isCmdCommand(command: string): boolean {
  return /\^"/.test(command) || /\s\^\r?\n/.test(command);
}

/** Splits `command` into words as a POSIX shell would; throws a `CurlSyntaxError` on an unterminated quote. */
export function shellWords(command: string): CommandWords {
  const words: string[] = [];
  let word: string | undefined;
  let index = 0;
  const add = (text: string): void => {
    word = (word ?? '') + text;
  };
  const end = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const expansions: string[] = [];
  const note = (at: number): void => {
    const expansion = expansionAt(command, at);
    if (expansion !== undefined) expansions.push(expansion);
  };
  while (index < command.length) {
    const char = command[index] ?? '';
    const next = command[index + 1];
    if (char === '\\') {
      // A backslash before a line break continues the line (bash); otherwise it escapes one character.
      if (next === '\n') index += 2;
      else if (next === '\r' && command[index + 2] === '\n') index += 3;
      else {
        if (next !== undefined) add(next);
        index += 2;
      }
    } else if ((char === '^' || char === '`') && word === undefined && /^[ \t]*\r?\n/.test(command.slice(index + 1))) {
      // cmd.exe (`^`) and PowerShell (`` ` ``) line continuations, as Windows "Copy as cURL" writes them.
      index = command.indexOf('\n', index) + 1;
    } else if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      end();
      index++;
    } else if (char === "'") {
      const close = command.indexOf("'", index + 1);
      if (close < 0) throw new CurlSyntaxError(`a single quote opened at character ${index + 1} is never closed`);
      // Even '' starts a word: an empty argument is an argument.
      add(command.slice(index + 1, close));
      index = close + 1;
    } else if (char === '$' && next === "'") {
      add('');
      index = readAnsiC(command, index + 2, add);
    } else if (char === '"') {
      add('');
      index = readDoubleQuoted(command, index + 1, add, note);
    } else if (char === '#' && word === undefined) {
      // A comment runs to the end of the line.
      const lineEnd = command.indexOf('\n', index);
      index = lineEnd < 0 ? command.length : lineEnd;
    } else if (word === undefined && (char === '|' || char === ';' || char === '&' || char === '>' || char === '<')) {
      // A pipe, redirect or second command is not part of the request.
      end();
      return { words, rest: command.slice(index).trim(), expansions };
    } else {
      if (char === '$') note(index);
      add(char);
      index++;
    }
  }
  end();
  return { words, rest: undefined, expansions };
}

/** A command the shell itself could not read. */
export class CurlSyntaxError extends Error {}

function readDoubleQuoted(command: string, start: number, add: (text: string) => void, note: (at: number) => void): number {
  let index = start;
  while (index < command.length) {
    const char = command[index] ?? '';
    if (char === '"') return index + 1;
    if (char === '\\') {
      const next = command[index + 1] ?? '';
      if (next === '\n') index += 2;
      else if ('"\\$`'.includes(next) && next !== '') {
        add(next);
        index += 2;
      } else {
        add(char);
        index++;
      }
      continue;
    }
    if (char === '$') note(index);
    add(char);
    index++;
  }
  throw new CurlSyntaxError(`a double quote opened at character ${start} is never closed`);
}

const simpleEscapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** Reads a bash `$'...'` string (browsers use it for bodies with quotes or line breaks). */
function readAnsiC(command: string, start: number, add: (text: string) => void): number {
  let index = start;
  const bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length === 0) return;
    add(new TextDecoder().decode(new Uint8Array(bytes)));
    bytes.length = 0;
  };
  while (index < command.length) {
    const char = command[index] ?? '';
    if (char === "'") {
      flushBytes();
      return index + 1;
    }
    if (char !== '\\') {
      flushBytes();
      add(char);
      index++;
      continue;
    }
    const next = command[index + 1] ?? '';
    const simple = simpleEscapes[next];
    let match: RegExpExecArray | null;
    if (simple !== undefined) {
      flushBytes();
      add(simple);
      index += 2;
    } else if ((match = /^x([0-9a-fA-F]{1,2})/.exec(command.slice(index + 1))) !== null) {
      // \xHH are bytes: consecutive ones may form one UTF-8 character.
      bytes.push(parseInt(match[1] ?? '0', 16));
      index += 1 + match[0].length;
    } else if ((match = /^([0-7]{1,3})/.exec(command.slice(index + 1))) !== null) {
      bytes.push(parseInt(match[1] ?? '0', 8) & 0xff);
      index += 1 + match[0].length;
    } else if ((match = /^(?:u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8}))/.exec(command.slice(index + 1))) !== null) {
      flushBytes();
      add(String.fromCodePoint(parseInt(match[1] ?? match[2] ?? '0', 16)));
      index += 1 + match[0].length;
    } else {
      flushBytes();
      add(`\\${next}`);
      index += 2;
    }
  }
  throw new CurlSyntaxError(`a $'...' string opened at character ${start - 1} is never closed`);
}

/**
 * Splits a command written for cmd.exe: cmd removes `^` escapes (a `^` at a line's end continues
 * it; `^` then an empty line is a line break in the argument) outside its own double quotes, then
 * the C runtime splits the line into arguments (`"` groups, `\"` is a quote, backslashes before a
 * quote halve).
 */
export function cmdWords(command: string): CommandWords {
  let line = '';
  let cmdQuoted = false;
  for (let index = 0; index < command.length; index++) {
    const char = command[index] ?? '';
    if (char === '"') cmdQuoted = !cmdQuoted;
    if (char !== '^' || cmdQuoted) {
      line += char;
      continue;
    }
    const lineBreak = /^\r?\n/.exec(command.slice(index + 1));
    if (lineBreak === null) {
      // `^X` is X, taken literally by cmd but still seen by the C runtime (`^"` is a quote there).
      line += command[index + 1] ?? '';
      index++;
      continue;
    }
    index += lineBreak[0].length;
    const emptyLine = /^\r?\n/.exec(command.slice(index + 1));
    if (emptyLine !== null) {
      line += '\n';
      index += emptyLine[0].length;
    }
  }
  return runtimeWords(line);
}

/** The Microsoft C runtime's rules for splitting a command line into arguments. */
function runtimeWords(line: string): CommandWords {
  const words: string[] = [];
  let word: string | undefined;
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index] ?? '';
    if (char === '\\') {
      let count = 0;
      while (line[index + count] === '\\') count++;
      if (line[index + count] === '"') {
        word = (word ?? '') + '\\'.repeat(Math.floor(count / 2));
        if (count % 2 === 1) word += '"';
        else quoted = !quoted;
      } else {
        word = (word ?? '') + '\\'.repeat(count);
        index += count - 1;
        continue;
      }
      index += count;
    } else if (char === '"') {
      // `""` inside quotes is one literal quote.
      if (quoted && line[index + 1] === '"') {
        word = (word ?? '') + '"';
        index++;
      } else {
        word ??= '';
        quoted = !quoted;
      }
    } else if (!quoted && (char === ' ' || char === '\t' || char === '\n' || char === '\r')) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quoted) throw new CurlSyntaxError('a double quote is never closed');
  if (word !== undefined) words.push(word);
  return { words, rest: undefined };
}
