/**
 * The esbuild options NodejsFunction derives from ServiceFunction's bundling props, for scripts and tests
 * that bundle a function exactly as it is deployed (bundle sizes, the bundle smoke test).
 */
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** `--alias:<package>` esbuild arguments as esbuild's `alias` option (paths relative to the repository). */
const aliasesFrom = (args: BundlingOptions['esbuildArgs']): Record<string, string> | undefined => {
  const entries = Object.entries(args ?? {}).flatMap(([flag, value]) => {
    if (!flag.startsWith('--alias:')) throw new Error(`unsupported esbuild argument ${flag}`);
    return typeof value === 'string' ? [[flag.slice('--alias:'.length), value] as const] : [];
  });
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
};

/**
 * The esbuild options NodejsFunction derives from its bundling props (aws-lambda-nodejs `Bundling`):
 * always `--bundle --platform=node`, `index.mjs` for ESM. An option this does not know fails the
 * script rather than silently measuring something other than what is deployed.
 */
export const esbuildOptionsFrom = (bundling: Readonly<BundlingOptions>): BuildOptions => {
  const handled = new Set([
    'format',
    'target',
    'mainFields',
    'banner',
    'minify',
    'sourceMap',
    'sourcesContent',
    'externalModules',
    'forceDockerBundling',
    'esbuildArgs',
  ]);
  const unknown = Object.keys(bundling).filter((key) => !handled.has(key));
  if (unknown.length > 0) {
    throw new Error(`SERVICE_FUNCTION_BUNDLING has options this translation does not apply: ${unknown}`);
  }
  return {
    bundle: true,
    platform: 'node',
    format: bundling.format === 'esm' ? 'esm' : 'cjs',
    target: bundling.target,
    mainFields: bundling.mainFields,
    banner: bundling.banner ? { js: bundling.banner } : undefined,
    minify: bundling.minify,
    // NodejsFunction's --sourcemap: a separate .map file and a sourceMappingURL comment in the bundle.
    sourcemap: bundling.sourceMap ? 'linked' : false,
    sourcesContent: bundling.sourcesContent,
    external: bundling.externalModules,
    alias: aliasesFrom(bundling.esbuildArgs),
    outfile: bundling.format === 'esm' ? 'index.mjs' : 'index.js',
    metafile: true,
    write: false,
    logLevel: 'error',
  };
};
