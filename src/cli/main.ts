#!/usr/bin/env node
import { Command } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerExportData } from './commands/export-data.js';
import { registerIngest } from './commands/ingest.js';
import { registerParse } from './commands/parse.js';
import { registerRejects } from './commands/rejects.js';
import { registerSearch } from './commands/search.js';
import { registerServe } from './commands/serve.js';
import { registerStats } from './commands/stats.js';

/** `cables`: the command-line entry point. Each subcommand lives in ./commands/<name>.ts. */
export function buildProgram(): Command {
  const program = new Command('cables')
    .description('Ingest, parse, release, browse and search an archive of diplomatic cables')
    .version('0.1.0');
  // Subcommand registry: one line per command module.
  registerParse(program);
  registerIngest(program);
  registerStats(program);
  registerExportData(program);
  registerRejects(program);
  registerDemo(program);
  registerServe(program);
  registerSearch(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
