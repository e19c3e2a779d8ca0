// The language server's entry point: `node dist/server.js --stdio` for any LSP client, or
// `--node-ipc` when the VS Code client starts it (createConnection reads the flag from argv).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from './languageServer';
import { applyServerV8Flags } from './v8Flags';

applyServerV8Flags();
startLanguageServer(createConnection(ProposedFeatures.all));
