/** `cwts keys --dir D --name N`: a CURVE key pair for the engine's tcp:// endpoints or for one of its clients. */
import { CliError, defineCommand } from './command.js';

export const keys = defineCommand({
  name: 'keys',
  summary: 'generate a CURVE key pair for the engine or a client of its tcp:// sockets',
  description: [
    'Writes DIR/NAME.key (the public key, to hand out) and DIR/NAME.key_secret (both keys, mode 0600, to keep), in ZeroMQ\'s certificate format.',
    'The engine: network.curve.secretKeyFile is its .key_secret. A client: copy its .key into the engine\'s network.curve.authorizedKeysDir.',
  ].join('\n'),
  options: {
    dir: { type: 'string', help: 'where to write the two files', default: '.', placeholder: 'DIR' },
    name: { type: 'string', help: 'the file name before .key', placeholder: 'NAME' },
  },
  async run(values) {
    if (typeof values.name !== 'string') throw new CliError('--name is required');
    // zeromq's addon (its key generator) loads only for this command.
    const { CurveKeyError, generateKeyPair } = await import('../network/curve-keys.js');
    try {
      const written = generateKeyPair(String(values.dir), values.name);
      console.log(`public key ${written.publicKey}\n  ${written.publicFile}\n  ${written.secretFile} (secret: keep it)`);
    } catch (error) {
      if (error instanceof CurveKeyError) throw new CliError(error.message, 1);
      throw error;
    }
    return 0;
  },
});
