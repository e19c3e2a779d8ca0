// Files a request names (`< body.json`, multipart `< ./photo.png`, `> handler.js`, and
// `< script.js` above the request line) that do not exist. Asked of the host on every pass and
// never cached: the file system changes without the text changing.

import { Code } from './codes';
import type { FeatureContext } from './context';
import { add, type ProblemList } from './diagnosticsProblems';
import { blockRequest, NamedFile, requestNamedFiles } from './tableQueries';

/** Scratch for `requestNamedFiles`, reused for every block. */
const namedFiles: number[] = [];

const namedFileLabels: Readonly<Record<number, string>> = {
  [NamedFile.body]: 'Body file',
  [NamedFile.handler]: 'Response handler',
  [NamedFile.preRequestScript]: 'Pre-request script',
};

/** Files named in block `block`'s bodies and handlers that do not exist. */
export function missingFiles(problems: ProblemList, context: FeatureContext, block: number): void {
  const { text, tables } = context.document;
  const request = blockRequest(tables, block);
  if (request === -1) return;
  const written = requestNamedFiles(tables, request, namedFiles);
  for (let index = 0; index < written; index += 3) {
    const kind = namedFiles[index + 2];
    // A path made of references is known only when sent.
    if (kind === NamedFile.bodyWithReferences) continue;
    const start = namedFiles[index];
    const end = namedFiles[index + 1];
    const name = text.slice(start, end).trim();
    if (name === '' || context.host.fileExists(context.uri, name)) continue;
    add(problems, { start, end }, Code.FileMissing, 'warning', `${namedFileLabels[kind] ?? 'File'} '${name}' does not exist (paths are relative to this file's folder).`);
  }
}
