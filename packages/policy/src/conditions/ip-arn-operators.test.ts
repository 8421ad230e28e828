import { runConditionCases } from './test-condition-cases.js';

const OPS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';

runConditionCases('IP address operators', [
  { name: 'IpAddress in an IPv4 range (AWS example)', source: OPS, condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, context: { 'aws:SourceIp': '203.0.113.7' }, expected: true },
  { name: 'IpAddress outside the range', condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, context: { 'aws:SourceIp': '203.0.114.7' }, expected: false },
  { name: 'IpAddress with an IPv6 range (AWS example)', source: OPS, condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } }, context: { 'aws:SourceIp': '2001:db8:1234:5678::abcd' }, expected: true },
  { name: 'IPv6 outside the range', condition: { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } }, context: { 'aws:SourceIp': '2001:db8:1234:5679::1' }, expected: false },
  { name: 'an address without a mask is /32', condition: { IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, context: { 'aws:SourceIp': '203.0.113.7' }, expected: true },
  { name: '/0 matches every IPv4 address', condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, context: { 'aws:SourceIp': '198.51.100.1' }, expected: true },
  { name: 'an IPv4 range does not match an IPv6 address', condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, context: { 'aws:SourceIp': '2001:db8::1' }, expected: false },
  { name: 'an IPv4-mapped IPv6 address is its IPv4 address', condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, context: { 'aws:SourceIp': '::ffff:10.1.2.3' }, expected: true },
  { name: 'an odd prefix length', condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/9' } }, context: { 'aws:SourceIp': '10.128.0.1' }, expected: false },
  { name: 'a garbage request address never matches', condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, context: { 'aws:SourceIp': 'not-an-ip' }, expected: false },
  { name: 'a missing aws:SourceIp is false', condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, expected: false },
  { name: 'NotIpAddress outside every range is true', source: OPS, condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } }, context: { 'aws:SourceIp': '198.51.100.1' }, expected: true },
  { name: 'NotIpAddress inside a range is false', condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } }, context: { 'aws:SourceIp': '203.0.113.9' }, expected: false },
  { name: 'NotIpAddress with a missing key is true', source: OPS, condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, expected: true },
  // Fail closed: an Allow does not grant on a value the operator could not read.
  { name: 'NotIpAddress on a request value that is not an address does not allow', condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, context: { 'aws:SourceIp': 'not-an-ip' }, expected: false },
]);

runConditionCases('ARN operators', [
  { name: 'ArnEquals with aws:SourceArn (AWS example)', source: OPS, condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:REGION:123456789012:TOPIC-ID' } }, context: { 'aws:SourceArn': 'arn:aws:sns:REGION:123456789012:TOPIC-ID' }, expected: true },
  { name: 'ArnLike with a wildcard account', condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/division_abc/*' } }, expected: true },
  { name: 'ArnEquals also takes wildcards, as AWS documents', source: OPS, condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/*' } }, expected: true },
  { name: 'a wildcard does not cross a colon in the first five parts', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:*:123456789012:x' } }, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:x' }, expected: false },
  { name: 'each part matches on its own', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:x' } }, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:x' }, expected: true },
  { name: 'the resource part may contain colons', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:lambda:*:123456789012:function:*' } }, context: { 'aws:SourceArn': 'arn:aws:lambda:us-east-1:123456789012:function:f:PROD' }, expected: true },
  { name: 'ARN comparison is case-sensitive', condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:Topic' } }, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:topic' }, expected: false },
  { name: 'a non-ARN value never matches', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, context: { 'aws:SourceArn': 'sns-topic' }, expected: false },
  { name: 'ArnNotEquals with a different ARN is true', condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin' } }, expected: true },
  { name: 'ArnNotLike matching is false', condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/*' } }, expected: false },
  { name: 'ArnNotLike with a missing key is true', source: OPS, condition: { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, expected: true },
  { name: 'ArnLikeIfExists with a missing key is true', condition: { ArnLikeIfExists: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, expected: true },
  // AWS compares the six components of an ARN: a value that is not an ARN matches no pattern.
  { name: 'ArnLike on a value that is not an ARN is false, even against `1111*`', source: `${OPS}#Conditions_ARN`, condition: { ArnLike: { 'aws:PrincipalAccount': '1111*' } }, context: { 'aws:PrincipalAccount': '111122223333' }, expected: false },
  { name: 'ArnEquals on a value that is not an ARN is false, even against `*`', condition: { ArnEquals: { 'aws:PrincipalAccount': '*' } }, context: { 'aws:PrincipalAccount': '111122223333' }, expected: false },
  { name: 'ArnNotLike on a value that is not an ARN does not allow', condition: { ArnNotLike: { 'aws:PrincipalAccount': '2222*' } }, context: { 'aws:PrincipalAccount': '111122223333' }, expected: false },
  { name: 'a five-part value is not an ARN', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*' } }, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:x' }, expected: false },
]);
