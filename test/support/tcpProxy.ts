// A TCP proxy on 127.0.0.1 for fault injection between the bot and its database server. While up
// it forwards every connection to the target. Two kinds of outage:
//  - `cut()`: the target refuses. Every open connection is reset (both sides, with a TCP RST) and
//    every new one is reset as soon as it is accepted.
//  - `blackhole()`: the target stops answering, as when a host dies or a firewall drops packets.
//    Open connections stop carrying data either way (nothing is lost: it waits in the buffers);
//    new connections are accepted and then hear nothing.
// `restore()` forwards again, on the same port, so a client configured with the proxy's address
// never notices anything but the outage; after a blackhole, held data flows on, as it does when
// a network partition heals.
import net from "node:net";

export class TcpProxy {
  /** Connections forwarded, reset at once (cut), and held unanswered (blackhole). */
  readonly stats = { forwarded: 0, refused: 0, held: 0 };
  private readonly open = new Set<net.Socket>();
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  /** Connections accepted during a blackhole, waiting for `restore()`. */
  private readonly held = new Set<net.Socket>();
  private state: "up" | "cut" | "blackhole" = "up";

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port, target);
    server.on("connection", (client) => proxy.accept(client));
    return proxy;
  }

  /** `url` (e.g. postgresql://user@host:5432/db) with its host and port replaced by the proxy's. */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = "127.0.0.1";
    parsed.port = String(this.port);
    return parsed.toString();
  }

  get isUp() {
    return this.state === "up";
  }

  /** The target refuses: open connections are reset, new ones are reset on arrival. */
  cut() {
    this.state = "cut";
    for (const socket of [...this.open, ...this.held]) socket.resetAndDestroy();
    this.open.clear();
    this.held.clear();
    this.pairs.clear();
  }

  /** The target stops answering: no data moves on open connections, new ones hear nothing. */
  blackhole() {
    this.state = "blackhole";
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** The target is reachable again; after a blackhole, what was held flows on. */
  restore() {
    const was = this.state;
    this.state = "up";
    if (was !== "blackhole") return;
    for (const [client, upstream] of this.pairs) {
      client.pipe(upstream);
      upstream.pipe(client);
    }
    const held = [...this.held];
    this.held.clear();
    for (const client of held) this.forward(client);
  }

  async close() {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket) {
    client.on("error", () => {});
    if (this.state === "cut") {
      this.stats.refused++;
      client.resetAndDestroy();
      return;
    }
    if (this.state === "blackhole") {
      this.stats.held++;
      client.pause();
      this.held.add(client);
      client.on("close", () => this.held.delete(client));
      return;
    }
    this.forward(client);
  }

  private forward(client: net.Socket) {
    this.stats.forwarded++;
    const upstream = net.connect(this.target.port, this.target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    client.on("close", () => this.pairs.delete(pair));
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.open.add(socket);
      socket.setNoDelay(true);
      // A failure on one side resets the other, as a broken network path would.
      socket.on("error", () => {
        if (!peer.destroyed) peer.resetAndDestroy();
      });
      socket.on("close", () => {
        this.open.delete(socket);
        if (!peer.destroyed) peer.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
