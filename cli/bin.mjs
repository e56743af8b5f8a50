#!/usr/bin/env node
// `spa-cd` from a checkout (npm link, npx): TypeScript runs through tsx, as `npm run spa-cd` does.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
