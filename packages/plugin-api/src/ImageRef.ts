/**
 * A parsed image reference (`registry/repository[:tag][@digest]`). `@stowage/oci` parses and
 * prints them (one parser, one Docker Hub alias set); this is only the shape plugins exchange.
 */
export interface ImageRef {
  /** `host[:port]`, normalised: Docker Hub is `docker.io`. */
  registry: string;
  /** Path inside the registry, e.g. `library/python` or `acme/stowage`. */
  repository: string;
  tag?: string;
  /** `sha256:<hex>` */
  digest?: string;
}

/** Whether an image exists where it was asked: `unknown` when the answer could not be had. */
export type ImagePresence = 'present' | 'absent' | 'unknown';
