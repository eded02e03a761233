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

// A reader that stops early (`cables export-data | head`) closes the pipe: end quietly, as Unix
// tools do, instead of with an unhandled EPIPE and its stack trace. The exit code already set
// stays (an ingest's 3); an ingest writes to stdout only its summary, after its last commit.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit();
});

await buildProgram().parseAsync(process.argv);
