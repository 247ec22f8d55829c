/**
 * Caps that keep a hostile or broken plugin archive from exhausting memory, disk or time.
 * They are checked against bytes actually received and inflated, never only against what the
 * archive declares about itself.
 */
export interface ArchiveLimits {
  /** Largest uploaded ZIP file accepted, in bytes. */
  maxUploadBytes: number;
  /** Most entries (files and folders) one archive may hold. */
  maxEntries: number;
  /** Most bytes all entries together may inflate to. */
  maxUnpackedBytes: number;
  /**
   * Largest inflated / compressed ratio of one entry. Only enforced once that entry has inflated
   * more than 1 MiB, so that small, highly compressible files (a JSON manifest) still pass.
   */
  maxRatio: number;
}

/** The host's defaults; an operator may change them (POLYPHONY_PLUGIN_MAX_*). */
export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = {
  maxUploadBytes: 50 * 1024 * 1024,
  maxEntries: 5000,
  maxUnpackedBytes: 200 * 1024 * 1024,
  maxRatio: 100,
};
