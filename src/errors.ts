/**
 * Bad input: a one-line message naming the file, the byte offset and the packet number (for a text
 * file that names no packets, such as a labels file, the line number: `unit` 'line').
 * The command prints `kitsune: <message>` and exits with status 2; nothing before the fault is lost.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly packet: number,
    readonly reason: string,
    unit: 'packet' | 'line' = 'packet',
  ) {
    super(`${file}: offset ${offset}, ${unit} ${packet}: ${reason}`);
    this.name = 'InputError';
  }
}

/** Wrong usage or a bad option value: exit status 2, a one-line message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * An output that cannot be written (a missing directory, no permission, a full disk): exit status 2,
 * a one-line message naming the file.
 */
export class OutputError extends Error {
  constructor(target: string, cause: unknown) {
    super(`cannot write ${target}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'OutputError';
  }
}
