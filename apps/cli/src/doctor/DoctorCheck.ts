/** One line of `stowage doctor`: ✓ ok, ! warn (does not fail), ✗ fail (exit 1). */
export interface DoctorCheck {
  check: 'config' | 'plugins' | 'stack' | 'engine' | 'buildkit' | 'registry' | 'python3' | 'disk';
  status: 'ok' | 'warn' | 'fail';
  message: string;
  /** How to fix it (failures and warnings). */
  hint?: string;
  /** The stack the check is about, when it is about one. */
  stack?: string;
}

export const fail = (check: DoctorCheck['check'], message: string, hint?: string, stack?: string): DoctorCheck => ({
  check,
  status: 'fail',
  message,
  ...(hint && { hint }),
  ...(stack && { stack }),
});
