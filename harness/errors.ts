/**
 * The closed set of failures the harness expects. Each one means "the harness could not run"
 * (exit 2) and carries a message that already reads as one line for a person. Anything else that
 * reaches the top is a bug in ijiwaru and is reported as such, still as one line.
 */
export type ExpectedErrorKind =
  | 'usage'
  | 'engine-missing'
  | 'tool-missing'
  | 'image-build'
  | 'target-not-ready'
  | 'target-spec'
  | 'unknown-fault'
  | 'interrupted';

export class HarnessError extends Error {
  readonly kind: ExpectedErrorKind;
  constructor(kind: ExpectedErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = 'HarnessError';
  }
}

export const EXIT_NO_FINDING = 0;
export const EXIT_FINDING = 1;
export const EXIT_CANNOT_RUN = 2;
/** A run stopped by SIGINT or SIGTERM (128 + SIGINT, as a shell reports Ctrl-C). */
export const EXIT_INTERRUPTED = 130;

/** Maps any error to the single line printed on stderr and the process exit status. */
export function describeFailure(error: unknown): { line: string; status: number } {
  if (error instanceof HarnessError) {
    return { line: `ijiwaru: ${oneLine(error.message)}`, status: EXIT_CANNOT_RUN };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { line: `ijiwaru: internal error: ${oneLine(message)}`, status: EXIT_CANNOT_RUN };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
