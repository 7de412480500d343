#!/usr/bin/env node
// The `a2p` command of package.json's "bin", so `npx a2p …` works in a checkout right after
// `npm install` (no build step) and `a2p …` once the package is installed. In a checkout the
// TypeScript sources run through tsx, so the command is always the code you are looking at; a
// build without the sources (an image that kept only dist/) runs the compiled file.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, '..', 'src', 'cli.ts');
if (existsSync(source)) {
  require('tsx/cjs');
  require(source);
} else {
  require(join(__dirname, '..', 'dist', 'src', 'cli.js'));
}
