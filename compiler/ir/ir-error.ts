/**
 * An internal inconsistency in the IR: a compiler bug, never a user error. Its own module, so that
 * op files can throw it without importing the builder (which imports the registry, which imports
 * the op files: a cycle that broke whichever op module a process loaded first).
 */
export class IrError extends Error {
  override name = 'IrError';
}
