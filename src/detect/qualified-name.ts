// How a function is named in reports, skips and comments: `Class.method`, or the bare name.
import type { FunctionInfo } from './types.js';

export function qualifiedName(fn: Pick<FunctionInfo, 'name' | 'className'>): string {
  return fn.className ? `${fn.className}.${fn.name}` : fn.name;
}
