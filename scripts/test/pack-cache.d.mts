/** Types of pack-cache.mjs for the TypeScript tests of other packages (they do not check JavaScript). */
export function packWorkspacePackage(dir: string): Promise<string>;
