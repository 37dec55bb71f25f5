// The class-validator metadata cache that lived here is now one of the fast paths in
// @crm/fast-paths, installed only by installFastPaths(). Nothing is exported from here any more;
// the module stays only while index.ts re-exports it.
export {};
