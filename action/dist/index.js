// Built by scripts/build-action.mjs; do not edit. Node resolves the packages main.js imports
// from node_modules/ beside it: link that name to the shipped packages/, then run main.js.
import { symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
try {
  symlinkSync('packages', join(here, 'node_modules'), 'dir');
} catch (error) {
  // Already linked by an earlier run (or a concurrent one).
  if (error.code !== 'EEXIST') throw error;
}
await import('./main.js');
