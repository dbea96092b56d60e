import { AwsJsonError } from './AwsJsonError.js';

/** A repository as DescribeRepositories and CreateRepository return it (epoch seconds, as JSON 1.1 sends dates). */
export interface EcrRepository {
  repositoryArn: string;
  registryId: string;
  repositoryName: string;
  repositoryUri: string;
  createdAt: number;
  imageTagMutability: 'MUTABLE';
  imageScanningConfiguration: { scanOnPush: boolean };
  encryptionConfiguration: { encryptionType: 'AES256' };
}

/** ECR's repository name rule (2 to 256 characters). */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export interface RegistryIdentity {
  accountId: string;
  region: string;
  /** `host` of repository URIs, e.g. `<account>.dkr.ecr.<region>.amazonaws.com`. */
  repositoryHost: string;
}

/** The repositories of one emulated registry (one account, one region), in memory. */
export class EcrRepositories {
  private readonly byName = new Map<string, EcrRepository>();

  constructor(
    private readonly identity: RegistryIdentity,
    private readonly now: () => Date,
  ) {}

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  describe(input: { registryId?: string; repositoryNames?: string[] }): { repositories: EcrRepository[] } {
    this.checkRegistry(input.registryId);
    if (!input.repositoryNames?.length) return { repositories: this.names().map((name) => this.byName.get(name)!) };
    const repositories = input.repositoryNames.map((name) => {
      const found = this.byName.get(name);
      if (!found) throw this.notFound(name);
      return found;
    });
    return { repositories };
  }

  create(input: { registryId?: string; repositoryName?: string; imageScanningConfiguration?: { scanOnPush?: boolean } }): { repository: EcrRepository } {
    this.checkRegistry(input.registryId);
    const name = input.repositoryName ?? '';
    if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
      throw new AwsJsonError('InvalidParameterException', `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${REPOSITORY_NAME.source}''`);
    }
    if (this.byName.has(name)) {
      throw new AwsJsonError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${this.identity.accountId}'`);
    }
    const { accountId, region, repositoryHost } = this.identity;
    const repository: EcrRepository = {
      repositoryArn: `arn:aws:ecr:${region}:${accountId}:repository/${name}`,
      registryId: accountId,
      repositoryName: name,
      repositoryUri: `${repositoryHost}/${name}`,
      createdAt: Math.floor(this.now().getTime() / 1000),
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false },
      encryptionConfiguration: { encryptionType: 'AES256' },
    };
    this.byName.set(name, repository);
    return { repository };
  }

  private notFound(name: string): AwsJsonError {
    return new AwsJsonError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${this.identity.accountId}'`);
  }

  /** Another account's registry: the emulator holds one account, and these test keys may use no other. */
  private checkRegistry(registryId: string | undefined): void {
    if (registryId !== undefined && registryId !== this.identity.accountId) {
      throw new AwsJsonError('AccessDeniedException', `User is not authorized to access the registry with id '${registryId}'`);
    }
  }
}
