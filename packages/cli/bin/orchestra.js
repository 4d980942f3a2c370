#!/usr/bin/env node
// The installed `orchestra` command; the program itself is built to dist/.
import '../dist/main.js';
