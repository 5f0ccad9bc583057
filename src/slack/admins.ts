// User groups' members, read from Slack (usergroups.users.list) and kept for a few minutes so a
// burst of role changes or invitations asks Slack once per group; and the break-glass list of
// incident admins (INCIDENT_ADMINS): user ids, and user groups whose members are read that way.
import type { WebClient } from "@slack/web-api";
import type { UserId } from "../incidents/model.js";
import type { Admins } from "../incidents/ports/admins.js";
import type { UserGroups } from "../incidents/ports/userGroups.js";

const GROUP_MEMBERS_TTL_MS = 5 * 60_000;

export class SlackUserGroups implements UserGroups {
  private readonly cache = new Map<string, { at: number; ids: UserId[] }>();

  constructor(private readonly client: WebClient) {}

  async members(groupId: string): Promise<UserId[]> {
    const cached = this.cache.get(groupId);
    if (cached && Date.now() - cached.at <= GROUP_MEMBERS_TTL_MS) return cached.ids;
    const { users } = await this.client.usergroups.users.list({ usergroup: groupId });
    const ids = users ?? [];
    this.cache.set(groupId, { at: Date.now(), ids });
    return ids;
  }
}

export class SlackAdmins implements Admins {
  private readonly users: Set<string>;
  private readonly groups: string[];

  constructor(
    private readonly groupMembers: UserGroups,
    ids: readonly string[],
  ) {
    this.users = new Set(ids.filter((id) => !id.startsWith("S")));
    this.groups = ids.filter((id) => id.startsWith("S"));
  }

  async includes(userId: UserId): Promise<boolean> {
    if (this.users.has(userId)) return true;
    for (const group of this.groups) {
      if ((await this.groupMembers.members(group)).includes(userId)) return true;
    }
    return false;
  }
}
