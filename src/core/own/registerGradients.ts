/**
 * tfjs's gradients, which training needs (trainer.ts checks): imported by whatever starts training in an
 * ES-module build (the page's worker, the unit tests). Under plain Node (tsx) this file cannot load:
 * tfjs-core's ES build imports directories, which Node refuses; there '@tensorflow/tfjs' (its CommonJS
 * build, the same tfjs-core) registers them instead (scripts/bench.ts).
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
