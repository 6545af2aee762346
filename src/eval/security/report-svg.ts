// The security rate per CWE and mode as a grouped bar chart, written by hand as SVG (no chart
// library): one group per CWE plus the mean, one bar per mode, 0–100 %. Without a model, the same
// chart of the retrieval side (acc@1, acc@5, fix-pattern recall per mode).
import type { EvalMode } from './modes.js';
import { compareCwe } from './rates.js';
import type { EvalReport } from './run-eval.js';

const COLORS = ['#9e9e9e', '#f4a261', '#2a9d8f', '#264653', '#e76f51', '#8ab17d'];

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);

interface Group {
  label: string;
  rate: (mode: EvalMode) => number | null;
}

export function renderEvalSvg(report: EvalReport): string {
  const modes: readonly EvalMode[] = report.settings.modes;
  if (report.model === null) {
    const value = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? null : v);
    return barChart('Retrieval (%) by mode: no model, so no security rates', modes, [
      { label: 'acc@1', rate: (mode) => value(report.retrieval[mode]?.acc1) },
      { label: 'acc@5', rate: (mode) => value(report.retrieval[mode]?.acc5) },
      { label: 'fix-pattern recall', rate: (mode) => value(report.fixPatternRecall[mode]?.recall) },
    ]);
  }
  const cwes = [...new Set(report.modes.flatMap((m) => Object.keys(m.byCwe)))].sort(compareCwe);
  const groups: Group[] = [
    ...cwes.map((cwe) => ({ label: cwe, rate: (mode: EvalMode) => report.modes.find((m) => m.mode === mode)?.byCwe[cwe]?.rate ?? null })),
    {
      label: 'mean',
      rate: (mode: EvalMode) => report.modes.find((m) => m.mode === mode)?.rate ?? null,
    },
  ];
  return barChart(`Security rate (%) by CWE and mode — ${report.model}`, modes, groups);
}

function barChart(title: string, modes: readonly EvalMode[], groups: readonly Group[]): string {
  const bar = 14;
  const gap = 24;
  const groupWidth = modes.length * bar + gap;
  const left = 48;
  const top = 40;
  const plotHeight = 220;
  const width = Math.max(360, left + groups.length * groupWidth + 20, left + modes.length * 90);
  const legendY = top + plotHeight + 48;
  const height = legendY + 24;
  const y = (rate: number) => top + plotHeight * (1 - rate);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="20" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(`<line x1="${left}" x2="${width - 10}" y1="${y(tick)}" y2="${y(tick)}" stroke="#dddddd"/>`);
    out.push(`<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick * 100}</text>`);
  }
  groups.forEach((group, g) => {
    const x0 = left + g * groupWidth + gap / 2;
    modes.forEach((mode, m) => {
      const rate = group.rate(mode);
      const x = x0 + m * bar;
      if (rate === null) {
        out.push(`<text x="${x + bar / 2}" y="${y(0) - 3}" text-anchor="middle" fill="#999999">·</text>`);
        return;
      }
      out.push(
        `<rect x="${x}" y="${y(rate).toFixed(1)}" width="${bar - 2}" height="${(plotHeight * rate).toFixed(1)}" fill="${COLORS[m % COLORS.length]}"><title>${escapeXml(`${group.label}, ${mode}: ${(rate * 100).toFixed(2)}%`)}</title></rect>`,
      );
    });
    out.push(`<text x="${x0 + (modes.length * bar) / 2}" y="${top + plotHeight + 16}" text-anchor="middle">${escapeXml(group.label)}</text>`);
  });
  modes.forEach((mode, m) => {
    const x = left + m * 90;
    out.push(`<rect x="${x}" y="${legendY - 10}" width="10" height="10" fill="${COLORS[m % COLORS.length]}"/>`);
    out.push(`<text x="${x + 14}" y="${legendY}">${escapeXml(mode)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
