// A node's checksum, as dbt writes it in manifest.json: the sha256 of the file's text.
import * as crypto from 'node:crypto';

export function checksum(text: string): { name: 'sha256'; checksum: string } {
  return { name: 'sha256', checksum: sha256(text) };
}

/** crypto.hash (Node 20.12+) is a one-shot digest, several times cheaper than createHash for short texts. */
const sha256: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');
