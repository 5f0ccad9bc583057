import { redactSecrets } from "../../src/incidents/redact.js";

describe("redactSecrets", () => {
  it.each([
    [
      "curl -H 'Authorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789' https://api.github.com",
      "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    ],
    ["psql postgresql://admin:hunter2@db.internal:5432/app", "hunter2"],
    ["export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY12", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY12"],
    ["key id AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"],
    ["bot token xoxb-123456-7890-abcdefghij", "xoxb-123456-7890-abcdefghij"],
    ["DB_PASSWORD=s3cr3t!pass", "s3cr3t!pass"],
    ["api_key: abcd1234efgh", "abcd1234efgh"],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA"],
  ])("removes the secret from %j", (input, secret) => {
    const { text, kinds } = redactSecrets(input);
    expect(text).not.toContain(secret);
    expect(text).toContain("[REDACTED]");
    expect(kinds.length).toBeGreaterThan(0);
  });

  it.each([
    "kubectl rollout restart deployment/hub -n leap",
    "the password was wrong, see <https://grafana.example.com/d/abc?from=now-1h|dashboard>",
    "```\n$ helm upgrade --install support ./support\n```",
  ])("leaves ordinary text alone: %j", (input) => {
    expect(redactSecrets(input)).toEqual({ text: input, kinds: [] });
  });
});
