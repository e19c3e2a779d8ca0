// Diagnostics: the parser's problems plus the semantic checks a request needs before it can be
// sent, as LSP diagnostics with stable codes. This file is the whole-document pass; the pieces
// are modules of their own:
//   diagnosticsBlock.ts        the checks of one block, in order, calling the families below:
//   diagnosticsReferences.ts   {{references}} nothing defines
//   diagnosticsRequest.ts      method, headers (Content-Type rule in contentType.ts), body
//   diagnosticsTarget.ts       host, URL and scheme, with variables expanded (expander.ts)
//   diagnosticsFiles.ts        files named that do not exist (never cached)
//   diagnosticsUrl.ts          the URL fast path (plain web URLs without `new URL`)
//   diagnosticsScope.ts        what checks consult beyond the block, remembered for a pass
//   diagnosticsProblems.ts     problems and their conversion to diagnostics
//   diagnosticsIncremental.ts  the chunk cache: re-diagnosing after an edit
//   diagnosticsQuickFixes.ts   code actions for the diagnostics
//   diagnosticSeverity.ts      `courier.diagnostics.severity`: severities per code, or off
// Checks read the parser's tables through tableQueries.ts, never by offset arithmetic.

import type { Diagnostic } from 'vscode-languageserver-types';
import { blocksPerCancellationCheck, type CancellationToken, notCancellable, throwIfCancelled } from './cancellation';
import type { FeatureContext } from './context';
import { checkBlock } from './diagnosticsBlock';
import { compositionProblems } from './composition';
import { missingFiles } from './diagnosticsFiles';
import { byPosition, type ProblemList, toDiagnostic } from './diagnosticsProblems';
import { newVerdicts } from './diagnosticsReferences';
import { type DocumentScope, documentScope } from './diagnosticsScope';
import type { HttpDocument } from './syntax';

/** Every problem in the document, as LSP diagnostics with stable codes and `source: 'courier'`; throws `OperationCancelled` when `token` is. */
export function diagnose(context: FeatureContext, token: CancellationToken = notCancellable): Diagnostic[] {
  // Read once: callers build `context` afresh each time, and its hidden class may not outlive a
  // GC, so a read after the long loop below would throw away the optimised code.
  const { uri, document, environments } = context;
  const problems = checkDocument(context, document, documentScope([document], environments, []), token);
  const diagnostics = document.problems.map((problem) => toDiagnostic(uri, document, problem));
  for (let index = 0; index < problems.length; index++) diagnostics.push(toDiagnostic(uri, document, problems[index]));
  return diagnostics.sort(byPosition);
}

/**
 * The semantic problems of every block. A function of its own, so the long loop V8 compiles while
 * it runs (on-stack replacement) is all it holds: when the lines after such a loop had never run
 * before, `diagnose` was thrown away and compiled again on every pass.
 */
function checkDocument(context: FeatureContext, document: HttpDocument, scope: DocumentScope, token: CancellationToken): ProblemList {
  const problems: ProblemList = [];
  const verdicts = newVerdicts(document);
  const blocks = document.tables.blocks.count;
  for (let block = 0; block < blocks; block++) {
    if (block % blocksPerCancellationCheck === 0) throwIfCancelled(token);
    checkBlock(problems, document, block, scope, verdicts);
    missingFiles(problems, context, block);
    compositionProblems(problems, context, block, scope.requestNames);
  }
  return problems;
}
