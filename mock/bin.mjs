#!/usr/bin/env node
// The `graph-conversations-mock` command of the npm package (package.json
// "bin"): the mock Graph from a shell. `--help` lists every option, fault
// kind and magic id (cli.mjs).
import { runCli } from "./cli.mjs";

runCli(process.argv.slice(2)).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
