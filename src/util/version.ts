/**
 * The package version, read from package.json (the one place it is written),
 * for `sentivec --version` and the model info. dist/src/util/version.js sits
 * three folders below the package root, in a checkout and in an installed package.
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}

export const SENTIVEC_VERSION: string = readVersion();
