import type { DatabaseTarget } from './servers.ts';

/** What every scenario gets from the runner (main.ts). */
export interface BenchContext {
  /** A folder of this run's own, removed at the end: data folders, logs, archives. */
  readonly workDir: string;
  /** `--quick`: one repeat of short runs, to check the bench itself works (not for numbers). */
  readonly quick: boolean;
  /** How many times each variant runs, interleaved (at least 3 unless quick). */
  readonly repeats: number;
  /** SQLite always; PostgreSQL too when one answered (`BENCH_POSTGRES_URL`, else the test default). */
  readonly databases: readonly DatabaseTarget[];
  /** Why there is no PostgreSQL in `databases`, or null when there is one. */
  readonly postgresMissing: string | null;
  /** `--profile`: write CPU profiles of the servers measured into this folder. */
  readonly profileDir: string | null;
  /** A progress line on stderr. */
  log(message: string): void;
}

/** One of the targets, as measured. */
export interface TargetCheck {
  /** The target as the issue states it. */
  readonly goal: string;
  /** What this run measured, in words and figures. */
  readonly measured: string;
  readonly met: boolean;
}

export interface ResultTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** A line under the table: how it was measured. */
  readonly note?: string;
}

/** What a scenario answers: tables for the report, targets, and its raw figures for the JSON. */
export interface SectionResult {
  readonly id: string;
  readonly title: string;
  readonly tables: readonly ResultTable[];
  readonly targets: readonly TargetCheck[];
  readonly notes: readonly string[];
  readonly data: unknown;
}

export type Scenario = (ctx: BenchContext) => Promise<SectionResult>;
