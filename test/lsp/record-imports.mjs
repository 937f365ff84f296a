// Preloaded with `node --import` into a process under test: records the URL of every module the
// ES module loader resolves, one per line, in the file named by DFLC_RECORD_IMPORTS.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.DFLC_RECORD_IMPORTS } });
