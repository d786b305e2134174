import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { loadOriginConfig, originOptions } from '../../origin/config.js';
import { loadRelayConfig, relayOptions } from '../../relay/config.js';
import { envName, flagName, type OptionSpec } from '../../src/config.js';

// What operators deploy: the Kubernetes base, the systemd units and the example configs. Every
// manifest must pass the Kubernetes API schemas (kubernetes-models' validators, generated from
// the official OpenAPI documents) and carry no field the API does not know (TypeScript's
// excess-property check against kubernetes-models' types, as `kubectl apply`'s strict field
// validation would); every flag and CANOPY_* variable must be one the program has.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEPLOY = join(ROOT, 'deploy');
const K8S = join(DEPLOY, 'kubernetes');

type Program = 'origin' | 'relay';
const SPECS: Record<Program, readonly OptionSpec[]> = { origin: originOptions, relay: relayOptions };
const FLAGS: Record<Program, Set<string>> = {
  origin: new Set(['config', 'help', ...originOptions.map((s) => flagName(s.key))]),
  relay: new Set(['config', 'help', ...relayOptions.map((s) => flagName(s.key))]),
};
// NODE_OPTIONS: the units' V8 setting (--max-semi-space-size, docs/timeshift.md).
const ENVS: Record<Program, Set<string>> = {
  origin: new Set(['CANOPY_CONFIG', 'NODE_OPTIONS', ...originOptions.map((s) => envName(s.key))]),
  relay: new Set(['CANOPY_CONFIG', 'NODE_OPTIONS', ...relayOptions.map((s) => envName(s.key))]),
};

interface K8sDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  stringData?: Record<string, string>;
}

function k8sDocs(): Array<{ file: string; doc: K8sDoc }> {
  const out: Array<{ file: string; doc: K8sDoc }> = [];
  for (const file of readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')) {
    for (const d of parseAllDocuments(readFileSync(join(K8S, file), 'utf8'))) {
      expect(d.errors, `${file}: YAML errors`).toEqual([]);
      out.push({ file, doc: d.toJS() as K8sDoc });
    }
  }
  return out;
}

/** The kubernetes-models module of a resource: apps/v1 StatefulSet → kubernetes-models/apps/v1/StatefulSet. */
function modelPath(doc: K8sDoc): string {
  return `kubernetes-models/${doc.apiVersion}/${doc.kind}`;
}

interface Container {
  name: string;
  args?: string[];
  command?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } } }>;
  ports?: Array<{ name: string; containerPort: number }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { tcpSocket?: { port: string | number }; httpGet?: unknown };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}

interface PodSpec {
  hostNetwork?: boolean;
  terminationGracePeriodSeconds?: number;
  containers: Container[];
}

function workloads(docs: Array<{ doc: K8sDoc }>): Array<{ doc: K8sDoc; pod: PodSpec; labels: Record<string, string> }> {
  return docs
    .map(({ doc }) => doc)
    .filter((d) => d.kind === 'StatefulSet' || d.kind === 'Deployment' || d.kind === 'DaemonSet')
    .map((d) => {
      const template = (d.spec as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } }).template;
      return { doc: d, pod: template.spec, labels: template.metadata.labels };
    });
}

function programOf(c: Container): Program {
  const p = c.args?.[0];
  expect(['origin', 'relay'], `container ${c.name}: args[0] names the program`).toContain(p);
  return p as Program;
}

/** --flags in a command line, as given (without the dashes). */
function flagsIn(words: readonly string[]): string[] {
  return words.flatMap((w) => (/^--[a-z]/.test(w) ? [w.slice(2).split('=')[0]!] : []));
}

function knownFlag(program: Program, flag: string): boolean {
  if (FLAGS[program].has(flag)) return true;
  const spec = SPECS[program].find((s) => `no-${flagName(s.key)}` === flag);
  return spec?.type === 'bool';
}

