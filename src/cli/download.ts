import type { Command } from 'commander';
import { resolveDataset } from '../corpus/download.js';

export function registerDownload(program: Command): void {
  program
    .command('download')
    .description('download the IMDb dataset (aclImdb) into the cache, verify it, and print its path')
    .option('--cache-dir <dir>', 'cache directory (default $SENTIVEC_CACHE or ~/.cache/sentivec)')
    .option('--url <url>', 'download from this URL instead of the official one')
    .option('--sha256 <hex>', "expected SHA-256 of the archive ('none' skips the check; default: the official archive's)")
    .action(async (flags: { cacheDir?: string; url?: string; sha256?: string }) => {
      const sha256 = flags.sha256 === undefined ? undefined : flags.sha256 === 'none' ? null : flags.sha256.toLowerCase();
      const file = await resolveDataset({ ignoreDataEnv: true, cacheDir: flags.cacheDir, url: flags.url, sha256, progress: true });
      process.stdout.write(`${file}\n`);
    });
}
