"""A new user's boto3 session against Castellan (run by compat-boto3.test.ts).

Every response is also checked against the output shape botocore holds for it: an element or key
the shape does not know, a required member missing, or a scalar in a format AWS does not send
(botocore drops the first silently and parses the others leniently) is a failure. The checks hook
botocore's private QueryParser/JSONParser._do_parse, so the responses they walked are counted: a
botocore that stops calling it would leave the count at 0. Prints one JSON object:
{"checks": N, "walked": M, "failures": [...]}; exits 0 when it ran to the end.
"""
import datetime, json, os, re, sys, tempfile
import xml.etree.ElementTree as ET
import boto3, botocore.loaders as loaders, botocore.parsers as parsers

EP, ACCOUNT = os.environ['CASTELLAN_URL'], os.environ['CASTELLAN_ACCOUNT_ID']
failures, checks, walked = [], [0], [0]
ISO = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$')
# What AWS itself answers although an older botocore model calls it required.
ALLOWED_MISSING = {('User', 'Path'), ('User', 'UserName'), ('AccessKeyLastUsed', 'LastUsedDate')}

def shape_failure(msg):
    if msg not in failures: failures.append(msg)

def tag(e): return e.tag.split('}', 1)[-1]

def walk_xml(op, el, shape, path):
    t = shape.type_name
    if t == 'structure':
        names = {(m.serialization.get('name') or n): n for n, m in shape.members.items()}
        seen = set()
        for c in el:
            if tag(c) not in names: shape_failure(f'{op}{path}/{tag(c)}: not in shape {shape.name}'); continue
            seen.add(names[tag(c)]); walk_xml(op, c, shape.members[names[tag(c)]], f'{path}/{tag(c)}')
        for r in shape.required_members:
            if r not in seen and (shape.name, r) not in ALLOWED_MISSING: shape_failure(f'{op}{path}: required {r} missing')
    elif t == 'list':
        item = shape.member.serialization.get('name', 'member')
        for c in el:
            if tag(c) != item: shape_failure(f'{op}{path}: list item {tag(c)}')
            else: walk_xml(op, c, shape.member, path + '[]')
    elif t == 'map':
        for c in el:
            if tag(c) != 'entry' or sorted(tag(x) for x in c) != ['key', 'value']: shape_failure(f'{op}{path}: map entry {tag(c)}')
    else:
        text = el.text or ''
        if t == 'boolean' and text not in ('true', 'false'): shape_failure(f'{op}{path}: boolean {text!r}')
        if t in ('integer', 'long') and not re.fullmatch(r'-?\d+', text): shape_failure(f'{op}{path}: integer {text!r}')
        if t == 'timestamp' and not ISO.match(text): shape_failure(f'{op}{path}: timestamp {text!r}')

def walk_json(op, v, shape, path):
    t = shape.type_name
    if t == 'structure':
        for k, x in v.items():
            if k not in shape.members: shape_failure(f'{op}{path}.{k}: not in shape {shape.name}')
            else: walk_json(op, x, shape.members[k], f'{path}.{k}')
    elif t == 'list':
        for x in v: walk_json(op, x, shape.member, path + '[]')
    elif t == 'timestamp' and (not isinstance(v, (int, float)) or isinstance(v, bool)): shape_failure(f'{op}{path}: timestamp {v!r}')
    elif t == 'boolean' and not isinstance(v, bool): shape_failure(f'{op}{path}: boolean {v!r}')
    elif t in ('integer', 'long') and (not isinstance(v, int) or isinstance(v, bool)): shape_failure(f'{op}{path}: integer {v!r}')

query_parse, json_parse = parsers.QueryParser._do_parse, parsers.JSONParser._do_parse
def checked_query(self, response, shape):
    if shape is not None and response['status_code'] < 300:
        root = ET.fromstring(response['body'])
        for c in root:
            if tag(c).endswith('Result'): walked[0] += 1; walk_xml(tag(root), c, shape, '')
    return query_parse(self, response, shape)
def checked_json(self, response, shape):
    if shape is not None and response['status_code'] < 300 and response['body']:
        walked[0] += 1; walk_json(shape.name, json.loads(response['body']), shape, '')
    return json_parse(self, response, shape)
parsers.QueryParser._do_parse, parsers.JSONParser._do_parse = checked_query, checked_json

def check(name, cond, detail=''):
    checks[0] += 1
    if not cond: failures.append(f'{name}: {detail}')

