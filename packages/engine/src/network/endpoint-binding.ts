/**
 * Binds one ZeroMQ socket to one endpoint with the security that endpoint needs: a tcp://
 * endpoint is a CURVE server (the ZAP handler of its context decides who gets in); an ipc://
 * socket file is made owner-only, like the segment, so the file system keeps others out.
 */
import { chmodSync } from 'node:fs';
import type { Socket } from 'zeromq';
import type { CurveKeyPair } from './curve-keys.js';

export class EndpointError extends Error {}

export async function bindEndpoint(socket: Socket, endpoint: string, curve: CurveKeyPair | undefined): Promise<void> {
  const tcp = endpoint.startsWith('tcp://');
  if (tcp) {
    // Checked by the config schema; this guards a Node caller that skipped it.
    if (!curve) throw new EndpointError(`${endpoint}: a tcp:// endpoint needs CURVE keys`);
    socket.curveServer = true;
    socket.curveSecretKey = curve.secretKey;
    socket.curvePublicKey = curve.publicKey;
  }
  try {
    await socket.bind(endpoint);
  } catch (error) {
    throw new EndpointError(`cannot bind ${endpoint}: ${(error as Error).message}`);
  }
  // lastEndpoint: the path libzmq actually bound (ipc://* picks one).
  if (!tcp) chmodSync((socket.lastEndpoint ?? endpoint).slice('ipc://'.length), 0o600);
}

/** One new socket per endpoint, each bound; on any failure the ones made so far are closed. */
export async function bindEach<S extends Socket>(endpoints: readonly string[], make: () => S, curve: CurveKeyPair | undefined): Promise<S[]> {
  const sockets: S[] = [];
  try {
    for (const endpoint of endpoints) {
      const socket = make();
      sockets.push(socket);
      await bindEndpoint(socket, endpoint, curve);
    }
  } catch (error) {
    for (const socket of sockets) socket.close();
    throw error;
  }
  return sockets;
}
