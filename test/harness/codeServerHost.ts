// `npm run test:vscode`: runs the integration suite inside code-server's extension host,
// driven by Playwright in Chromium, then checks the editor UI. Exits with the suite's code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { ensureChromium } from './chromiumInstall';
import { ensureCodeServer, type CodeServerInstallation } from './codeServerInstall';
import { startCodeServer, type RunningCodeServer } from './codeServerProcess';
import { checkEditorUi } from './editorUiCheck';
import { checkFirstRunUi } from './firstRunUiCheck';
import { checkLargeResponseUi } from './largeResponseUiCheck';
import { checkOAuthUi } from './oauthUiCheck';
import { fixtureWorkspace, integrationTestsEntry, repositoryRoot, testOutputDir } from './repositoryLayout';
import { reporterLinePrefix } from '../integration/reporterLine';
import { checkSendRequestUi } from './sendRequestUiCheck';
import { checkStreamsUi } from './streamsUiCheck';
import { checkTestsUi, checkUntrustedTestsUi } from './testsUiCheck';
import { HarnessError, timedStep } from './timedStep';
import { workbenchUrl } from './workbenchUrl';
import { quietWorkbenchSettings } from './workbenchSettings';

/** The whole mocha suite, including VS Code start-up, must finish within this. */
const suiteTimeoutMs = 10 * 60_000;

interface SuiteResult {
  readonly exitCode: number;
  /** Log files of the window, including the extension host's, as the workbench reported them. */
  readonly logs: readonly { readonly relativePath: string; readonly contents: string }[];
}

function requireBuilt(): void {
  for (const [file, command] of [
    [path.join(repositoryRoot, 'dist', 'extension.js'), 'npm run build'],
    [path.join(repositoryRoot, 'dist', 'server.js'), 'npm run build'],
    [integrationTestsEntry, 'node esbuild.mjs --tests'],
  ] as const) {
    if (!fs.existsSync(file)) throw new HarnessError(`${path.relative(repositoryRoot, file)} is missing: run \`${command}\` first.`);
  }
}

/** Opens the development window that runs the suite, forwarding its log lines, until the extension host exits. */
async function runSuite(page: Page, server: RunningCodeServer, suiteEntry: string, workbenchLog: string[]): Promise<SuiteResult> {
  let finish: (result: SuiteResult) => void = () => undefined;
  const finished = new Promise<SuiteResult>((resolve) => (finish = resolve));
  await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => {
    // The workbench hands over its logger's arguments: usually an array of strings.
    const text = Array.isArray(message) ? message.map(String).join(' ') : String(message);
    // The reporter's lines are the run's progress; the rest is kept for a failure report.
    if (text.startsWith(reporterLinePrefix)) console.log(text.slice(reporterLinePrefix.length));
    else workbenchLog.push(`[${level}] ${text}`);
  });
  await page.exposeFunction('codeAutomationExit', (exitCode: number, logs: SuiteResult['logs']) => finish({ exitCode, logs: logs ?? [] }));
  const url = workbenchUrl({ origin: server.origin, folder: fixtureWorkspace, extensionDevelopmentPath: repositoryRoot, extensionTestsPath: suiteEntry });
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  return finished;
}