def raises(name, fn, exc):
    try: fn(); failures.append(f'{name}: no error')
    except exc: checks[0] += 1
    except Exception as e: failures.append(f'{name}: {type(e).__name__} {e}')

def utc(x): return isinstance(x, datetime.datetime) and x.utcoffset() == datetime.timedelta(0)

s = boto3.Session()
iam, sts, ct = (s.client(n, endpoint_url=EP) for n in ('iam', 'sts', 'cloudtrail'))
res = s.resource('iam', endpoint_url=EP)
allow = lambda action: json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': action, 'Resource': '*'}]})
trust = json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': f'arn:aws:iam::{ACCOUNT}:root'}, 'Action': ['sts:AssumeRole', 'sts:TagSession']}]})

# Environment credentials; the resource API; waiters.
check('env credentials', sts.get_caller_identity()['Arn'] == f'arn:aws:iam::{ACCOUNT}:root')
user = res.create_user(UserName='boto-user', Path='/boto/')
iam.get_waiter('user_exists').wait(UserName='boto-user')
policy = res.create_policy(PolicyName='boto-policy', PolicyDocument=allow('*'), Description='made by boto3')
iam.get_waiter('policy_exists').wait(PolicyArn=policy.arn)
check('Policy.default_version.document', res.Policy(policy.arn).default_version.document == json.loads(allow('*')))
user.attach_policy(PolicyArn=policy.arn)
pair = user.create_access_key_pair()
check('AccessKeyPair', pair.secret and utc(pair.create_date), pair)
role = res.create_role(RoleName='boto-role', AssumeRolePolicyDocument=trust)
iam.get_waiter('role_exists').wait(RoleName='boto-role')
role.attach_policy(PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')
check('Role document', res.Role('boto-role').assume_role_policy_document == json.loads(trust))
iam.put_role_policy(RoleName='boto-role', PolicyName='inline', PolicyDocument=allow('s3:GetObject'))
check('GetRolePolicy document', iam.get_role_policy(RoleName='boto-role', PolicyName='inline')['PolicyDocument'] == json.loads(allow('s3:GetObject')))
res.create_instance_profile(InstanceProfileName='boto-profile').add_role(RoleName='boto-role')
iam.get_waiter('instance_profile_exists').wait(InstanceProfileName='boto-profile')
me = res.CurrentUser()
check('CurrentUser', me.arn == f'arn:aws:iam::{ACCOUNT}:root' and utc(me.create_date), me.arn)
described = res.create_policy(PolicyName='boto-described', PolicyDocument=allow('s3:*'), Description='a\x01b')
check('a description XML cannot carry reads back', iam.get_policy(PolicyArn=described.arn)['Policy']['Description'] == 'a\ufffdb')
check('AccountSummary', res.AccountSummary().summary_map['Users'] == 1)
iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True)
pp = res.AccountPasswordPolicy()
check('AccountPasswordPolicy', pp.minimum_password_length == 14 and pp.require_symbols is True and pp.allow_users_to_change_password is False)

# Paginators.
def items(op, key, **kw):
    return [x for page in iam.get_paginator(op).paginate(PaginationConfig={'PageSize': 1}, **kw) for x in page[key]]
check('list_users', [u['UserName'] for u in items('list_users', 'Users')] == ['boto-user'])
check('list_policies Local', [p['PolicyName'] for p in items('list_policies', 'Policies', Scope='Local')] == ['boto-described', 'boto-policy'])
check('list_attached_user_policies', [p['PolicyName'] for p in items('list_attached_user_policies', 'AttachedPolicies', UserName='boto-user')] == ['boto-policy'])
check('list_attached_role_policies', [p['PolicyName'] for p in items('list_attached_role_policies', 'AttachedPolicies', RoleName='boto-role')] == ['ReadOnlyAccess'])
check('list_entities_for_policy', [u['UserName'] for u in items('list_entities_for_policy', 'PolicyUsers', PolicyArn=policy.arn)] == ['boto-user'])
details = iam.get_paginator('get_account_authorization_details').paginate().build_full_result()
roles = {r['RoleName']: r for r in details['RoleDetailList']}
check('GetAccountAuthorizationDetails documents', roles['boto-role']['AssumeRolePolicyDocument'] == json.loads(trust)
      and roles['boto-role']['RolePolicyList'][0]['PolicyDocument'] == json.loads(allow('s3:GetObject'))
      and all(isinstance(v['Document'], dict) for p in details['Policies'] for v in p['PolicyVersionList']))

