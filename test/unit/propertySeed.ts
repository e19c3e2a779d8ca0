// Property tests explore new inputs on every local run, but CI replays one fixed seed, so a rare
// counterexample cannot block a landing at random; a failure prints its seed, and
// FAST_CHECK_SEED=<seed> replays it. Imported for its effect by every property test.
import fc from 'fast-check';

const fixedSeedForCi = 20261121;
const chosen = process.env.FAST_CHECK_SEED;
const seed = chosen !== undefined && chosen !== '' ? Number(chosen) : process.env.CI ? fixedSeedForCi : Date.now() % 0x7fffffff;
fc.configureGlobal({ seed });
