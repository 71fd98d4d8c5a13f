/* global process */
// Preloaded (node -r) into the engine's Node processes when bench/run.ts is given --cpu-prof: the
// engine ends a plugin with SIGINT (then SIGKILL), and Node writes --cpu-prof's profile only on a
// normal exit, so SIGINT and SIGTERM become one.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
