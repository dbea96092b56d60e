// Image reference helpers the stages share; the one parser lives in @stowage/plugin-api (pure; no I/O module behind it).
export { repositoryOf } from '@stowage/plugin-api';
