// Reading what people type after /incident. Pure: the listener resolves names and runs the result.
import { ROLES, SEVERITIES, STATUSES, type IncidentStatus, type Role, type Severity } from "../incidents/model.js";

/** Every form of the command, with an example: shown by `/incident help` and after a mistake. */
export const USAGE = {
  declare:
    "`/incident declare <title> [sev1|sev2|sev3|sev4] [private]`, e.g. `/incident declare Hub pods crash-looping sev2`; " +
    "`private` last makes a private channel that nothing leaves",
  status: "`/incident status investigating|identified|monitoring|resolved`",
  severity: "`/incident severity sev1|sev2|sev3|sev4`",
  role: "`/incident role commander|tech-lead|liaison|scribe @user`, e.g. `/incident role tech-lead @alice`",
  impact: "`/incident impact start|end <time>`, e.g. `/incident impact start 17:32`",
  detected: "`/incident detected <time>`, e.g. `/incident detected 10m ago`",
  summary: "`/incident summary <text>`",
  title: "`/incident title <text>`",
  log: "`/incident log [at <time>] <text>`, e.g. `/incident log at 17:40 rolled back to v1.2.3`",
  action: "`/incident action <text> [@owner] [due <date>]`, e.g. `/incident action Alert on certificate expiry @bob due 2025-09-01`",
  actions: "`/incident actions [page <n>]` (list action items, mark them done or drop them; 20 a page)",
  assign: "`/incident assign <item number> [@owner] [due <date>]`, e.g. `/incident assign 2 @bob due 2025-09-01`",
  "github-login": "`/incident github-login <login>` (so your action items are assigned to you on GitHub)",
  resolve: "`/incident resolve [how it was resolved]` (or `/resolve`)",
  report: "`/incident report` (post the draft report for review), `/incident report public` (customer-facing summary)",
  update:
    "`/incident update <text>` (an update for stakeholders), `/incident update public <text>` (for customers: you see it before it is published)",
  "public-title":
    "`/incident public-title <text>` (the incident's name for customers), e.g. `/incident public-title Slow logins for some users`",
  followups: "`/incident followups [mine|overdue]` (open action items of every incident, anywhere)",
  brief: "`/incident brief` (where the incident stands: what someone joining late is sent)",
  invite: "`/incident invite <@user…>` (bring people into this incident's channel), e.g. `/incident invite @dana @erin`",
  help: "`/incident help`",
} as const;

export type Subcommand = keyof typeof USAGE;

export type UserRef = { id: string } | { name: string };

export type IncidentCommand =
  | { sub: "help" }
  | { sub: "declare"; title: string; severity: Severity; private: boolean }
  | { sub: "status"; status: IncidentStatus }
  | { sub: "severity"; severity: Severity }
  | { sub: "role"; role: Role; user: UserRef }
  | { sub: "impact"; which: "start" | "end"; time: string }
  | { sub: "detected"; time: string }
  | { sub: "summary"; text: string }
  | { sub: "title"; text: string }
  | { sub: "log"; text: string; time?: string[] }
  | { sub: "action"; text: string; owner?: UserRef; due?: string }
  | { sub: "actions"; page: number }
  | { sub: "assign"; number: number; owner?: UserRef; due?: string }
  | { sub: "github-login"; login: string }
  | { sub: "resolve"; resolution?: string }
  | { sub: "report"; variant: "internal" | "public" }
  | { sub: "update"; audience: "internal" | "public"; text: string }
  | { sub: "public-title"; text: string }
  | { sub: "followups"; filter: "all" | "mine" | "overdue" }
  | { sub: "brief" }
  | { sub: "invite"; users: UserRef[] };

export type ParseResult = { ok: true; command: IncidentCommand } | { ok: false; message: string };

const fail = (problem: string, sub?: Subcommand): ParseResult => ({
  ok: false,
  message: sub ? `${problem}\nType ${USAGE[sub]}` : problem,
});

/** `<@U123|name>`, `<@U123>`, `@name` or a bare user id. */
export function parseUserRef(token: string): UserRef | null {
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token);
  if (mention?.[1]) return { id: mention[1] };
  if (/^[UW][A-Z0-9]{6,}$/.test(token)) return { id: token };
  const name = /^@([\w.-]+)$/.exec(token);
  if (name?.[1]) return { name: name[1] };
  return null;
}

