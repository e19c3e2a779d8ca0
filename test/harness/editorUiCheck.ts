// The UI test: in a development window with Courier loaded, open a `.http` file with a
// malformed header and check, in the workbench's DOM, that the editor shows the error
// squiggle and the "Send Request" CodeLens. A screenshot is kept either way.
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningCodeServer } from './codeServerProcess';
import { fixtureWorkspace, repositoryRoot } from './repositoryLayout';
import { workbenchUrl } from './workbenchUrl';

/** The fixture file whose second line lacks its header colon. */
const malformedFile = 'malformed.http';

interface UiExpectation {
  readonly name: string;
  readonly selector: string;
}

const expectations: readonly UiExpectation[] = [
  { name: 'an error squiggle under the malformed header', selector: '.monaco-editor .squiggly-error' },
  { name: 'a "Send Request" CodeLens above the request', selector: '.monaco-editor .codelens-decoration a:has-text("Send Request")' },
];

/** Runs the UI checks, printing one line per check; true when all pass. */
export async function checkEditorUi(page: Page, server: RunningCodeServer, outputDir: string): Promise<boolean> {
  await page.goto(workbenchUrl({ origin: server.origin, folder: fixtureWorkspace, extensionDevelopmentPath: repositoryRoot }), { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer appears once the remote file system answers: then Quick Open can find files.
  await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });

  await page.keyboard.press('Control+P');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor({ timeout: 30_000 });
  await quickInput.fill(malformedFile);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: malformedFile }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tab[data-resource-name="${malformedFile}"], .tab:has-text("${malformedFile}")`).first().waitFor({ timeout: 30_000 });

  let passed = true;
  for (const expectation of expectations) {
    try {
      await page.locator(expectation.selector).first().waitFor({ state: 'visible', timeout: 45_000 });
      console.log(`  ✔ UI: ${expectation.name}`);
    } catch {
      console.log(`  ✖ UI: ${expectation.name} (no \`${expectation.selector}\` in the editor within 45 s)`);
      passed = false;
    }
  }
  const screenshot = path.join(outputDir, 'editor-malformed-http.png');
  await page.screenshot({ path: screenshot });
  console.log(`[harness] screenshot: ${path.relative(repositoryRoot, screenshot)}`);
  return passed;
}
