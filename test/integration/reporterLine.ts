// Shared by the suite and the harness that reads its output.

/**
 * Marks the reporter's lines. The workbench forwards everything the extension host logs;
 * the harness prints marked lines live and keeps the rest for when something fails.
 */
export const reporterLinePrefix = '[courier-test] ';
