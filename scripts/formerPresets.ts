import { emptyMask, type OwnTransform } from '../src/core/own/ownTransform';

/**
 * The swirl preset until 2026-12-06 (a turn within 70 % of the half-diagonal, the fade eased in) with its angle:
 * kept for the figures that show where improved sampling's step breaks on a wide warp (README, docs/own-transform.md).
 */
export function wideSwirl(angle: number): OwnTransform {
  return { T: 20, blocks: [{ kind: 'swirl', curve: 'linear', values: [angle, 70] }, { kind: 'fade', curve: 'ease-in', values: [40, 0x808080] }], mask: emptyMask() };
}
