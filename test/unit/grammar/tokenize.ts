// Tokenises `.http` text with Courier's grammar the way VS Code does
// (vscode-textmate + the Oniguruma WebAssembly build), for scope assertions.
import { existsSync, readFileSync } from 'node:fs';
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

/**
 * The grammars of the languages Courier's grammar embeds, by scope name, from the `tm-grammars`
 * dev dependency (the same grammars VS Code ships), so embedded tokens get their language's
 * scopes on any machine, not only after a VS Code download.
 */
const embeddedGrammarFiles: Readonly<Record<string, string>> = {
  'source.json': 'json.json',
  'source.js': 'javascript.json',
  'text.xml': 'xml.json',
  'source.graphql': 'graphql.json',
};

function grammarPath(scopeName: string): string | undefined {
  if (scopeName === 'source.http') return join(repositoryRoot, 'syntaxes/http.tmLanguage.json');
  const file = embeddedGrammarFiles[scopeName];
  if (file === undefined) return undefined;
  const path = join(repositoryRoot, 'node_modules/tm-grammars/grammars', file);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm install\` (tm-grammars is a dev dependency) to get the ${scopeName} grammar.`);
  return path;
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
      const path = grammarPath(scopeName);
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
