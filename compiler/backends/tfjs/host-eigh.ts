/** The host eigendecomposition moved to compiler/backends/host/; this path stays for its importers. */
export { hostEigh, type HostEigh } from '../host/host-eigh.ts';
