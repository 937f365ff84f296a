#!/usr/bin/env node
// The sources are TypeScript; tsx's loader compiles them on the fly so that there is no build step
// to forget and no stale output to run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../runtime/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
