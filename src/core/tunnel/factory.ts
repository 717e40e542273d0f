import { UsageError } from '../errors.js';
import { CloudflaredTunnel } from './cloudflared.js';
import { NgrokTunnel } from './ngrok.js';
import { FixedUrlTunnel, type Tunnel, type TunnelHooks, type TunnelKind } from './tunnel.js';


/** What the flags say about the public endpoint. */
export interface TunnelSpec {
  kind: TunnelKind;
  /** A tunnel the user runs: it wins over `kind`. */
  publicUrl?: URL;
  /** A cloudflared named tunnel: its token and the hostname it serves (both, or neither). */
  cloudflaredToken?: string;
  hostname?: string;
  /** ngrok's static domain. */
  domain?: string;
}

/** Flag combinations that cannot work, refused before anything starts. */
export function checkTunnelSpec(spec: TunnelSpec): void {
  const named = spec.hostname !== undefined || spec.cloudflaredToken !== undefined;
  if (named && spec.kind !== 'cloudflared') throw new UsageError(`--hostname and --cloudflared-token are for --tunnel cloudflared, not ${spec.kind}`, 'drop them, or use --tunnel cloudflared');
  if (spec.hostname !== undefined && !spec.cloudflaredToken) {
    throw new UsageError(
      `a named cloudflared tunnel for ${spec.hostname} needs its token`,
      'pass --cloudflared-token or set CLOUDFLARED_TOKEN (Cloudflare dashboard → Zero Trust → Networks → Tunnels → your tunnel → the token in its install command); or drop --hostname for a quick tunnel',
      'tunnel_unavailable',
    );
  }
  if (spec.cloudflaredToken !== undefined && spec.hostname === undefined) throw new UsageError('--cloudflared-token needs --hostname: the public hostname the named tunnel routes here', 'pass --hostname hooks.example.com');
  if (spec.domain !== undefined && spec.kind !== 'ngrok') throw new UsageError('--domain is for --tunnel ngrok', 'add --tunnel ngrok, or use --hostname with a cloudflared named tunnel');
}

/** The tunnel the flags ask for, to the local receiver; `none` is the local URL itself. */
export function createTunnel(spec: TunnelSpec, localUrl: string, hooks: TunnelHooks): Tunnel {
  checkTunnelSpec(spec);
  if (spec.publicUrl) return new FixedUrlTunnel(spec.publicUrl.href, `your tunnel (${spec.publicUrl.host})`);
  switch (spec.kind) {
    case 'none':
      return new FixedUrlTunnel(localUrl, 'no tunnel (the local receiver)');
    case 'ngrok':
      return new NgrokTunnel({ localUrl, domain: spec.domain }, hooks);
    case 'cloudflared':
      return new CloudflaredTunnel({ localUrl, ...(spec.hostname ? { named: { token: spec.cloudflaredToken!, hostname: spec.hostname } } : {}) }, hooks);
  }
}
