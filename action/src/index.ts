// The Action's entry, bundled into action/dist/index.js by scripts/build-action.mjs.
import { run } from '../../src/action/run.js';

await run();
