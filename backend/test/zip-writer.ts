// The ZIP writer lives with the archive format it writes; tests keep importing it from here.
export * from '@polyphony/plugin-format/zip-writer';