# Modeled errors.
raises('NoSuchEntityException', lambda: iam.get_user(UserName='nobody'), iam.exceptions.NoSuchEntityException)
raises('EntityAlreadyExistsException', lambda: iam.create_user(UserName='boto-user'), iam.exceptions.EntityAlreadyExistsException)
raises('MalformedPolicyDocumentException', lambda: iam.create_policy(PolicyName='bad', PolicyDocument='{"x":1}'), iam.exceptions.MalformedPolicyDocumentException)
raises('DeleteConflictException', lambda: iam.delete_user(UserName='boto-user'), iam.exceptions.DeleteConflictException)
raises('LimitExceededException', lambda: [user.create_access_key_pair() for _ in range(2)], iam.exceptions.LimitExceededException)
raises('STS MalformedPolicyDocumentException', lambda: sts.get_federation_token(Name='fed', Policy='{'), sts.exceptions.MalformedPolicyDocumentException)
raises('TrailNotFoundException', lambda: ct.get_trail(Name='nope'), ct.exceptions.TrailNotFoundException)

# STS with the user's key, and a shared-config profile: role_arn + source_profile whose
# credentials come from credential_process.
keyed = boto3.Session(aws_access_key_id=pair.id, aws_secret_access_key=pair.secret, region_name='us-east-1').client('sts', endpoint_url=EP)
assumed = keyed.assume_role(RoleArn=role.arn, RoleSessionName='boto', DurationSeconds=900, Tags=[{'Key': 'team', 'Value': 'a'}])
check('AssumeRole', utc(assumed['Credentials']['Expiration']) and isinstance(assumed['PackedPolicySize'], int), assumed.get('AssumedRoleUser'))
check('GetSessionToken', utc(keyed.get_session_token(DurationSeconds=900)['Credentials']['Expiration']))
fed = keyed.get_federation_token(Name='boto-fed', Policy=allow('s3:*'), DurationSeconds=900)
check('GetFederationToken', fed['FederatedUser']['Arn'] == f'arn:aws:sts::{ACCOUNT}:federated-user/boto-fed')
tmp = tempfile.mkdtemp()
with open(os.path.join(tmp, 'process.py'), 'w') as f:
    f.write(f'print({json.dumps(json.dumps({"Version": 1, "AccessKeyId": pair.id, "SecretAccessKey": pair.secret}))})\n')
with open(os.path.join(tmp, 'config'), 'w') as f:
    f.write(f'[profile keyed]\ncredential_process = {sys.executable} {os.path.join(tmp, "process.py")}\n'
            f'[profile role]\nrole_arn = {role.arn}\nsource_profile = keyed\nrole_session_name = via-profile\n')
# The assume-role provider's STS client takes no endpoint_url (botocore before 1.31): its endpoint
# rule set is pointed at Castellan instead, as AWS_DATA_PATH allows.
ruleset = loaders.create_loader().load_service_model('sts', 'endpoint-rule-set-1')
os.makedirs(os.path.join(tmp, 'data', 'sts', '2011-06-15'))
json.dump({'version': ruleset['version'], 'parameters': ruleset['parameters'], 'rules': [{'conditions': [], 'endpoint': {'url': EP, 'properties': {}, 'headers': {}}, 'type': 'endpoint'}]},
          open(os.path.join(tmp, 'data', 'sts', '2011-06-15', 'endpoint-rule-set-1.json'), 'w'))
for k in ('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'): os.environ.pop(k)
os.environ.update(AWS_CONFIG_FILE=os.path.join(tmp, 'config'), AWS_SHARED_CREDENTIALS_FILE='/dev/null', AWS_DATA_PATH=os.path.join(tmp, 'data'))
check('credential_process profile', boto3.Session(profile_name='keyed').client('sts', endpoint_url=EP).get_caller_identity()['Arn'].endswith(':user/boto/boto-user'))
check('role_arn + source_profile', boto3.Session(profile_name='role').client('sts', endpoint_url=EP).get_caller_identity()['Arn'] == f'arn:aws:sts::{ACCOUNT}:assumed-role/boto-role/via-profile')

# CloudTrail.
events = [e for page in ct.get_paginator('lookup_events').paginate(PaginationConfig={'PageSize': 5, 'MaxItems': 30}) for e in page['Events']]
check('lookup_events', len(events) == 30 and len({e['EventId'] for e in events}) == 30 and all(utc(e['EventTime']) for e in events))
check('describe_trails', ct.describe_trails()['trailList'][0]['Name'] == 'castellan')

print(json.dumps({'checks': checks[0], 'walked': walked[0], 'failures': failures}))
