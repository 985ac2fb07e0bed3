/**
 * Loading the WebAssembly modules `npm run build` compiles next to their
 * TypeScript loaders (assembly/*.ts → a .wasm beside each loader in dist/src/), and the one
 * switch shared by every loop that has both a WebAssembly and a TypeScript
 * version: SENTIVEC_KERNELS=js|js64 asks for TypeScript everywhere.
 */
import { readFileSync } from 'node:fs';

const modules = new Map<string, WebAssembly.Module | null>();

/** The compiled module at `url`, or null if it is missing or does not validate here. Cached per thread. */
export function loadWasmModule(url: URL): WebAssembly.Module | null {
  const key = url.href;
  let m = modules.get(key);
  if (m === undefined) {
    try {
      const bytes = readFileSync(url);
      m = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      m = null;
    }
    modules.set(key, m);
  }
  return m;
}

/**
 * Whether a loop with an `auto | wasm | js` option runs in WebAssembly:
 * `auto` means yes when the module loads, unless SENTIVEC_KERNELS is js or js64.
 */
export function wantsWasm(choice: 'auto' | 'wasm' | 'js', available: () => boolean): boolean {
  if (choice === 'js') return false;
  if (choice === 'wasm') return true;
  const env = process.env.SENTIVEC_KERNELS;
  return env !== 'js' && env !== 'js64' && available();
}
