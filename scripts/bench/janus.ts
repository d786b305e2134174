/**
 * Janus (Debian's `janus` package) as the comparison server: a minimal configuration in a
 * temporary directory (HTTP transport on 127.0.0.1, streaming plugin with one RTP mountpoint,
 * VP8 PT 96 + Opus PT 111 on local UDP ports, ICE restricted to 127.0.0.1), started as a
 * child process.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, getServerNice, HOST, Proc, sleep } from './procs.js';

export const JANUS_BIN = '/usr/bin/janus';
export const MOUNTPOINT_ID = 1;
/** Janus's rtp_port_range: the ports its PeerConnections use (what a cap towards its viewers matches). */
export const JANUS_RTP_PORTS: [number, number] = [50000, 59999];

export function janusVersion(): string | null {
  if (!existsSync(JANUS_BIN)) return null;
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'janus'], { encoding: 'utf8' }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Free UDP port pair base (even), found by trying to bind. */
export async function freeUdpPort(): Promise<number> {
  const { createSocket } = await import('node:dgram');
  for (;;) {
    const port = 20000 + 2 * Math.floor(Math.random() * 10000);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, HOST, () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

export class JanusServer extends Proc {
  constructor(
    child: ReturnType<typeof spawn>,
    readonly dir: string,
    readonly httpPort: number,
    readonly videoPort: number,
    readonly audioPort: number,
  ) {
    super('janus', child);
  }

  get apiUrl(): string {
    return `http://${HOST}:${this.httpPort}/janus`;
  }

  /**
   * iceIp: the address Janus gathers ICE candidates on (default 127.0.0.1; the loss bench uses a veth's);
   * a list: the first goes in its SDP's c= line (`interface`), all are gathered on (`ice_enforce_list`).
   * streaming: the streaming plugin's configuration in place of the one VP8 + Opus mountpoint;
   * videoroom: the VideoRoom plugin's configuration (the plugin stays disabled without it).
   */
  static async start(opts: { iceIp?: string | readonly string[]; streaming?: string; videoroom?: string } = {}): Promise<JanusServer> {
    const iceIps = typeof opts.iceIp === 'string' ? [opts.iceIp] : (opts.iceIp ?? [HOST]);
    const ice = iceIps[0]!;
    if (!existsSync(JANUS_BIN)) throw new Error(`${JANUS_BIN} not found (apt-get install -y janus; see scripts/bench/setup.sh)`);
    const dir = mkdtempSync(join(tmpdir(), 'canopy-bench-janus-'));
    const httpPort = await freePort();
    const videoPort = await freeUdpPort();
    const audioPort = await freeUdpPort();
    const lib = '/usr/lib/x86_64-linux-gnu/janus';
    const otherPlugins = ['audiobridge', 'duktape', 'echotest', 'lua', 'nosip', 'recordplay', 'sip', 'textroom', 'videocall', 'voicemail'];
    if (opts.videoroom === undefined) otherPlugins.push('videoroom');
    else writeFileSync(join(dir, 'janus.plugin.videoroom.jcfg'), opts.videoroom);
    const otherTransports = ['mqtt', 'nanomsg', 'pfunix', 'rabbitmq', 'websockets'];
    writeFileSync(
      join(dir, 'janus.jcfg'),
      `general: {
	configs_folder = "${dir}"
	plugins_folder = "${lib}/plugins"
	transports_folder = "${lib}/transports"
	events_folder = "${lib}/events"
	loggers_folder = "${lib}/loggers"
	debug_level = ${process.env.CANOPY_JANUS_DEBUG ?? 3}
	session_timeout = 0
	interface = "${ice}"
	event_loops = ${cpus().length}
}
certificates: {
}
media: {
	rtp_port_range = "${JANUS_RTP_PORTS[0]}-${JANUS_RTP_PORTS[1]}"
}
nat: {
	ice_enforce_list = "${iceIps.join(',')}"
}
plugins: {
	disable = "${otherPlugins.map((p) => `libjanus_${p}.so`).join(',')}"
}
transports: {
	disable = "${otherTransports.map((p) => `libjanus_${p}.so`).join(',')}"
}
loggers: {
	disable = "libjanus_jsonlog.so"
}
events: {
	broadcast = false
}
`,
    );
    writeFileSync(
      join(dir, 'janus.transport.http.jcfg'),
      `general: {
	json = "plain"
	base_path = "/janus"
	http = true
	port = ${httpPort}
	ip = "${HOST}"
	https = false
}
admin: {
	admin_http = false
}
`,
    );
    writeFileSync(
      join(dir, 'janus.plugin.streaming.jcfg'),
      opts.streaming ??
        `general: {
	events = false
}
bench: {
	type = "rtp"
	id = ${MOUNTPOINT_ID}
	description = "canopy bench"
	audio = true
	video = true
	audioport = ${audioPort}
	audioiface = "${HOST}"
	audiopt = 111
	audiocodec = "opus"
	videoport = ${videoPort}
	videoiface = "${HOST}"
	videopt = 96
	videocodec = "vp8"
}
`,
    );
    // Janus never gathers on a loopback interface; the shim hides the loopback flag (see the .c file).
    const shim = join(dir, 'janus-loopback.so');
    try {
      execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', shim, fileURLToPath(new URL('./janus-loopback.c', import.meta.url)), '-ldl'], { stdio: 'pipe' });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`cannot build the loopback shim for Janus (needs a C compiler: apt-get install -y gcc libc6-dev): ${(err as Error).message}`);
    }
    const child = spawn(JANUS_BIN, ['-C', join(dir, 'janus.jcfg'), '-F', dir, '--disable-colors'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LD_PRELOAD: shim },
    });
    // Same priority as the Canopy nodes (--server-nice), so both compete alike with other work.
    if (getServerNice() !== 0 && child.pid !== undefined) setPriority(child.pid, getServerNice());
    const j = new JanusServer(child, dir, httpPort, videoPort, audioPort);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (!j.running) throw new Error(`janus exited during startup (${j.exitReason}):\n${j.lastLines()}`);
      try {
        const res = await fetch(`${j.apiUrl}/info`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        await j.stop();
        throw new Error(`janus did not answer within 20 s:\n${j.lastLines()}`);
      }
      await sleep(200);
    }
    return j;
  }

  override async stop(graceMs = 6000): Promise<void> {
    await super.stop(graceMs);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
