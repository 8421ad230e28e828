#!/usr/bin/env node
// Thin launcher so the bin link exists before `prepare` has compiled dist/.
await import('../dist/main.js');
