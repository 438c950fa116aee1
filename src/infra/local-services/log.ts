/** A sink for progress lines. Infrastructure code never writes to stdout: callers decide. */
export type LogFn = (line: string) => void;

/** The default sink: one line on stderr, so stdout stays clean for machine-readable output. */
export const stderrLog: LogFn = (line) => {
  process.stderr.write(`${line}\n`);
};

/** Drops every line (for callers that want silence). */
export const silentLog: LogFn = () => undefined;
