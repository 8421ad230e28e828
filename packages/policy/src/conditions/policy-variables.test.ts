import { runConditionCases } from './test-condition-cases.js';

const VARS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html';

runConditionCases('policy variables in conditions', [
  { name: '${aws:username} resolves to the user name', source: VARS, condition: { StringEquals: { 's3:prefix': 'home/${aws:username}/' } }, context: { 's3:prefix': 'home/JaneDoe/' }, expected: true },
  { name: 'variable names are case-insensitive', condition: { StringEquals: { 's3:prefix': 'home/${AWS:UserName}/' } }, context: { 's3:prefix': 'home/JaneDoe/' }, expected: true },
  { name: '${aws:PrincipalTag/key} resolves to the tag', source: VARS, condition: { StringEquals: { 'aws:ResourceTag/Department': '${aws:PrincipalTag/Department}' } }, context: { 'aws:ResourceTag/Department': 'Engineering' }, expected: true },
  { name: 'a missing variable makes its value match nothing', source: VARS, condition: { StringEquals: { 's3:prefix': 'home/${aws:PrincipalTag/project}/' } }, context: { 's3:prefix': 'home//' }, expected: false },
  { name: 'a missing variable in a negated operator matches (nothing equals its null value)', source: VARS, condition: { StringNotEquals: { 's3:prefix': '${aws:PrincipalTag/project}' } }, context: { 's3:prefix': 'x' }, expected: true },
  { name: 'a missing variable voids its own value only: the list\'s other values still match', source: VARS, condition: { StringEquals: { 's3:prefix': ['${aws:PrincipalTag/project}', 'x'] } }, context: { 's3:prefix': 'x' }, expected: true },
  { name: 'a default value stands in for a missing key', source: VARS, condition: { StringEquals: { 's3:prefix': "${aws:PrincipalTag/project, 'none'}" } }, context: { 's3:prefix': 'none' }, expected: true },
  { name: 'the default is not used when the key is present', condition: { StringEquals: { 's3:prefix': "${aws:username, 'nobody'}" } }, context: { 's3:prefix': 'JaneDoe' }, expected: true },
  { name: 'a default may contain a quote written twice', condition: { StringEquals: { 's3:prefix': "${aws:PrincipalTag/x, 'it''s'}" } }, context: { 's3:prefix': "it's" }, expected: true },
  { name: '${*} is a literal asterisk in StringLike', source: VARS, condition: { StringLike: { 's3:prefix': 'a${*}b' } }, context: { 's3:prefix': 'a*b' }, expected: true },
  { name: '${*} does not act as a wildcard', condition: { StringLike: { 's3:prefix': 'a${*}b' } }, context: { 's3:prefix': 'axxb' }, expected: false },
  { name: '${?} and ${$} are literals', condition: { StringEquals: { 's3:prefix': '${?}${$}' } }, context: { 's3:prefix': '?$' }, expected: true },
  { name: 'a resolved value is literal text, not a pattern', condition: { StringLike: { 's3:prefix': '${aws:PrincipalTag/pat}' } }, principal: { tags: { pat: '*' } }, context: { 's3:prefix': 'anything' }, expected: false },
  { name: 'variables are not substituted without Version 2012-10-17', source: VARS, version: null, condition: { StringEquals: { 's3:prefix': 'home/${aws:username}/' } }, context: { 's3:prefix': 'home/${aws:username}/' }, expected: true },
  { name: 'Version 2008-10-17 takes variables literally too', version: '2008-10-17', condition: { StringEquals: { 's3:prefix': 'home/${aws:username}/' } }, context: { 's3:prefix': 'home/JaneDoe/' }, expected: false },
  { name: 'a multivalued key cannot be a variable', source: VARS, condition: { StringEquals: { 's3:prefix': '${aws:TagKeys}' } }, context: { 's3:prefix': 'a', 'aws:TagKeys': ['a'] }, expected: false },
  { name: 'aws:username is missing for a role session', condition: { StringEquals: { 's3:prefix': '${aws:username}' } }, principal: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/r/s', roleArn: 'arn:aws:iam::111122223333:role/r' }, context: { 's3:prefix': 'JaneDoe' }, expected: false },
  { name: '${aws:userid} resolves', condition: { StringLike: { 's3:prefix': '${aws:userid}/*' } }, context: { 's3:prefix': 'AIDAJQABLZS4A3QDU576Q/x' }, expected: true },
  { name: 'ArnLike with a variable', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::bucket/${aws:username}/*' } }, context: { 'aws:SourceArn': 'arn:aws:s3:::bucket/JaneDoe/x' }, expected: true },
  { name: 'Bool with a variable', condition: { Bool: { 'aws:SecureTransport': '${aws:PrincipalTag/secure}' } }, principal: { tags: { secure: 'true' } }, context: { 'aws:SecureTransport': true }, expected: true },
]);
