/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias in
 * lib/service-function.ts). Lambda hands a function its role's credentials in environment variables, so
 * the default chain's other sources (SSO, INI files, STS web identity, IMDS, containers) and the nested
 * STS/SSO clients they bring (about 130 KB minified) are dead weight there. Tests and the local stack run
 * the sources, with the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (_init?: unknown) => fromEnv();
