// The emulator's own log lines (one per request at "info", plus headers and bodies at "debug").
// Everything logged has already been redacted: no token, signature, secret key or password.

export type LogLevel = "silent" | "info" | "debug";

export const LOG_LEVELS: readonly LogLevel[] = ["silent", "info", "debug"];

export interface Logger {
  info(line: string): void;
  debug(line: string): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void): Logger {
  return {
    info: (line) => {
      if (level !== "silent") write(line);
    },
    debug: (line) => {
      if (level === "debug") write(line);
    },
  };
}
