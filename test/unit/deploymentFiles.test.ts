// The deployment files, checked without a cluster or Docker: every Kubernetes document in
// deploy/kubernetes validated against the Kubernetes schemas (kubernetes-models, from the npm
// registry), the invariants that keep a deployment safe, and compose.yaml's and the Dockerfile's.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { Service } from "kubernetes-models/v1";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";

const root = path.resolve(import.meta.dirname, "../..");
const kubernetesDir = path.join(root, "deploy/kubernetes");

type Doc = { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> };
const models: Record<string, new (doc: never) => { validate(): void }> = {
  "apps/v1 Deployment": Deployment,
  "batch/v1 Job": Job,
  "v1 Service": Service,
  "networking.k8s.io/v1 Ingress": Ingress,
  "policy/v1 PodDisruptionBudget": PodDisruptionBudget,
};

const kustomization = parse(readFileSync(path.join(kubernetesDir, "kustomization.yaml"), "utf8")) as { kind: string; resources: string[] };
const documents: Doc[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(path.join(kubernetesDir, file), "utf8")).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
    return d.toJS() as Doc;
  }),
);
const byKind = (kind: string) => documents.filter((d) => d.kind === kind);

type Container = {
  name: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  [key: string]: unknown;
};
type PodSpec = { containers: Container[]; securityContext?: Record<string, unknown>; volumes?: { name: string }[] };
const podSpec = (doc: Doc) => (doc.spec.template as { spec: PodSpec }).spec;
const envOf = (container: Container) => Object.fromEntries((container.env ?? []).map((e) => [e.name, e]));

describe("deploy/kubernetes", () => {
  it("is a kustomization whose every document is valid against the Kubernetes schemas", () => {
    expect(kustomization.kind).toBe("Kustomization");
    expect(documents.length).toBeGreaterThanOrEqual(5);
    for (const doc of documents) {
      const Model = models[`${doc.apiVersion} ${doc.kind}`];
      if (!Model) throw new Error(`${doc.kind} ${doc.metadata?.name}: no schema checked for ${doc.apiVersion} ${doc.kind}`);
      expect(() => new Model(doc as never).validate()).not.toThrow();
    }
  });

  it("the validator refuses what Kubernetes refuses (so the test above can fail)", () => {
    const deployment = structuredClone(byKind("Deployment")[0]!);
    podSpec(deployment).containers[0]!.ports = [{ containerPort: "three thousand" }];
    expect(() => new Deployment(deployment as never).validate()).toThrow(/containerPort/);
  });

  it("runs more than one replica only in HTTP mode on PostgreSQL (DATABASE_URL)", () => {
    for (const deployment of byKind("Deployment")) {
      const replicas = (deployment.spec.replicas as number | undefined) ?? 1;
      const env = envOf(podSpec(deployment).containers[0]!);
      if (replicas > 1) {
        expect(env.DATABASE_URL?.valueFrom?.secretKeyRef).toBeDefined();
        expect(env.SLACK_MODE?.value).toBe("http");
        expect(env.SLACK_APP_TOKEN).toBeUndefined();
      }
      expect(replicas).toBeGreaterThanOrEqual(2);
    }
  });

  it("probes liveness on /health/live and readiness on /health/ready", () => {
    const container = podSpec(byKind("Deployment")[0]!).containers[0] as Container & Record<string, { httpGet: { path: string } }>;
    expect(container.livenessProbe!.httpGet.path).toBe("/health/live");
    expect(container.readinessProbe!.httpGet.path).toBe("/health/ready");
    expect(container.startupProbe!.httpGet.path).toBe("/health/live");
  });

  it("runs every container as non-root on a read-only root filesystem, with a writable /tmp", () => {
    for (const doc of [...byKind("Deployment"), ...byKind("Job")]) {
      const spec = podSpec(doc);
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number) });
      expect(spec.securityContext!.runAsUser).not.toBe(0);
      for (const container of spec.containers) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
        });
        expect(container.volumeMounts).toEqual(expect.arrayContaining([expect.objectContaining({ mountPath: "/tmp" })]));
        expect(container.resources).toMatchObject({ requests: { memory: expect.any(String) }, limits: { memory: expect.any(String) } });
      }
    }
  });

  it("takes secrets by reference only, and has a migration Job, a disruption budget, a Service and an Ingress", () => {
    for (const doc of [...byKind("Deployment"), ...byKind("Job")]) {
      for (const [name, entry] of Object.entries(envOf(podSpec(doc).containers[0]!))) {
        if (/TOKEN|SECRET|DATABASE_URL|PASSWORD/.test(name))
          expect({ name, from: entry.valueFrom?.secretKeyRef?.name }).toEqual({ name, from: "incident-bot" });
      }
    }
    expect(byKind("Secret")).toEqual([]);
    expect(podSpec(byKind("Job")[0]!).containers[0]!.args).toEqual(["migrate"]);
    const selector = (byKind("Deployment")[0]!.spec.selector as { matchLabels: object }).matchLabels;
    expect(byKind("PodDisruptionBudget")[0]!.spec).toMatchObject({ minAvailable: 1, selector: { matchLabels: selector } });
    expect(byKind("Service")[0]!.spec.selector).toEqual(selector);
    const paths = JSON.stringify(byKind("Ingress")[0]!.spec);
    expect(paths).toContain('"path":"/slack/events"');
    expect(paths).not.toContain("/health");
  });
});

describe("compose.yaml and the Dockerfile", () => {
  const compose = parse(readFileSync(path.join(root, "compose.yaml"), "utf8")) as {
    services: Record<string, { environment?: Record<string, string>; healthcheck?: { test: string[] } }>;
  };
  const dockerfile = readFileSync(path.join(root, "Dockerfile"), "utf8");

  it("compose takes a DATABASE_URL (never builds one from an unencoded password) and leaves the mode to SLACK_MODE", () => {
    const env = compose.services.bot!.environment!;
    expect(env.DATABASE_URL).toMatch(/^\$\{DATABASE_URL:\?/);
    expect(Object.values(env).join(" ")).not.toContain("${POSTGRES_PASSWORD}");
    expect(env.SLACK_MODE).toBe("${SLACK_MODE:-socket}");
    expect(env).not.toHaveProperty("SLACK_APP_TOKEN");
    expect(compose.services.bot!.healthcheck!.test.join(" ")).toContain("/health/ready");
  });

  it("the image logs JSON, keeps its data in the /data volume, and carries the manifest doctor reads", () => {
    expect(dockerfile).toMatch(/^ENV .*\bLOG_FORMAT=json\b/m);
    expect(dockerfile).toMatch(/^ENV .*\bDATA_DIR=\/data\b/m);
    expect(dockerfile).toMatch(/^COPY .*\bmanifest\.json\b/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it(".env.example leaves DATA_DIR commented, so --env-file cannot move the data out of the image's volume", () => {
    const example = readFileSync(path.join(root, ".env.example"), "utf8");
    expect(example).not.toMatch(/^DATA_DIR=/m);
    expect(example).toMatch(/^# DATA_DIR=/m);
  });
});
