// The break-glass list of incident admins (INCIDENT_ADMINS): user ids, and user groups whose
// members are read from Slack (usergroups.users.list) and kept for a few minutes, so a burst of
// role changes asks Slack once.
import type { WebClient } from "@slack/web-api";
import type { UserId } from "../incidents/model.js";
import type { Admins } from "../incidents/ports.js";

const GROUP_MEMBERS_TTL_MS = 5 * 60_000;

export class SlackAdmins implements Admins {
  private readonly users: Set<string>;
  private readonly groups: string[];
  private members: { at: number; ids: Set<string> } | undefined;

  constructor(
    private readonly client: WebClient,
    ids: readonly string[],
  ) {
    this.users = new Set(ids.filter((id) => !id.startsWith("S")));
    this.groups = ids.filter((id) => id.startsWith("S"));
  }

  async includes(userId: UserId): Promise<boolean> {
    if (this.users.has(userId)) return true;
    if (this.groups.length === 0) return false;
    if (!this.members || Date.now() - this.members.at > GROUP_MEMBERS_TTL_MS) {
      const ids = new Set<string>();
      for (const usergroup of this.groups) {
        const { users } = await this.client.usergroups.users.list({ usergroup });
        for (const id of users ?? []) ids.add(id);
      }
      this.members = { at: Date.now(), ids };
    }
    return this.members.ids.has(userId);
  }
}
