#!/usr/bin/env node
// Thin launcher so the bin link exists before `prepare` has compiled dist/.
// The AWS SDK warns on every run under Node 20 that its releases after January 2027 will need Node 22;
// Castellan supports Node 20 (package.json engines) with the SDK its lockfile pins, so the warning
// only adds eight lines to every command's output. Set the variable to `false` to see it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await import('../dist/main.js');
