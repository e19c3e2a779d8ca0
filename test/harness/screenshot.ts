// Screenshots are evidence kept beside a UI check's verdict, not part of it.
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { repositoryRoot } from './repositoryLayout';

/** Saves the page as `outputDir/fileName` and prints where; a failed capture never changes the check's outcome. */
export async function keepScreenshot(page: Page, outputDir: string, fileName: string): Promise<void> {
  const file = path.join(outputDir, fileName);
  await page.screenshot({ path: file }).catch(() => undefined);
  console.log(`[harness] screenshot: ${path.relative(repositoryRoot, file)}`);
}
