// The domain's problems (UserError, src/incidents/errors.ts) in Slack's words: what went wrong and
// what to type instead. One rendering per code; the table does not compile without one. Also the
// Slack layer's own refusals (RequestError), which are worded where they arise.
import { UserError, type Problem, type ProblemCode } from "../incidents/errors.js";
import { ROLE_LABELS, type Role } from "../incidents/model.js";
import { POLICY, type Permission } from "../incidents/policy.js";
import { STATUS_LABELS } from "../incidents/report/review.js";
import { formatMoment } from "../incidents/time.js";
import { cutText } from "./fit.js";
import { mention } from "./notices.js";

/**
 * A request the Slack layer turns down before the domain sees it: what was typed could not be
 * read, or it was typed outside an incident channel. Its message is already Slack text.
 */
export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequestError";
  }
}

/** What a rendering needs besides the problem: times are shown in the team's zone. */
export interface ProblemContext {
  timeZone: string;
}

const roleName = (role: Role) => ROLE_LABELS[role].toLowerCase();

/** "the incident commander or an incident admin", for refusals and help. */
function whoMayOf({ roles, admins }: { roles: readonly Role[]; admins: boolean }): string {
  const names = roles.map((role) => `the ${roleName(role)}`);
  if (admins) names.push("an incident admin");
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** Who may do what a permission guards, in words (`/incident help`). */
export function whoMay(permission: Permission): string {
  return permission === "anyone" ? "anyone in the incident channel" : whoMayOf(POLICY[permission]);
}

type Renderings = { [C in ProblemCode]: (problem: Extract<Problem, { code: C }>, context: ProblemContext) => string };

const PROBLEMS: Renderings = {
  no_title: () => "An incident needs a title.",
  channel_names_taken: () => "Every channel name for that title is taken; try a more specific title.",
  already_status: ({ status }) => `The incident is already *${status}*.`,
  already_severity: ({ severity }) => `The severity is already *${severity.toUpperCase()}*.`,
  already_role: ({ role, userId }) => `${mention(userId)} is already ${roleName(role)}.`,
  impact_end_before_start: ({ start }, { timeZone }) => `Impact can't end before it started (${formatMoment(start, timeZone, "full")}).`,
  impact_start_after_end: ({ end }, { timeZone }) => `Impact can't start after it ended (${formatMoment(end, timeZone, "full")}).`,
  same_title: () => "That is already the title.",
  action_item_gone: () => "That action item no longer exists.",
  not_allowed: ({ roles, admins, holders, doing }) => {
    // The one person who may, named: "Only the tech lead, @dana, can approve the report."
    if (holders.length === 1 && roles.length === 1 && !admins) return `Only the ${roleName(roles[0]!)}, ${mention(holders[0]!.userId)}, can ${doing}. Nothing was changed.`;
    const now = holders.length ? ` (now ${holders.map((holder) => `${mention(holder.userId)} as ${roleName(holder.role)}`).join(", ")})` : "";
    const missing = holders.length === 0 && roles.length === 1 ? ` There is no ${roleName(roles[0]!)} yet: assign one with \`/incident role ${roles[0]!.replace("_", "-")} @user\`.` : "";
    return `Only ${whoMayOf({ roles, admins })}${now} can ${doing}.${missing} Nothing was changed.`;
  },
  not_a_section: ({ key }) => `“${key}” is not a section of this team's report.`,
  report_edit_conflict: ({ version, markdown }) =>
    `Someone changed the report while you were editing (now version ${version}). Your text was not saved; here it is to paste again:\n` +
    cutText(markdown, 35_000, "\n… (cut here: Slack shows at most 40,000 characters in one message)"),
  review_needs_tech_lead: () => "The report needs a tech lead to review it. Assign one first with `/incident role tech-lead @user`.",
  already_in_review: ({ techLeadId }) => `The report is already in review with ${mention(techLeadId)}.`,
  already_approved: () => "The report is already approved. Edit a section to send it back to review.",
  approval_needs_review: ({ status }) => `The report is ${STATUS_LABELS[status].toLowerCase()}; only a report in review can be approved.`,
  changes_need_review: ({ status }) => `The report is ${STATUS_LABELS[status].toLowerCase()}; changes can be requested on a report in review.`,
  already_published: ({ url }) => `The report is already published: ${url}`,
  publishing_needs_approval: ({ status }) => `The report is ${STATUS_LABELS[status].toLowerCase()}; the tech lead approves it before it is published.`,
  publishing_not_configured: () => "Publishing is not configured: set REPORTS_REPOSITORY (and GITHUB_TOKEN) for the bot.",
  report_changed: ({ version }) => `The report changed since that view was posted (now version ${version}). Here is the current one; please review it again.`,
  update_empty: () => "An update needs its text.",
  public_update_empty: () => "Nothing would be left to publish once names, Slack links and commands are taken out. Describe the customers' experience in plain words.",
  public_update_too_long: ({ length, max }) =>
    `That update is ${length.toLocaleString("en-US")} characters; one for customers is at most ${max.toLocaleString("en-US")}. Say what customers experience and what happens next, in fewer words.`,
  draft_cancelled: () => "That draft was cancelled: nothing was published. Write a new one with `/incident update public <text>`.",
  update_already_published: () => "That update is already published; nothing more was done.",
  update_published_or_cancelled: () => "That update is already published (or was cancelled); nothing more was done.",
  update_not_cancellable: () => "That update is already published; it can't be cancelled now.",
  public_title_empty: () => "Nothing would be left of that title once names, Slack links and commands are taken out. Describe what customers see, e.g. `Slow logins for some users`.",
  public_title_too_long: ({ length, max }) => `A public title is at most ${max} characters (that one is ${length}).`,
  same_public_title: ({ title }) => `The public title is already “${title}”.`,
};

export function problemText(problem: Problem, context: ProblemContext): string {
  return (PROBLEMS[problem.code] as (problem: Problem, context: ProblemContext) => string)(problem, context);
}

/** What the person is told about a problem they can fix: the domain's, rendered, or the Slack layer's own words. */
export const userMessage = (error: UserError | RequestError, context: ProblemContext): string =>
  error instanceof UserError ? problemText(error.problem, context) : error.message;
