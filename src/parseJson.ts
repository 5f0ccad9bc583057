// Text from outside the process (Slack's button values and modal metadata, GitHub's webhook, the
// admin socket's requests and answers) becomes typed data one way: JSON.parse, then a zod schema.
// Never a cast: what does not fit is reported in one line naming the first field that is wrong.
import type { z } from "zod";

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** "issue.updated_at: Invalid ISO datetime": the first problem zod found, on one line. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "the value"}: ${issue.message}` : "not valid";
}

export function parseJson<T>(schema: z.ZodType<T>, text: string | null | undefined): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "");
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: firstProblem(parsed.error) };
}
