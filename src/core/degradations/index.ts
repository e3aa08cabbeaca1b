import { BlurDegradation } from './blur';
import { DecolorizeDegradation } from './decolorize';
import { DEGRADATION_IDS, isDegradationId, type DegradationId } from './catalog';
import type { Degradation } from './types';

export { CATALOG, DEGRADATION_IDS, degradationInfo, isDegradationId, type DegradationId, type DegradationInfo } from './catalog';
export type { Degradation } from './types';

/** Every operator, one file each, registered here. */
const FACTORIES: Record<DegradationId, () => Degradation> = {
  blur: () => new BlurDegradation(),
  decolorize: () => new DecolorizeDegradation(),
};

export function createDegradation(id: string): Degradation {
  if (!isDegradationId(id)) {
    throw new Error(`Unknown degradation "${id}". Known: ${DEGRADATION_IDS.join(', ')}.`);
  }
  return FACTORIES[id]();
}
