// Entry point of `npm run demo-api` (bundled to dist/demo-api.js): starts the
// demo API on PORT (default 4010) and keeps it running until Ctrl+C.
// Tests import `startDemoApi` from ./server instead, which does not listen on import.
import { startDemoApi } from './server';

export { startDemoApi } from './server';

const defaultPort = 4010;

async function main(): Promise<void> {
  const rawPort = process.env.PORT ?? String(defaultPort);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`demo-api: PORT must be an integer from 0 to 65535, got "${rawPort}"\n`);
    process.exitCode = 2;
    return;
  }
  try {
    // gRPC on the next port (4011 by default, as samples/http-client.env.json expects), or GRPC_PORT.
    const grpcPort = Number(process.env.GRPC_PORT ?? (port === 0 ? 0 : port + 1));
    const api = await startDemoApi(port, { grpcPort });
    process.stdout.write(`Courier demo API listening on ${api.url}, gRPC on 127.0.0.1:${api.grpcPort} (Ctrl+C to stop)\n`);
    const stop = (): void => {
      api.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? ` (port ${port} is in use: stop the other process or set PORT)` : '';
    process.stderr.write(`demo-api: cannot listen on 127.0.0.1:${port}: ${(error as Error).message}${hint}\n`);
    process.exitCode = 1;
  }
}

void main();
