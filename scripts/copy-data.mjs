#!/usr/bin/env node
// tsc compiles only code: copy the parser's data tables next to the compiled modules that load them.
import { cpSync } from 'node:fs';

cpSync('src/parse/data', 'dist/parse/data', { recursive: true });