/** Parses a systemd unit's or an env file's KEY=VALUE lines. */
function envLines(text: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${prefix}(CANOPY_[A-Z0-9_]+)=(.*)$`).exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Secrets come from the environment in every deployment (env file, Kubernetes Secret): stand-ins. */
const STAND_IN_SECRET = 'a-stand-in-cluster-secret';
const SECRETS_ENV = { CANOPY_CLUSTER_SECRET: STAND_IN_SECRET, CANOPY_JWT_SECRET: 'a-stand-in-jwt-secret-of-32-bytes!' };

describe('Kubernetes manifests', () => {
  const docs = k8sDocs();

  it('pass the Kubernetes API schemas', async () => {
    expect(docs.map((d) => d.doc.kind).sort()).toEqual([
      'Deployment',
      'Namespace',
      'PodDisruptionBudget',
      'Secret',
      'Service',
      'Service',
      'Service',
      'StatefulSet',
    ]);
    for (const { file, doc } of docs) {
      const mod = (await import(modelPath(doc))) as Record<string, new (d: unknown) => { validate(): void }>;
      const Model = mod[doc.kind]!;
      expect(() => new Model(doc).validate(), `${file}: ${doc.kind} ${doc.metadata.name}`).not.toThrow();
    }
  });

  it('carry no field the Kubernetes API does not define', () => {
    // Each manifest as a typed object literal: tsc reports every excess property.
    const dir = join(ROOT, 'node_modules', '.cache', 'canopy-deploy-check');
    mkdirSync(dir, { recursive: true });
    const lines = docs.map(
      ({ doc }, i) => `import type { I${doc.kind} as T${i} } from '${modelPath(doc)}';\nexport const m${i}: T${i} = ${JSON.stringify(doc, null, 2)};`,
    );
    const file = join(dir, 'manifests.ts');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [
          tsc,
          '--ignoreConfig',
          '--noEmit',
          '--strict',
          '--skipLibCheck',
          '--target',
          'es2022',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--types',
          '',
          file,
        ],
        { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' },
      );
    } catch (err) {
      output = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
    }
    expect(output).toBe('');
  });

  it('are all listed in the Kustomize base', () => {
    const k = parseYaml(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8')) as { resources: string[]; namespace: string };
    expect(k.resources.sort()).toEqual(
      readdirSync(K8S)
        .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
        .sort(),
    );
    expect(docs.find((d) => d.doc.kind === 'Namespace')!.doc.metadata.name).toBe(k.namespace);
  });

  it('run the origin as a StatefulSet with an archive volume and relays with host networking, ICE address from the node', () => {
    const [origin, relay] = (['origin', 'relay'] as const).map((p) => workloads(docs).find((w) => programOf(w.pod.containers[0]!) === p)!);
    expect(origin!.doc.kind).toBe('StatefulSet');
    const claims = (origin!.doc.spec as { volumeClaimTemplates: Array<{ metadata: { name: string } }> }).volumeClaimTemplates;
    const env = (w: typeof origin, name: string) => w!.pod.containers[0]!.env!.find((e) => e.name === name);
    const dataDir = env(origin, 'CANOPY_DATA_DIR')!.value!;
    const mounts = origin!.pod.containers[0]!.volumeMounts;
    expect(mounts).toContainEqual({ name: claims[0]!.metadata.name, mountPath: dataDir });
    expect(['Deployment', 'DaemonSet']).toContain(relay!.doc.kind);
    for (const w of [origin, relay]) {
      expect(w!.pod.hostNetwork).toBe(true);
      expect(env(w, 'CANOPY_ICE_ADDRESS')!.valueFrom!.fieldRef!.fieldPath).toBe('status.hostIP');
      const min = Number(env(w, 'CANOPY_ICE_PORT_MIN')!.value);
      const max = Number(env(w, 'CANOPY_ICE_PORT_MAX')!.value);
      expect(max - min).toBeGreaterThanOrEqual(999);
    }
    // On one node, the origin's and the relays' UDP ranges must not overlap.
    expect(Number(env(origin, 'CANOPY_ICE_PORT_MAX')!.value)).toBeLessThan(Number(env(relay, 'CANOPY_ICE_PORT_MIN')!.value));
  });

  it('probe /healthz for readiness, drain before the grace period ends, and get secrets from the Secret', () => {
    const secret = docs.find((d) => d.doc.kind === 'Secret')!.doc;
    for (const w of workloads(docs)) {
      const c = w.pod.containers[0]!;
      const env = Object.fromEntries(c.env!.map((e) => [e.name, e]));
      const port = Number(/:(\d+)$/.exec(env.CANOPY_LISTEN!.value!)![1]);
      expect(c.ports).toContainEqual({ name: 'http', containerPort: port, protocol: 'TCP' });
      expect(c.readinessProbe!.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
      // Liveness must not fail while draining (/healthz then answers 503).
      expect(c.livenessProbe!.tcpSocket).toEqual({ port: 'http' });
      const sleep = Number(c.lifecycle!.preStop!.exec!.command[1]);
      const drainMs = (programOf(c) === 'origin' ? loadOriginConfig : loadRelayConfig)(
        ['--id', 'x', '--ice-address', '127.0.0.1', '--parent', 'ws://x/relay'].slice(0, programOf(c) === 'origin' ? 4 : 6),
        {
          CANOPY_DRAIN_TIMEOUT: env.CANOPY_DRAIN_TIMEOUT!.value,
          CANOPY_CLUSTER_SECRET: STAND_IN_SECRET,
        },
      ).drainTimeout;
      // preStop + drain + close (up to 5 s) must fit in the grace period.
      expect(w.pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThanOrEqual(sleep * 1000 + drainMs + 5000);
      for (const e of c.env!) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) {
          expect(ref.name).toBe(secret.metadata.name);
          expect(Object.keys(secret.stringData!)).toContain(ref.key);
        }
      }
      expect(env.CANOPY_CLUSTER_SECRET!.valueFrom!.secretKeyRef).toBeDefined();
    }
  });

  it('select their pods with every Service and the PodDisruptionBudget', () => {
    const podLabels = workloads(docs).map((w) => w.labels);
    const selects = (sel: Record<string, string>) => podLabels.some((l) => Object.entries(sel).every(([k, v]) => l[k] === v));
    for (const { doc } of docs.filter((d) => d.doc.kind === 'Service'))
      expect(selects((doc.spec as { selector: Record<string, string> }).selector), doc.metadata.name).toBe(true);
    const pdb = docs.find((d) => d.doc.kind === 'PodDisruptionBudget')!.doc;
    expect(selects((pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels)).toBe(true);
    const sts = workloads(docs).find((w) => w.doc.kind === 'StatefulSet')!.doc;
    const headless = docs.find((d) => d.doc.kind === 'Service' && d.doc.metadata.name === (sts.spec as { serviceName: string }).serviceName)!.doc;
    expect((headless.spec as { clusterIP: string }).clusterIP).toBe('None');
  });

  it('use only flags and CANOPY_* variables the programs have, with values they accept', () => {
    for (const w of workloads(docs)) {
      const c = w.pod.containers[0]!;
      const program = programOf(c);
      for (const f of flagsIn([...(c.command ?? []), ...(c.args ?? [])])) expect(knownFlag(program, f), `--${f} in ${w.doc.metadata.name}`).toBe(true);
      const env: Record<string, string> = {};
      for (const e of c.env ?? []) {
        if (!e.name.startsWith('CANOPY_')) continue;
        expect(ENVS[program].has(e.name), `${e.name} in ${w.doc.metadata.name}`).toBe(true);
        // Values from the downward API or a Secret: a stand-in of the right kind.
        env[e.name] = e.value ?? (e.valueFrom?.fieldRef?.fieldPath === 'status.hostIP' ? '192.0.2.1' : 'from-the-cluster');
      }
      expect(() => (program === 'origin' ? loadOriginConfig([], env) : loadRelayConfig([], env))).not.toThrow();
    }
  });
});

describe('coturn beside the tree (deploy/kubernetes/coturn)', () => {
  const dir = join(K8S, 'coturn');
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => ({ file, doc: d.toJS() as K8sDoc })));

  it('passes the Kubernetes API schemas, shares the tree secret, and serves TLS on 443', async () => {
    expect(docs.map((d) => d.doc.kind).sort()).toEqual(['DaemonSet', 'NetworkPolicy']);
    for (const { file, doc } of docs) {
      const mod = (await import(modelPath(doc))) as Record<string, new (d: unknown) => { validate(): void }>;
      expect(() => new mod[doc.kind]!(doc).validate(), `${file}: ${doc.kind}`).not.toThrow();
    }
    const k = parseYaml(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect(k.resources).toEqual(['coturn.yaml']);
    const c = (docs.find((d) => d.doc.kind === 'DaemonSet')!.doc.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0]!;
    expect(c.env!.find((e) => e.name === 'TURN_SECRET')!.valueFrom!.secretKeyRef).toEqual({ name: 'canopy-secrets', key: 'turn-secret' });
    expect(c.args).toContain('--use-auth-secret');
    expect(c.args).toContain('--tls-listening-port=443');
    const secret = k8sDocs().find((d) => d.doc.kind === 'Secret')!.doc;
    expect(secret.stringData!['turn-secret']).toBeTruthy();
  });
});

describe('systemd units', () => {
  const units: Array<[string, Program, string]> = [
    ['canopy-origin.service', 'origin', 'origin.env.example'],
    ['canopy-relay@.service', 'relay', 'relay.env.example'],
  ];

  it.each(units)('%s runs the %s with its environment file, drains on SIGTERM within TimeoutStopSec, and is hardened', (unit, program, envFile) => {
    const text = readFileSync(join(DEPLOY, 'systemd', unit), 'utf8');
    const directive = (k: string) => [...text.matchAll(new RegExp(`^${k}=(.*)$`, 'gm'))].map((m) => m[1]!);
    expect(directive('ExecStart')[0]).toBe(`/usr/bin/node /opt/canopy/bin/canopy.js ${program}`);
    expect(flagsIn(directive('ExecStart')[0]!.split(/\s+/)).every((f) => knownFlag(program, f))).toBe(true);
    expect(directive('EnvironmentFile')).toHaveLength(1);
    expect(directive('KillSignal')).toEqual(['SIGTERM']);
    expect(directive('Restart')).toEqual(['on-failure']);
    for (const k of ['NoNewPrivileges', 'DynamicUser']) expect(directive(k)).toEqual(['yes']);
    expect(directive('ProtectSystem')).toEqual(['strict']);
    if (program === 'origin') expect(directive('StateDirectory')).toEqual(['canopy/origin']);

    // The unit's defaults, then the example file: names the program has, values it accepts.
    const env = { ...envLines(text, 'Environment='), ...envLines(readFileSync(join(DEPLOY, 'systemd', envFile), 'utf8')) };
    for (const name of Object.keys(env)) expect(ENVS[program].has(name), `${name} in ${unit} / ${envFile}`).toBe(true);
    const resolved = {
      ...env,
      CANOPY_ID: env.CANOPY_ID!.replace('%i', 'edge-1'),
      ...(env.CANOPY_DATA_DIR ? { CANOPY_DATA_DIR: env.CANOPY_DATA_DIR.replace('%S', '/var/lib') } : {}),
    };
    const config = program === 'origin' ? loadOriginConfig([], resolved) : loadRelayConfig([], resolved);
    expect(Number(directive('TimeoutStopSec')[0]) * 1000).toBeGreaterThanOrEqual(config.drainTimeout + 5000);
  });
});

describe('example configs', () => {
  it.each([
    ['origin.yaml', 'origin'],
    ['relay-level1.yaml', 'relay'],
    ['relay-edge.yaml', 'relay'],
  ] as const)('%s loads as a valid %s config, every key an option', (file, program) => {
    const path = join(DEPLOY, 'examples', file);
    // The loader refuses unknown keys and invalid values, naming them.
    const config = program === 'origin' ? loadOriginConfig(['--config', path], SECRETS_ENV) : loadRelayConfig(['--config', path], SECRETS_ENV);
    expect(config.id).toMatch(/^[a-z0-9-]+$/);
    const keys = Object.keys(parseYaml(readFileSync(path, 'utf8')) as object);
    for (const k of keys) expect(FLAGS[program].has(k), `${k} in ${file}`).toBe(true);
    // Comments say why: an example without them teaches nothing.
    expect(
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.trim().startsWith('#')).length,
    ).toBeGreaterThan(5);
  });

  it('form the three-host tree of docs/deploy.md: the edge relay under the level-1 relay under the origin', () => {
    const origin = loadOriginConfig(['--config', join(DEPLOY, 'examples', 'origin.yaml')], SECRETS_ENV);
    const l1 = loadRelayConfig(['--config', join(DEPLOY, 'examples', 'relay-level1.yaml')], SECRETS_ENV);
    const edge = loadRelayConfig(['--config', join(DEPLOY, 'examples', 'relay-edge.yaml')], SECRETS_ENV);
    expect(l1.parent[0]!.url).toBe(`ws://${origin.iceAddress}:${origin.listen.port}/relay`);
    expect(edge.parent[0]!.url).toBe(`ws://${l1.iceAddress}:${l1.listen.port}/relay`);
    // The edge's fallback parent is the origin itself, less preferred.
    expect(edge.parent[1]).toEqual({ url: `ws://${origin.iceAddress}:${origin.listen.port}/relay`, priority: 5 });
  });
});

describe('the Dockerfile', () => {
  it('builds in one stage and runs the tested bin with production dependencies only, as a non-root user', () => {
    const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const from = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(from).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim']);
    expect(text).toMatch(/^RUN npm ci --no-audit --no-fund$/m);
    expect(text).toMatch(/^RUN npm run build$/m);
    expect(text).toMatch(/^RUN npm ci --omit=dev /m);
    expect(text).toMatch(/^USER 10001:10001$/m);
    expect(text).toMatch(/^ENTRYPOINT \["node", "\/app\/bin\/canopy\.js"\]$/m);
    // The Kubernetes manifests run as the image's user.
    for (const w of workloads(k8sDocs())) expect((w.pod as { securityContext?: { runAsUser?: number } }).securityContext?.runAsUser).toBe(10001);
  });
});
