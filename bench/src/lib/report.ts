// The report: a text table for the terminal, markdown for bench/results/latest.md (and, copied
// with the findings, bench/RESULTS.md).
import type { Machine } from './machine.ts';
import type { ResultTable, SectionResult } from './types.ts';

export interface Report {
  startedAt: string;
  seconds: number;
  quick: boolean;
  repeats: number;
  machine: Machine;
  sections: SectionResult[];
  failures: { id: string; error: string }[];
}

const cell = (value: string | number) => String(value);

function textTable(table: ResultTable): string {
  const rows = [table.columns.map(cell), ...table.rows.map((row) => row.map(cell))];
  const widths = table.columns.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((value, i) => (i === 0 ? value.padEnd(widths[i] ?? 0) : value.padStart(widths[i] ?? 0)))
      .join('  ');
  return [
    line(rows[0] ?? []),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

function markdownTable(table: ResultTable): string {
  const escape = (value: string | number) => cell(value).replaceAll('|', '\\|');
  return [
    `| ${table.columns.map(escape).join(' | ')} |`,
    `| ${table.columns.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

const mark = (met: boolean) => (met ? 'met' : 'MISSED');

export function renderText(report: Report): string {
  const out: string[] = [];
  for (const section of report.sections) {
    out.push('', `== ${section.title}`);
    for (const table of section.tables) {
      out.push('', table.title, textTable(table));
      if (table.note) out.push(table.note);
    }
  }
  const targets = report.sections.flatMap((s) => s.targets);
  if (targets.length > 0) {
    out.push('', '== Targets');
    for (const t of targets) out.push(`[${mark(t.met)}] ${t.goal}: ${t.measured}`);
  }
  for (const failure of report.failures) out.push('', `== ${failure.id} FAILED`, failure.error);
  return out.join('\n');
}

export function renderMarkdown(report: Report): string {
  const m = report.machine;
  const out: string[] = [
    '# Benchmark report',
    '',
    `Run on ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC at commit \`${m.commit}\`, in ${report.seconds} s` +
      `${report.quick ? ' (**--quick**: a smoke run, not for numbers)' : ''}; ` +
      `every variant ran ${report.repeats} times, interleaved, and the tables give medians.`,
    '',
    '## Machine',
    '',
    `- CPU: ${m.cores} × ${m.cpu}; memory ${m.memoryGiB} GiB`,
    `- OS: ${m.os}; Node.js ${m.node}`,
    `- Load generator: ${m.loadGenerator}`,
    `- Pinning: ${m.pinning}`,
    `- Database: SQLite (better-sqlite3, WAL); ${m.postgres}`,
    `- Browser: ${m.chromium}`,
  ];
  const targets = report.sections.flatMap((s) => s.targets);
  if (targets.length > 0) {
    out.push('', '## Targets', '', '| Target | Measured | |', '| --- | --- | --- |');
    for (const t of targets) out.push(`| ${t.goal} | ${t.measured} | ${mark(t.met)} |`);
  }
  for (const section of report.sections) {
    out.push('', `## ${section.title}`);
    for (const table of section.tables) {
      out.push('', `**${table.title}**`, '', markdownTable(table));
      if (table.note) out.push('', table.note);
    }
    if (section.notes.length > 0) out.push('', ...section.notes.map((n) => `- ${n}`));
  }
  for (const failure of report.failures) {
    out.push('', `## ${failure.id}: failed`, '', '```', failure.error, '```');
  }
  return `${out.join('\n')}\n`;
}
