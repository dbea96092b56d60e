/** The parts of an AWS SDK error (a service exception, a credentials or network error) Stowage reads. */
export interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function sdkErrorShape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

/**
 * The service's error type and HTTP status, then its message: `NoSuchBucket (HTTP 404): The
 * specified bucket does not exist`. A response without a body (S3's HEAD) leaves the SDK only the
 * status, which it names `Unknown`; those placeholders are left out.
 */
export function sdkErrorReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = sdkErrorShape(error).$metadata?.httpStatusCode;
  const name = error.name === 'Error' || error.name === 'Unknown' ? '' : error.name;
  const label = status ? (name ? `${name} (HTTP ${status})` : `HTTP ${status}`) : name;
  const message = /^(Unknown(Error)?)?$/.test(error.message) || error.message === error.name ? '' : error.message;
  return [label, message].filter(Boolean).join(': ') || String(error);
}
