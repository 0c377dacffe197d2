#!/usr/bin/env node
// Entry point: runs the compiled CLI from dist/ (built by `npm install` through the prepare script).
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
});
