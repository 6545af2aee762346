// Quoting untrusted pull-request text (code, file context, alert messages, paths) so that it
// reads as data inside a prompt and can never end the block it is quoted in.
import { fenceFor } from '../text/fence.js';

export { fenceFor };

const INLINE_MAX = 200;

/**
 * Untrusted metadata (a path, a rule id, a CWE list) on one line: control characters, line breaks
 * and backticks become spaces, so it cannot start a new paragraph, heading or code block.
 * Long values are cut (they are labels, never content the model must read whole).
 */
export function oneLine(text: string, max = INLINE_MAX): string {
  // Control characters are exactly what this removes.
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u001f\u007f\u2028\u2029`]+/g;
  const flat = text.replace(controls, ' ').replace(/ {2,}/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}
