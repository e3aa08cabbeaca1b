// The model index, built into the bundle by modelIndexPlugin (src/core/model/modelIndexBuild.ts).
declare module 'virtual:model-index' {
  const index: import('../core/model/offlineModels').ModelIndex;
  export default index;
}
