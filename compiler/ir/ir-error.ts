/**
 * An internal inconsistency in the IR: a compiler bug, never a user error. Its own module, so that
 * op files can throw it without importing the builder (which imports the registry, which imports
 * the op files: a cycle that broke whichever op module a process loaded first).
 */
export class IrError extends Error {
  override name = 'IrError';
}

/**
 * An op's shape rule refusing its inputs. Inside the compiler it is a bug like any IrError; the
 * front end catches it where the user's own operands were refused, so that a diagnostic comes from
 * the same rule as the IR.
 */
export class IrShapeError extends IrError {
  override name = 'IrShapeError';
}
