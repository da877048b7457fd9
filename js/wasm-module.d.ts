// For the type check only (tsconfig.check.json; not copied into pkg/): what
// workerd.js imports, as workerd and wrangler load a .wasm file, a compiled module.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
