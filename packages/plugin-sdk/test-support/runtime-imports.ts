import { build } from 'esbuild';

/**
 * Bundles one of the SDK's entries the way a plugin's backend build does, with every package left
 * external: any import that survives type erasure shows up in `imports`, and `inputs` names the
 * SDK's own files the entry pulls in. Outside src/ so that neither tsc's build nor the packed
 * tarball carries it.
 */
export async function runtimeImports(entry: URL): Promise<{ imports: string[]; inputs: string[] }> {
  const result = await build({
    entryPoints: [entry.pathname],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  return {
    imports: output?.imports.map((imported) => imported.path) ?? [],
    inputs: Object.keys(result.metafile.inputs),
  };
}
