// The first way a rewrite's frame differs from the original's, in words a reviewer can check.
import type { Grammar } from '../parse/index.js';
import { decoratorWord, type FramePart, type FunctionFrame } from './frame.js';

export interface FrameChange {
  /** `different-function`: another name or other parameter names; `frame-changed`: anything else. */
  reason: 'different-function' | 'frame-changed';
  detail: string;
}

const changed = (detail: string): FrameChange => ({ reason: 'frame-changed', detail });
const keys = (parts: readonly FramePart[]) => parts.map((part) => part.key);
const listed = (parts: readonly FramePart[]) => parts.map((part) => part.text).join(', ');

/** Parts of `from` with no counterpart in `to`, counting repeats (multiset difference). */
function missing(from: readonly FramePart[], to: readonly FramePart[]): FramePart[] {
  const left = keys(to);
  return from.filter((part) => {
    const at = left.indexOf(part.key);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

function decoratorChange(before: readonly FramePart[], after: readonly FramePart[], grammar: Grammar): FrameChange | undefined {
  const word = decoratorWord(grammar);
  const dropped = missing(before, after);
  const added = missing(after, before);
  const [one] = dropped;
  const [other] = added;
  if (dropped.length === 1 && added.length === 1 && one && other) return changed(`${word} ${one.text} changed to ${other.text}`);
  if (dropped.length > 0 && added.length > 0) return changed(`${word}s ${listed(before)} changed to ${listed(after)}`);
  if (dropped.length > 0) return changed(`${word}${dropped.length > 1 ? 's' : ''} ${listed(dropped)} dropped`);
  if (added.length > 0) return changed(`${word}${added.length > 1 ? 's' : ''} ${listed(added)} added`);
  if (keys(before).join('\n') !== keys(after).join('\n')) return changed(`${word}s reordered from ${listed(before)} to ${listed(after)}`);
  return undefined;
}

function flagChange(before: boolean, after: boolean, what: string): FrameChange | undefined {
  if (before === after) return undefined;
  return changed(after ? `became ${what}` : `is no longer ${what}`);
}

function modifierChange(before: readonly string[], after: readonly string[]): FrameChange | undefined {
  if (before.join(' ') === after.join(' ')) return undefined;
  const added = after.filter((word) => !before.includes(word));
  const dropped = before.filter((word) => !after.includes(word));
  if (dropped.length === 0 && added.length > 0) return changed(`modifier${added.length > 1 ? 's' : ''} ${added.join(' ')} added`);
  if (added.length === 0 && dropped.length > 0) return changed(`modifier${dropped.length > 1 ? 's' : ''} ${dropped.join(' ')} dropped`);
  const words = (list: readonly string[]) => (list.length > 0 ? list.join(' ') : '(none)');
  return changed(`modifiers changed from ${words(before)} to ${words(after)}`);
}

function parameterChange(before: readonly FramePart[], after: readonly FramePart[]): FrameChange | undefined {
  for (let i = 0; i < Math.max(before.length, after.length); i += 1) {
    const [was, now] = [before[i], after[i]];
    if (was?.key === now?.key) continue;
    if (was && now) return changed(`parameter ${was.text} changed to ${now.text}`);
    return changed(`parameters changed from (${listed(before)}) to (${listed(after)})`);
  }
  return undefined;
}

function returnTypeChange(before: FramePart | undefined, after: FramePart | undefined): FrameChange | undefined {
  if (before?.key === after?.key) return undefined;
  if (before && after) return changed(`return type changed from ${before.text} to ${after.text}`);
  return changed(before ? `return type ${before.text} dropped` : `return type ${after?.text ?? ''} added`);
}

/** The first difference between the original's frame and a rewrite's, or undefined when they are the same. */
export function frameChange(before: FunctionFrame, after: FunctionFrame, grammar: Grammar): FrameChange | undefined {
  if (before.name !== after.name) return { reason: 'different-function', detail: `no function named ${before.name}` };
  if (before.parameterNames.join(',') !== after.parameterNames.join(',')) {
    return { reason: 'different-function', detail: `parameters changed from (${before.parameterNames.join(', ')}) to (${after.parameterNames.join(', ')})` };
  }
  return (
    decoratorChange(before.decorators, after.decorators, grammar) ??
    flagChange(before.async, after.async, 'async') ??
    flagChange(before.generator, after.generator, 'a generator') ??
    modifierChange(before.modifiers, after.modifiers) ??
    parameterChange(before.parameters, after.parameters) ??
    returnTypeChange(before.returnType, after.returnType) ??
    (before.signature.key === after.signature.key ? undefined : changed(`signature changed from ${before.signature.text} to ${after.signature.text}`))
  );
}
