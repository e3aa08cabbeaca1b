import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { degradationInfo, type DegradationId } from '../degradations/catalog';
import { loadMixPool, type MixPool } from '../degradations/mixPool';
import { ModelLoadError, type FileSource } from './loader';

/** Model files from a local folder (Node: tests, eval and bench CLIs). */
export function directorySource(dir: string): FileSource {
  return {
    location: `${dir}/`,
    async read(name, onBytes) {
      let buf: Buffer;
      try {
        buf = await readFile(join(dir, name));
      } catch (e) {
        throw new ModelLoadError(`Could not read ${join(dir, name)}: ${(e as Error).message}`, 'unreachable');
      }
      onBytes?.(buf.byteLength, buf.byteLength);
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    },
  };
}

/** The pictures degradation `id` mixes in, from <modelsDir>/<id>/ (undefined when it mixes in none): for the Node CLIs and tests. */
export async function poolFromDirectory(modelsDir: string, id: DegradationId): Promise<MixPool | undefined> {
  return degradationInfo(id).mixesPicture ? loadMixPool(directorySource(join(modelsDir, id))) : undefined;
}
