#!/usr/bin/env node
import { main } from './main.js';

// Set once the command has an answer. If the event loop drains first, something the run awaited
// can never settle (a --policy module whose top-level await never resolves): say so and fail,
// rather than exit 0 with no output.
let settled = false;
process.on('beforeExit', () => {
  if (settled) return;
  settled = true;
  process.stderr.write(
    'shipshape: the run stopped before it finished: something it waited for never settled (a --policy module with a top-level await that never resolves?)\n',
  );
  process.exitCode = 2;
});

// A reader that stops early (`shipshape check | head`) closes the pipe: what is left to print has
// no reader, which is no error of the run (it used to end in an unhandled EPIPE and its stack
// trace). The rest is dropped, and the run still ends with its own exit code.
let stdoutClosed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
    stdoutClosed = true;
    return;
  }
  throw error;
});
const stdout = {
  isTTY: process.stdout.isTTY,
  write: (text: string): void => {
    if (!stdoutClosed) process.stdout.write(text);
  },
};

main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout,
  stderr: process.stderr,
}).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    settled = true;
    // Only a bug in shipshape gets here: user mistakes are diagnostics or ShipshapeErrors.
    process.stderr.write(
      `shipshape: internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
