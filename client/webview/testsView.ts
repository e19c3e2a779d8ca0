// The exchange's tests and its scripts' log, between the summary and the body: one row per test
// (✓ passed, ✗ failed, ○ skipped) with its message and, for a `??` line, the expected and actual
// values; then the log lines. Everything goes in as `textContent`.
import { type LogView, type TestView } from '../panel/messages';
import { element } from './dom';

const marks: Readonly<Record<TestView['outcome'], string>> = { passed: '✓', failed: '✗', skipped: '○' };

function testRow(test: TestView): HTMLLIElement {
  const mark = element('span', 'test-mark', marks[test.outcome]);
  mark.title = test.outcome;
  const row = element('li', `test test-${test.outcome}`, mark, element('span', 'test-name', test.name), test.where !== undefined && element('span', 'test-where', test.where));
  if (test.message !== undefined && test.outcome !== 'passed') row.append(element('div', 'test-message', test.message));
  if (test.outcome === 'failed' && (test.expected !== undefined || test.actual !== undefined)) {
    row.append(
      element(
        'dl',
        'test-values',
        element('dt', '', 'Expected'),
        element('dd', 'test-expected', test.expected ?? '(nothing)'),
        element('dt', '', 'Actual'),
        element('dd', 'test-actual', test.actual ?? '(nothing)'),
      ),
    );
  }
  return row;
}

/** The Tests section, open, titled with its counts; undefined when the exchange has no tests. */
export function renderTests(tests: readonly TestView[]): HTMLElement | undefined {
  if (tests.length === 0) return undefined;
  const count = (outcome: TestView['outcome']): number => tests.filter((test) => test.outcome === outcome).length;
  const parts = [`${count('passed')} passed`, count('failed') > 0 && `${count('failed')} failed`, count('skipped') > 0 && `${count('skipped')} skipped`].filter((part): part is string => part !== false);
  const list = element('ul', 'tests');
  for (const test of tests) list.append(testRow(test));
  const details = element('details', `section tests-section${count('failed') > 0 ? ' tests-failed' : ''}`, element('summary', '', `Tests (${parts.join(', ')})`), list);
  details.open = true;
  return details;
}

/** The script log section, open; undefined when nothing was logged. */
export function renderLog(log: LogView): HTMLElement | undefined {
  if (log.lines.length === 0) return undefined;
  const lines = element('pre', 'script-log', log.lines.join('\n'));
  const details = element('details', 'section log-section', element('summary', '', `Log (${log.lines.length + log.notShown})`), log.notShown > 0 && element('div', 'log-not-shown', `${log.notShown} earlier ${log.notShown === 1 ? 'line' : 'lines'} not shown`), lines);
  details.open = true;
  return details;
}
