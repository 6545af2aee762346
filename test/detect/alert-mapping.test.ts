import { describe, expect, it } from 'vitest';
import { alertsInDiff, functionOfAlert, mapAlertsToFunctions } from '../../src/detect/alert-mapping.js';
import type { ChangedFile } from '../../src/detect/diff.js';
import type { Alert, FunctionInfo } from '../../src/detect/types.js';

const fn = (name: string, startLine: number, endLine: number): FunctionInfo => ({ name, startLine, endLine, code: '', parameters: [], signature: '' });
const alert = (path: string, startLine: number, endLine = startLine, ruleId = 'r'): Alert => ({ ruleId, message: 'm', cwe: [], path, startLine, endLine });

describe('mapAlertsToFunctions', () => {
  const functions = new Map<string, FunctionInfo[]>([['app/views.py', [fn('handler', 10, 30), fn('inner', 12, 15), fn('other', 40, 45)]]]);

  it('maps each alert to the innermost function holding it and returns the rest', () => {
    const alerts = [alert('app/views.py', 13), alert('app/views.py', 20), alert('app/views.py', 35), alert('app/views.py', 1), alert('unknown.py', 13)];
    const { inside, outside } = mapAlertsToFunctions(alerts, functions);
    expect(inside.map((entry) => [entry.alert.startLine, entry.function.name])).toEqual([
      [13, 'inner'],
      [20, 'handler'],
    ]);
    expect(outside).toEqual([alerts[2], alerts[3], alerts[4]]);
  });

  it('prefers a function holding the whole alert range over the innermost at its first line', () => {
    const list = functions.get('app/views.py') ?? [];
    expect(functionOfAlert(alert('app/views.py', 14, 18), list)?.name).toBe('handler');
    // Spilling past every function's end, it still belongs where it starts.
    expect(functionOfAlert(alert('app/views.py', 44, 50), list)?.name).toBe('other');
  });
});

describe('alertsInDiff', () => {
  const diff: ChangedFile[] = [
    { path: 'app/views.py', status: 'modified', binary: false, addedLines: [21], hunks: [{ newStart: 18, newLines: 7 }] },
    { path: 'app/gone.py', status: 'deleted', binary: false, addedLines: [], hunks: [{ newStart: 0, newLines: 0 }] },
  ];
  const alerts = [alert('app/views.py', 2), alert('app/views.py', 24, 26), alert('app/gone.py', 1), alert('app/untouched.py', 5)];

  it('keeps alerts in files the change touches', () => {
    expect(alertsInDiff(alerts, diff)).toEqual([alerts[0], alerts[1]]);
  });

  it('keeps only alerts overlapping a hunk with the hunk scope', () => {
    expect(alertsInDiff(alerts, diff, 'hunk')).toEqual([alerts[1]]);
  });
});