async function main(): Promise<number> {
  requireBuilt();
  const installation = await timedStep('Install or reuse code-server', 15 * 60_000, () => ensureCodeServer());
  const chromiumPath = await timedStep('Find or install Chromium', 15 * 60_000, () => ensureChromium());
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'courier-vscode-test-'));
  // The suite runs from a private copy: a rebuild of out/test during the run (watch mode,
  // another terminal) would otherwise pull the files from under the extension host.
  const suiteDir = path.join(scratch, 'integration');
  fs.cpSync(path.dirname(integrationTestsEntry), suiteDir, { recursive: true });
  const server = await timedStep('Start code-server', 90_000, () =>
    startCodeServer(installation, {
      userDataDir: path.join(scratch, 'user-data'),
      extensionsDir: path.join(scratch, 'extensions'),
      settings: quietWorkbenchSettings,
    }),
  );
  console.log(`[harness] code-server ${installation.version} at ${server.origin}`);
  const browser = await timedStep('Launch Chromium', 90_000, () => launchBrowser(chromiumPath));
  const browserConsole: string[] = [];
  const workbenchLog: string[] = [];
  let suite: SuiteResult | undefined;
  let uiPassed = false;
  try {
    const suitePage = await browser.newPage();
    suitePage.on('console', (message) => {
      // The workbench also prints the reporter's lines here; they were shown live already.
      if (!message.text().includes(reporterLinePrefix)) browserConsole.push(`[browser ${message.type()}] ${message.text()}`);
    });
    suitePage.on('pageerror', (error) => browserConsole.push(`[browser pageerror] ${error.message}`));
    suite = await timedStep('Run the integration suite in the extension host', suiteTimeoutMs, () => runSuite(suitePage, server, path.join(suiteDir, path.basename(integrationTestsEntry)), workbenchLog));
    console.log(`[harness] integration suite exit code: ${suite.exitCode}`);
    await suitePage.close();

    const uiPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    uiPage.on('console', (message) => browserConsole.push(`[ui browser ${message.type()}] ${message.text()}`));
    fs.mkdirSync(testOutputDir, { recursive: true });
    const editorUiPassed = await timedStep('Check the editor UI', 3 * 60_000, () => checkEditorUi(uiPage, server, testOutputDir));
    const sendUiPassed = await timedStep('Check sending from the CodeLens', 3 * 60_000, () => checkSendRequestUi(uiPage, server, testOutputDir));
    const largeUiPassed = await timedStep('Check a 50 MB JSON response in the panel', 3 * 60_000, () => checkLargeResponseUi(uiPage, server, testOutputDir));
    const testsUiPassed = await timedStep('Check running tests from the CodeLens', 3 * 60_000, () => checkTestsUi(uiPage, server, testOutputDir));
    const untrustedUiPassed = await timedStep('Check tests in an untrusted workspace', 4 * 60_000, () => checkTestsInRestrictedMode(browser, installation, scratch));
    const firstRunUiPassed = await timedStep('Check a first run: the environment question, the panel keeping its response', 4 * 60_000, () => checkFirstRunUi(uiPage, server, testOutputDir));
    const oauthUiPassed = await timedStep('Check OAuth: the login page in a new tab, the redirect back, the request sent with its token', 3 * 60_000, () => checkOAuthUi(uiPage, server, testOutputDir));
    const streamsUiPassed = await timedStep('Check live streams: the SSE table growing, Stop, the WebSocket message box and its echo', 3 * 60_000, () => checkStreamsUi(uiPage, server, testOutputDir));
    uiPassed = editorUiPassed && sendUiPassed && largeUiPassed && testsUiPassed && untrustedUiPassed && firstRunUiPassed && oauthUiPassed && streamsUiPassed;
  } finally {
    const failed = !suite || suite.exitCode !== 0 || !uiPassed;
    if (failed) printDiagnosis(server, suite, workbenchLog, browserConsole);
    await browser.close();
    await server.stop();
    removeScratch(scratch);
  }
  return suite.exitCode !== 0 ? suite.exitCode : uiPassed ? 0 : 1;
}

/**
 * Runs the untrusted-workspace check in a code-server of its own with workspace trust on (the
 * suite's has it off, so every folder there is trusted), stopped again after.
 */
async function checkTestsInRestrictedMode(browser: Browser, installation: CodeServerInstallation, scratch: string): Promise<boolean> {
  const trusting = await startCodeServer(installation, {
    userDataDir: path.join(scratch, 'user-data-trust'),
    extensionsDir: path.join(scratch, 'extensions'),
    settings: { ...quietWorkbenchSettings, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
    workspaceTrust: true,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    return await checkUntrustedTestsUi(page, trusting, testOutputDir);
  } finally {
    await page.close();
    await trusting.stop();
  }
}

/**
 * Removes the run's scratch folder. The extension host may still be flushing logs into it
 * after code-server stops (ENOTEMPTY), so retry, and never let clean-up turn a passing run red.
 */
function removeScratch(scratch: string): void {
  try {
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (error) {
    console.log(`[harness] warning: could not remove ${scratch} (${error instanceof Error ? error.message : String(error)}); it is only a temp folder`);
  }
}

/** What someone needs to see to understand a failure: the server's, the extension host's and the browser's logs. */
function printDiagnosis(server: RunningCodeServer, suite: SuiteResult | undefined, workbenchLog: readonly string[], browserConsole: readonly string[]): void {
  console.log('\n========== code-server log ==========');
  console.log(server.log());
  // The extension host's console (Courier's errors, stack traces) reaches us through the workbench.
  console.log('\n========== workbench and extension host log ==========');
  console.log(workbenchLog.join('\n'));
  for (const log of suite?.logs ?? []) {
    if (!/exthost|extension|remoteagent|renderer/i.test(log.relativePath)) continue;
    console.log(`\n========== ${log.relativePath} ==========`);
    console.log(log.contents);
  }
  console.log('\n========== browser console (last 200 lines) ==========');
  console.log(browserConsole.slice(-200).join('\n'));
}

main().then(
  (exitCode) => process.exit(exitCode),
  (error: unknown) => {
    console.error(error instanceof HarnessError ? `\n[harness] ${error.message}` : error);
    process.exit(1);
  },
);
