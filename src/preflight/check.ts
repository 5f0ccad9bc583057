// What a check of the configuration against the real world says: `incident-bot doctor` prints one
// line per check, and start-up stops on an essential failure or logs a warning for the rest.

export interface Check {
  /** What was checked, naming the variable: "SLACK_BOT_TOKEN", "PORT 3000". */
  label: string;
  ok: boolean;
  /** What was found: "accepted for incident-bot in Acme", "in use by another process". */
  detail: string;
  /** What to do about a failure, in one sentence. */
  fix?: string;
  /** An essential failure stops start-up and makes doctor exit non-zero; others are warnings. */
  essential: boolean;
}

export const passed = (label: string, detail: string): Check => ({ label, ok: true, detail, essential: false });

export const failed = (label: string, detail: string, fix: string, essential = true): Check => ({
  label,
  ok: false,
  detail,
  fix,
  essential,
});

/** The check's one line: "✓ label: detail" or "✗ label: detail. Fix: …" (a warning is marked as such). */
export function formatCheck(check: Check): string {
  if (check.ok) return `✓ ${check.label}: ${check.detail}`;
  return `✗ ${check.label}: ${check.detail}${check.essential ? "" : " (warning)"}. Fix: ${check.fix}`;
}

/** A failure that stops start-up: one line naming the variable and the fix. */
export class StartupCheckFailed extends Error {
  constructor(readonly check: Check) {
    super(`${check.label}: ${check.detail}. Fix: ${check.fix}`);
    this.name = "StartupCheckFailed";
  }
}
