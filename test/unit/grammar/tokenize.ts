// Tokenises `.http` text with Courier's grammar the way VS Code does
// (vscode-textmate + the Oniguruma WebAssembly build), for scope assertions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, type IGrammar, Registry, parseRawGrammar } from 'vscode-textmate';

/** The folder holding syntaxes/http.tmLanguage.json: above the bundled test (out/test/unit/grammar/), else the working directory. */
function findRepositoryRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let folder = start; ; folder = dirname(folder)) {
      if (existsSync(join(folder, 'syntaxes/http.tmLanguage.json'))) return folder;
      if (dirname(folder) === folder) break;
    }
  }
  return resolve(__dirname, '../../../..');
}

export const repositoryRoot = findRepositoryRoot();

/** Grammars VS Code ships for the embedded languages, by scope name and file name. */
const builtInGrammars: Readonly<Record<string, readonly [extension: string, file: string]>> = {
  'source.json': ['json', 'JSON.tmLanguage.json'],
  'source.js': ['javascript', 'JavaScript.tmLanguage.json'],
  'text.xml': ['xml', 'xml.tmLanguage.json'],
};

/**
 * VS Code's built-in extensions folder inside a test download in `.vscode-test/`
 * (code-server or a desktop build), when one is there.
 */
function builtInExtensionsFolder(): string | undefined {
  const downloads = join(repositoryRoot, '.vscode-test');
  if (!existsSync(downloads)) return undefined;
  for (const download of readdirSync(downloads)) {
    for (const candidate of ['node_modules/code-server/lib/vscode/extensions', 'resources/app/extensions', 'VSCode-linux-x64/resources/app/extensions']) {
      const folder = join(downloads, download, candidate);
      if (existsSync(join(folder, 'json'))) return folder;
    }
  }
  return undefined;
}

function builtInGrammarPath(scopeName: string): string | undefined {
  const folder = builtInExtensionsFolder();
  const location = builtInGrammars[scopeName];
  if (folder === undefined || location === undefined) return undefined;
  const path = join(folder, location[0], 'syntaxes', location[1]);
  return existsSync(path) ? path : undefined;
}

/** Whether VS Code's grammar for `scopeName` is available, so embedded tokens get that language's scopes. */
export function hasBuiltInGrammar(scopeName: string): boolean {
  return builtInGrammarPath(scopeName) !== undefined;
}

let grammar: Promise<IGrammar> | undefined;

async function loadHttpGrammar(): Promise<IGrammar> {
  const wasm = readFileSync(join(repositoryRoot, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => oniguruma.createOnigScanner(patterns),
      createOnigString: (text) => oniguruma.createOnigString(text),
    }),
    loadGrammar: (scopeName) => {
      const path = scopeName === 'source.http' ? join(repositoryRoot, 'syntaxes/http.tmLanguage.json') : builtInGrammarPath(scopeName);
      return Promise.resolve(path === undefined ? null : parseRawGrammar(readFileSync(path, 'utf8'), path));
    },
  });
  const loaded = await registry.loadGrammar('source.http');
  if (loaded === null) throw new Error('syntaxes/http.tmLanguage.json did not load');
  return loaded;
}

export interface Token {
  readonly line: number;
  readonly startColumn: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

/** Every token of `text`, line by line, with its scope stack (outermost first). */
export async function tokenize(text: string): Promise<Token[]> {
  grammar ??= loadHttpGrammar();
  const loaded = await grammar;
  const tokens: Token[] = [];
  let state = INITIAL;
  for (const [line, lineText] of text.split(/\r?\n/).entries()) {
    const result = loaded.tokenizeLine(lineText, state);
    for (const token of result.tokens) {
      tokens.push({ line, startColumn: token.startIndex, text: lineText.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    state = result.ruleStack;
  }
  return tokens;
}

/**
 * The tokens that make up the `occurrence`-th appearance of `needle` in `text`
 * (needles never span lines). Throws when the needle is not in the text.
 */
export function tokensOf(text: string, tokens: readonly Token[], needle: string, occurrence = 0): Token[] {
  const lines = text.split(/\r?\n/);
  let seen = 0;
  for (const [line, lineText] of lines.entries()) {
    for (let column = lineText.indexOf(needle); column !== -1; column = lineText.indexOf(needle, column + 1)) {
      if (seen++ !== occurrence) continue;
      const end = column + needle.length;
      return tokens.filter((token) => token.line === line && token.startColumn < end && token.startColumn + token.text.length > column);
    }
  }
  throw new Error(`"${needle}" (occurrence ${occurrence}) is not in the test text`);
}
