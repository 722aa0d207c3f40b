// Cleanups that must run however this process ends: a normal exit, an uncaught error, or Ctrl+C.
// code-server is started detached (its own process group, so it can be stopped as a whole), which
// also means Ctrl+C in the terminal does not reach it: without this, every interrupted test run or
// benchmark left a server running.

const cleanups = new Set();
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
let hooked = false;

/** Runs `cleanup` (synchronous) when the process exits; returns a function that unregisters it. */
export function onExit(cleanup) {
  cleanups.add(cleanup);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const run of [...cleanups]) run();
    });
    for (const [signal, code] of Object.entries(SIGNALS)) {
      // A signal's default action ends the process without the 'exit' event: exit instead. A
      // script with its own handler for the signal (npm start) decides itself when to exit.
      process.on(signal, () => {
        if (process.listenerCount(signal) === 1) process.exit(code);
      });
    }
  }
  return () => cleanups.delete(cleanup);
}
