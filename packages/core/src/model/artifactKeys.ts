/** `code_uploads/<hex>.tar.gz`: the same code always gives the same archive and key. */
export function codeArchiveKey(digest: string): string {
  return `code_uploads/${digest.replace(/^sha256:/, '')}.tar.gz`;
}

/** `contexts/<checksum hex>.<ext>`: a remote build's staged context, named by the build's checksum. */
export function stagedContextKey(checksum: string, extension: string): string {
  return `contexts/${checksum.replace(/^sha256:/, '')}.${extension}`;
}

/** Where a key lands below an artifact store's root. */
export function locationUnder(root: string, key: string): string {
  return `${root.replace(/\/+$/, '')}/${key}`;
}
