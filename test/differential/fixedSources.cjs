// Preloaded (`node --require`) into the processes of a differential run, so the bytes they send do
// not depend on when or by chance. Plain CommonJS: it runs before any bundle.
//   COURIER_DIFF_FIXED=cli    the CLI: the clock stands still at COURIER_DIFF_NOW (ms) for `new Date()`
//                             and Date.now() alike, so a head that reads the time another way
//                             gets the same value; Math.random() always 0.987654 (near the top, so
//                             off-by-one ranges show); crypto.randomUUID() always the same UUID.
//                             Constant rather than seeded, so a change in the order values are
//                             drawn cannot create a false difference. Timers and timeouts do not
//                             read Date (libuv timers, undici's performance.now()), and Courier's
//                             timings are not compared.
//   COURIER_DIFF_FIXED=server the demo API: crypto.randomBytes from a seeded generator, so its
//                             tokens, sessions and Digest nonces repeat from one run to the next.
'use strict';
const crypto = require('node:crypto');

const mode = process.env.COURIER_DIFF_FIXED;
if (mode === 'cli') {
  const RealDate = Date;
  const now = Number(process.env.COURIER_DIFF_NOW);
  if (!Number.isFinite(now)) throw new Error('fixedSources.cjs: set COURIER_DIFF_NOW to a time in milliseconds');
  class FixedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now);
      else super(...args);
    }
  }
  FixedDate.now = () => now;
  globalThis.Date = FixedDate;
  Math.random = () => 0.987654;
  crypto.randomUUID = () => '3b241101-e2bb-4255-8caf-4136c566a962';
} else if (mode === 'server') {
  let state = 0x2545f491;
  crypto.randomBytes = (size, callback) => {
    const bytes = Buffer.alloc(size);
    for (let index = 0; index < size; index++) {
      // xorshift32: deterministic, and good enough for tokens nobody guesses here.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[index] = state & 0xff;
    }
    if (typeof callback === 'function') {
      process.nextTick(callback, null, bytes);
      return undefined;
    }
    return bytes;
  };
}
