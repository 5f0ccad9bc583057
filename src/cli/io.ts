// Where a command's output goes: the terminal, a buffer in tests, or the admin socket's answer
// when the command runs inside the bot.

export interface CliIO {
  // Function-valued properties, not methods: callers pass io.out and io.err on by themselves.
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** A usage mistake: one line on standard error and exit code 2. */
export class UsageError extends Error {}
