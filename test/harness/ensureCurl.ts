// `npm run test:unit` runs this first: the cURL importer's differential test compares Courier
// with the real curl, which a clean Debian machine may not have.
import { ensureDebianProgram } from './debianPackage';
import { HarnessError } from './timedStep';

ensureDebianProgram({ packageName: 'curl', candidates: ['/usr/bin/curl'], howToProvide: 'Install it (Debian/Ubuntu: `sudo apt-get install -y curl`)' }).then(
  () => undefined,
  (error: unknown) => {
    console.error(error instanceof HarnessError ? error.message : error);
    process.exitCode = 1;
  },
);
