// Courier's version, for the default User-Agent. esbuild replaces `process.env.COURIER_VERSION`
// with the package version at build time; under plain tsc or ts-node it falls back to a dev marker.

/** Courier's version, e.g. `0.1.0`. */
export const courierVersion: string = process.env.COURIER_VERSION ?? '0.0.0-dev';

/** The User-Agent sent when a request does not set its own. */
export const defaultUserAgent = `courier/${courierVersion}`;
