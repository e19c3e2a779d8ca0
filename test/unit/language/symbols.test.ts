import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SymbolKind } from 'vscode-languageserver-types';
import { documentSymbols } from '../../../language/symbols';
import { contextFor, textOf } from './featureContext';

test('one symbol per request: named ones by name, others by method and target', () => {
  const text = '@host = x\n\n# @name login\nPOST https://example.com/login\n\n### profile\nGET https://example.com/me\n\n###\nhttps://example.com/health\n\n###\n# only a comment\n';
  const context = contextFor(text);
  const symbols = documentSymbols(context);
  assert.equal(symbols.length, 3, 'a block without a request has no symbol');
  assert.deepEqual(
    symbols.map((symbol) => [symbol.name, symbol.detail, symbol.kind]),
    [
      ['login', 'POST https://example.com/login', SymbolKind.Function],
      ['profile', 'GET https://example.com/me', SymbolKind.Function],
      ['GET https://example.com/health', undefined, SymbolKind.Method],
    ],
  );
  assert.deepEqual(symbols.map((symbol) => textOf(context, symbol.selectionRange)), ['POST https://example.com/login', 'GET https://example.com/me', 'https://example.com/health']);
  const second = symbols[1];
  assert.ok(second);
  assert.equal(textOf(context, second.range), '### profile\nGET https://example.com/me', 'the whole block, without trailing blank lines');
});

test('an empty document has no symbols', () => {
  assert.deepEqual(documentSymbols(contextFor('')), []);
});
