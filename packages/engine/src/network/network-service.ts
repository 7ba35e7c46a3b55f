/**
 * The engine's ZeroMQ side, started only when the config has a `network` block: its own
 * ZeroMQ context (so two engines in one process each have their own ZAP handler), CURVE
 * when any endpoint is tcp://, the event publication and the control router.
 */
import { Context } from 'zeromq';
import type { Segment } from '@cwts/py-bridge';
import type { Engine } from '../engine.js';
import type { NetworkConfig } from '../config/schema.js';
import { readAuthorizedKeys, readKeyPair, type CurveKeyPair } from './curve-keys.js';
import { ControlRouter, type RouterCounts } from './control-router.js';
import { EventPublication, type PublicationCounts } from './event-publication.js';
import { ZapHandler } from './zap-handler.js';

const MAX_ADDRESSES_TOLD = 100;

export interface NetworkCounts {
  readonly publication: PublicationCounts | undefined;
  readonly control: RouterCounts | undefined;
  /** CURVE handshakes let in and refused (unknown keys). */
  readonly curve: { readonly accepted: number; readonly refused: number } | undefined;
}

export class NetworkService {
  private publication: EventPublication | undefined;
  private router: ControlRouter | undefined;
  private zap: ZapHandler | undefined;

  private constructor(private readonly context: Context) {}

  static async start(engine: Engine, segment: Segment, config: NetworkConfig): Promise<NetworkService> {
    const service = new NetworkService(new Context());
    try {
      let curve: CurveKeyPair | undefined;
      if (config.curve && [...config.publish, ...config.control].some((e) => e.startsWith('tcp://'))) {
        curve = readKeyPair(config.curve.secretKeyFile);
        const authorized = readAuthorizedKeys(config.curve.authorizedKeysDir);
        // A refused peer reconnects every 100 ms or so: say it once per address, count every time.
        const told = new Set<string>();
        service.zap = await ZapHandler.start(service.context, authorized, (address) => {
          if (told.has(address) || told.size >= MAX_ADDRESSES_TOLD) return;
          told.add(address);
          process.stderr.write(`cwts: refused a CURVE peer with an unknown key from ${address} (further refusals from it are only counted)\n`);
        });
      }
      const counts = (): Record<string, unknown> => ({ ...service.counts });
      service.publication = await EventPublication.open(service.context, engine, segment, config, curve, counts);
      service.router = await ControlRouter.open(service.context, engine, config, curve, counts);
    } catch (error) {
      await service.close();
      throw error;
    }
    return service;
  }

  get counts(): NetworkCounts {
    return {
      publication: this.publication?.counts,
      control: this.router?.counts,
      curve: this.zap && { accepted: this.zap.accepted, refused: this.zap.refused },
    };
  }

  async close(): Promise<void> {
    this.publication?.close();
    await this.router?.close();
    await this.zap?.close();
  }
}