const ROLE_WORDS: Record<string, Role> = {
  commander: "commander",
  ic: "commander",
  "incident-commander": "commander",
  "tech-lead": "tech_lead",
  tech_lead: "tech_lead",
  techlead: "tech_lead",
  lead: "tech_lead",
  liaison: "liaison",
  "communication-liaison": "liaison",
  comms: "liaison",
  scribe: "scribe",
};

export function parseIncidentCommand(text: string): ParseResult {
  const trimmed = text.trim();
  const [word = "", ...restWords] = trimmed.split(/\s+/);
  const sub = word.toLowerCase();
  const rest = trimmed.slice(word.length).trim();

  switch (sub) {
    case "":
    case "help":
      return { ok: true, command: { sub: "help" } };
    case "declare": {
      // The last words may be a severity and `private`, in either order; the rest is the title.
      let words = restWords;
      let severity: Severity | undefined;
      let isPrivate = false;
      for (let taken = 0; taken < 2 && words.length > 0; taken++) {
        const last = words.at(-1)!.toLowerCase();
        const asSeverity = SEVERITIES.find((s) => s === last);
        if (asSeverity && !severity) severity = asSeverity;
        else if (last === "private" && !isPrivate) isPrivate = true;
        else break;
        words = words.slice(0, -1);
      }
      const title = words.length === restWords.length ? rest : words.join(" ");
      if (!title) return fail("An incident needs a title.", "declare");
      return { ok: true, command: { sub: "declare", title, severity: severity ?? "sev3", private: isPrivate } };
    }
    case "status": {
      const status = STATUSES.find((s) => s === rest.toLowerCase());
      if (!status) return fail(rest ? `“${rest}” is not a status.` : "Which status?", "status");
      return { ok: true, command: { sub: "status", status } };
    }
    case "severity":
    case "sev": {
      const severity = SEVERITIES.find((s) => s === rest.toLowerCase().replace(/^(\d)$/, "sev$1"));
      if (!severity) return fail(rest ? `“${rest}” is not a severity.` : "Which severity?", "severity");
      return { ok: true, command: { sub: "severity", severity } };
    }
    case "role": {
      const [roleWord = "", userToken, ...extra] = restWords;
      const role = ROLE_WORDS[roleWord.toLowerCase()];
      if (!role)
        return fail(
          roleWord ? `“${roleWord}” is not a role. Roles: ${ROLES.map((r) => r.replace("_", "-")).join(", ")}.` : "Which role?",
          "role",
        );
      const user = userToken ? parseUserRef(userToken) : null;
      if (!user || extra.length > 0)
        return fail(userToken ? `“${restWords.slice(1).join(" ")}” is not a user.` : "Who should hold it?", "role");
      return { ok: true, command: { sub: "role", role, user } };
    }
    case "impact": {
      const [which = "", ...timeWords] = restWords;
      if (which !== "start" && which !== "end") return fail("Say whether impact started or ended.", "impact");
      if (timeWords.length === 0) return fail("When?", "impact");
      return { ok: true, command: { sub: "impact", which, time: timeWords.join(" ") } };
    }
    case "detected":
      if (!rest) return fail("When was it detected?", "detected");
      return { ok: true, command: { sub: "detected", time: rest } };
    case "summary":
    case "title":
      if (!rest) return fail(`The ${sub} can't be empty.`, sub);
      return { ok: true, command: { sub, text: rest } };
    case "log": {
      if (!rest) return fail("What should the entry say?", "log");
      if (restWords[0]?.toLowerCase() === "at") {
        // The time may be several words ("yesterday 23:10"); the listener tries the longest that reads.
        if (restWords.length < 3) return fail("Give a time and the text.", "log");
        // The text keeps its own line breaks: only the words before it are split off.
        return { ok: true, command: { sub: "log", text: rest.replace(/^at\s+/i, ""), time: restWords.slice(1, 5) } };
      }
      return { ok: true, command: { sub: "log", text: rest } };
    }
    case "action": {
      let words = [...restWords];
      let due: string | undefined;
      const dueAt = words.findLastIndex((w) => w.toLowerCase() === "due");
      if (dueAt >= 0 && dueAt < words.length - 1) {
        due = words.slice(dueAt + 1).join(" ");
        words = words.slice(0, dueAt);
      }
      const owner = words.length > 1 ? (parseUserRef(words.at(-1) ?? "") ?? undefined) : undefined;
      if (owner) words = words.slice(0, -1);
      const actionText = words.join(" ");
      if (!actionText) return fail("What needs doing?", "action");
      return { ok: true, command: { sub: "action", text: actionText, owner, due } };
    }
    case "actions": {
      // `page 2`, or just `2`.
      const page = /^(?:page\s+)?(\d{1,4})$/i.exec(rest);
      if (rest && !page) return fail(`“${rest}” is not a page number.`, "actions");
      return { ok: true, command: { sub: "actions", page: page ? Math.max(1, Number(page[1])) : 1 } };
    }
    case "brief":
      return { ok: true, command: { sub: "brief" } };
    case "invite": {
      if (restWords.length === 0 || !rest) return fail("Whom should the bot invite?", "invite");
      const users = restWords.map(parseUserRef);
      const wrong = restWords.filter((_, index) => !users[index]);
      if (wrong.length > 0) return fail(`“${wrong.join(" ")}” ${wrong.length > 1 ? "are not users" : "is not a user"}.`, "invite");
      return { ok: true, command: { sub: "invite", users: users as UserRef[] } };
    }
    case "assign": {
      const [numberWord = "", ...words] = restWords;
      const number = /^#?\d{1,6}$/.test(numberWord) ? Number(numberWord.replace("#", "")) : null;
      if (!number)
        return fail(
          numberWord ? `“${numberWord}” is not an action item number (\`/incident actions\` lists them).` : "Which action item?",
          "assign",
        );
      const owner = words[0] && words[0].toLowerCase() !== "due" ? parseUserRef(words[0]) : undefined;
      if (owner === null) return fail(`“${words[0]}” is not a user.`, "assign");
      const rest = owner ? words.slice(1) : words;
      if (rest.length > 0 && (rest[0]!.toLowerCase() !== "due" || rest.length < 2))
        return fail(`“${rest.join(" ")}” is not \`due <date>\`.`, "assign");
      const due = rest.length ? rest.slice(1).join(" ") : undefined;
      if (!owner && !due) return fail("Give the item an owner, a due date, or both.", "assign");
      return { ok: true, command: { sub: "assign", number, ...(owner ? { owner } : {}), ...(due ? { due } : {}) } };
    }
    case "github-login": {
      const login = rest.replace(/^@/, "");
      if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(login))
        return fail(rest ? `“${rest}” is not a GitHub login.` : "Which login?", "github-login");
      return { ok: true, command: { sub: "github-login", login } };
    }
    case "resolve":
      return { ok: true, command: { sub: "resolve", ...(rest ? { resolution: rest } : {}) } };
    case "report":
      if (rest && rest.toLowerCase() !== "public") return fail(`“${rest}” is not a kind of report.`, "report");
      return { ok: true, command: { sub: "report", variant: rest ? "public" : "internal" } };
    case "update": {
      // `public` first means customers; the text keeps its own line breaks.
      if (restWords[0]?.toLowerCase() === "public") {
        const publicText = rest.replace(/^public\b\s*/i, "");
        if (!publicText) return fail("What should customers read? Give the update's text after `public`.", "update");
        return { ok: true, command: { sub: "update", audience: "public", text: publicText } };
      }
      if (!rest) return fail("What should the update say?", "update");
      return { ok: true, command: { sub: "update", audience: "internal", text: rest } };
    }
    case "public-title":
      if (!rest) return fail("The public title can't be empty.", "public-title");
      return { ok: true, command: { sub: "public-title", text: rest } };
    case "followups":
    case "follow-ups": {
      const filter = rest.toLowerCase() || "all";
      if (filter !== "all" && filter !== "mine" && filter !== "overdue")
        return fail(`“${rest}” is not a kind of follow-up list.`, "followups");
      return { ok: true, command: { sub: "followups", filter } };
    }
    default:
      return fail(`“${word}” is not an /incident command. Type \`/incident help\` to see them all.`);
  }
}
