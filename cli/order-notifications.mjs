#!/usr/bin/env node
// The package's "bin": loads the TypeScript CLI through tsx, so `npm link` / `npx order-notifications`
// run the same code as `npx tsx cli/index.ts`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./index.ts');
await main();
