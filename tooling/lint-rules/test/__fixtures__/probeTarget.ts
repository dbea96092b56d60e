// A module of this package that the no-relative-packages probe imports from another package.
export const probeTarget = 1;
