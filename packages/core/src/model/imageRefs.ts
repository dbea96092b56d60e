// Image reference helpers the stages share; the one parser lives in @stowage/oci.
export { repositoryOf } from '@stowage/oci';
