// Which function each alert is in. Pure.
import type { ChangedFile } from './diff.js';
import { enclosingFunction } from './functions.js';
import type { Alert, FunctionInfo } from './types.js';

export interface AlertInFunction {
  alert: Alert;
  function: FunctionInfo;
}

export interface MappedAlerts {
  inside: AlertInFunction[];
  /** Alerts on lines of no function (module-level code, files we have no functions for). */
  outside: Alert[];
}

/**
 * The innermost function holding an alert: one containing the alert's whole range if there is
 * one, else the one containing its first line (an alert spilling past a function's end still
 * starts in it).
 */
export function functionOfAlert(alert: Alert, functions: readonly FunctionInfo[]): FunctionInfo | undefined {
  const atStart = enclosingFunction(functions, alert.startLine);
  if (!atStart || alert.endLine <= atStart.endLine) return atStart;
  const whole = functions.filter((fn) => fn.startLine <= alert.startLine && fn.endLine >= alert.endLine);
  return enclosingFunction(whole, alert.startLine) ?? atStart;
}

export function mapAlertsToFunctions(alerts: readonly Alert[], functionsByPath: ReadonlyMap<string, readonly FunctionInfo[]>): MappedAlerts {
  const inside: AlertInFunction[] = [];
  const outside: Alert[] = [];
  for (const alert of alerts) {
    const fn = functionOfAlert(alert, functionsByPath.get(alert.path) ?? []);
    if (fn) inside.push({ alert, function: fn });
    else outside.push(alert);
  }
  return { inside, outside };
}

/**
 * The alerts a pull request is answerable for. GitHub lists every open alert of the analysed
 * ref, including ones in files the PR never touched; `file` keeps alerts in files the PR adds,
 * modifies or renames, `hunk` only those overlapping the new side of a hunk (where GitHub can
 * also place a review comment).
 */
export function alertsInDiff(alerts: readonly Alert[], diff: readonly ChangedFile[], scope: 'file' | 'hunk' = 'file'): Alert[] {
  const files = new Map(diff.filter((file) => file.status !== 'deleted' && !file.binary).map((file) => [file.path, file]));
  return alerts.filter((alert) => {
    const file = files.get(alert.path);
    if (!file) return false;
    if (scope === 'file') return true;
    return file.hunks.some((hunk) => alert.startLine <= hunk.newStart + hunk.newLines - 1 && alert.endLine >= hunk.newStart && hunk.newLines > 0);
  });
}
