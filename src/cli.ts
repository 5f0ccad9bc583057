#!/usr/bin/env node
// The `incident-bot` executable: everything is in src/cli/main.ts, which tests call in-process.
import { main } from "./cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    // A failure exits now: a client still retrying in the background (Slack's, after a refused
    // start) must not keep a failed process alive. Success lets the output drain first.
    if (code > 0) process.exit(code);
    if (code === 0) process.exitCode = 0;
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
