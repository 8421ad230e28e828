"""boto 2 (Debian's python3-boto 2.49) against Castellan's IAM and STS (run by compat-boto2.test.ts).

boto 2 predates botocore: its own SigV4 signer, its own Query serializer and a generic XML parser
(IAM answers become nested dicts, STS answers typed objects). It takes the SigV4 scope's service and
region from the host name (iam.amazonaws.com), so against an address it must be told them
(auth_service_name, auth_region_name), as `fix` does. Prints one JSON object
{"checks": N, "failures": [...]}; exits 0 when it ran to the end.
"""
import base64, hashlib, hmac, json, os, struct, subprocess, sys, tempfile, time
from urllib.parse import unquote, urlparse
import boto
from boto.exception import BotoServerError
from checks import call, check, print_report, refused
from boto.iam.connection import IAMConnection
from boto.regioninfo import RegionInfo
from boto.sts import STSConnection

URL, ACCOUNT = os.environ['CASTELLAN_URL'], os.environ['CASTELLAN_ACCOUNT_ID']
HOST, PORT = urlparse(URL).hostname, urlparse(URL).port
ROOT = (os.environ['AWS_ACCESS_KEY_ID'], os.environ['AWS_SECRET_ACCESS_KEY'])

def fix(conn, service):
    conn.auth_service_name, conn.auth_region_name = service, 'us-east-1'
    return conn

def iam_as(key, secret, token=None):
    return fix(IAMConnection(key, secret, security_token=token, host=HOST, port=PORT, is_secure=False), 'iam')

def sts_as(key, secret, token=None):
    return fix(STSConnection(key, secret, security_token=token, region=RegionInfo(name='us-east-1', endpoint=HOST),
                             port=PORT, is_secure=False), 'sts')

def result(r, op):
    """boto 2's IAM answers: {'<op>_response': {'<op>_result': {...}}}."""
    return r[f'{op}_response'][f'{op}_result']

def totp(seed, step):
    h = hmac.new(seed, struct.pack('>Q', step), hashlib.sha1).digest()
    o = h[-1] & 15
    return '%06d' % ((struct.unpack('>I', h[o:o + 4])[0] & 0x7fffffff) % 1000000)

def certificate():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f'{d}/k.pem', '-out', f'{d}/c.pem',
                        '-days', '30', '-subj', '/CN=boto2.example.com'], check=True, capture_output=True)
        return open(f'{d}/c.pem').read(), open(f'{d}/k.pem').read()

POLICY = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': ['iam:Get*', 'iam:List*', 'sts:AssumeRole', 'sts:GetFederationToken'], 'Resource': '*'}]}
TRUST = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': f'arn:aws:iam::{ACCOUNT}:root'}, 'Action': 'sts:AssumeRole'}]}
iam = iam_as(*ROOT)

# Users, renamed and paged
for name in ('b2-ann', 'b2-bob', 'b2-cy'):
    call(f'create_user {name}', lambda: iam.create_user(name, path='/boto2/'))
u = call('get_user', lambda: result(iam.get_user('b2-ann'), 'get_user')['user'])
check('get_user', u and u['arn'] == f'arn:aws:iam::{ACCOUNT}:user/boto2/b2-ann' and u['user_id'].startswith('AIDA'), u)
page = call('get_all_users max_items', lambda: result(iam.get_all_users(path_prefix='/boto2/', max_items=2), 'list_users'))
check('get_all_users paged', page and len(page['users']) == 2 and page['is_truncated'] == 'true' and page.get('marker'), page)
rest = call('get_all_users marker', lambda: result(iam.get_all_users(path_prefix='/boto2/', marker=page['marker']), 'list_users')) if page else None
check('get_all_users second page', rest and [x['user_name'] for x in rest['users']] == ['b2-cy'] and rest['is_truncated'] == 'false', rest)
call('update_user', lambda: iam.update_user('b2-cy', new_user_name='b2-cyd', new_path='/boto2/renamed/'))
check('renamed user', (call('get_user renamed', lambda: result(iam.get_user('b2-cyd'), 'get_user')['user']) or {}).get('path') == '/boto2/renamed/')
# A Query call may come as a GET with its parameters in the URL (boto 2 signs them there).
viaget = call('GetUser over GET', lambda: result(iam.get_response('GetUser', {'UserName': 'b2-cyd'}, verb='GET'), 'get_user')['user'])
check('GetUser over GET', viaget and viaget['arn'] == f'arn:aws:iam::{ACCOUNT}:user/boto2/renamed/b2-cyd', viaget)
refused('get_user of a missing user', lambda: iam.get_user('b2-cy'), 404, 'NoSuchEntity')
refused('create_user twice', lambda: iam.create_user('b2-ann'), 409, 'EntityAlreadyExists')
refused('create_user with a bad name', lambda: iam.create_user('bad name'), 400, 'ValidationError')
me = call('get_user as root', lambda: result(iam.get_user(), 'get_user')['user'])
check('get_user as root', me and me['arn'] == f'arn:aws:iam::{ACCOUNT}:root', me)

# Groups
call('create_group', lambda: iam.create_group('b2-devs', path='/boto2/'))
call('add_user_to_group', lambda: iam.add_user_to_group('b2-devs', 'b2-ann'))
g = call('get_group', lambda: result(iam.get_group('b2-devs'), 'get_group'))
check('get_group members', g and [x['user_name'] for x in g['users']] == ['b2-ann'], g)
call('update_group', lambda: iam.update_group('b2-devs', new_group_name='b2-eng'))
gs = call('get_groups_for_user', lambda: result(iam.get_groups_for_user('b2-ann'), 'list_groups_for_user')['groups'])
check('renamed group keeps members', gs and [x['group_name'] for x in gs] == ['b2-eng'], gs)

# Inline policies: the documents come back URL-encoded, as AWS's Query API sends them
doc = json.dumps(POLICY)
for kind, put, get, lst, owner in (
        ('user', iam.put_user_policy, iam.get_user_policy, iam.get_all_user_policies, 'b2-ann'),
        ('group', iam.put_group_policy, iam.get_group_policy, iam.get_all_group_policies, 'b2-eng')):
    call(f'put_{kind}_policy', lambda: put(owner, 'inline', doc))
    got = call(f'get_{kind}_policy', lambda: result(get(owner, 'inline'), f'get_{kind}_policy'))
    check(f'get_{kind}_policy document', got and json.loads(unquote(got['policy_document'])) == POLICY, got)
    names = call(f'get_all_{kind}_policies', lambda: result(lst(owner), f'list_{kind}_policies')['policy_names'])
    check(f'get_all_{kind}_policies', names == ['inline'], names)
refused('put_user_policy with a malformed document', lambda: iam.put_user_policy('b2-ann', 'bad', '{"Version":'), 400, 'MalformedPolicyDocument')

# Managed policies and their versions
arn = f'arn:aws:iam::{ACCOUNT}:policy/boto2/b2-managed'
p = call('create_policy', lambda: result(iam.create_policy('b2-managed', doc, path='/boto2/', description='from boto 2'), 'create_policy')['policy'])
check('create_policy', p and p['arn'] == arn and p['default_version_id'] == 'v1', p)
call('create_policy_version', lambda: iam.create_policy_version(arn, doc, set_as_default=True))
vs = call('list_policy_versions', lambda: result(iam.list_policy_versions(arn), 'list_policy_versions')['versions'])
check('list_policy_versions', vs and sorted((v['version_id'], v['is_default_version']) for v in vs) == [('v1', 'false'), ('v2', 'true')], vs)
call('set_default_policy_version', lambda: iam.set_default_policy_version(arn, 'v1'))
call('delete_policy_version', lambda: iam.delete_policy_version(arn, 'v2'))
pv = call('get_policy_version', lambda: result(iam.get_policy_version(arn, 'v1'), 'get_policy_version')['policy_version'])
check('get_policy_version', pv and json.loads(unquote(pv['document'])) == POLICY and pv['is_default_version'] == 'true', pv)
call('attach_user_policy', lambda: iam.attach_user_policy(arn, 'b2-bob'))
call('attach_group_policy', lambda: iam.attach_group_policy(arn, 'b2-eng'))
ents = call('list_entities_for_policy', lambda: result(iam.list_entities_for_policy(arn), 'list_entities_for_policy'))
check('list_entities_for_policy', ents and [x['user_name'] for x in ents['policy_users']] == ['b2-bob']
      and [x['group_name'] for x in ents['policy_groups']] == ['b2-eng'], ents)
local = call('list_policies', lambda: result(iam.list_policies(scope='Local', path_prefix='/boto2/'), 'list_policies')['policies'])
check('list_policies', local and [x['policy_name'] for x in local] == ['b2-managed'] and local[0]['attachment_count'] == '2', local)
refused('delete_policy while attached', lambda: iam.delete_policy(arn), 409, 'DeleteConflict')

# Access keys: the new key works at once
k = call('create_access_key', lambda: result(iam.create_access_key('b2-ann'), 'create_access_key')['access_key'])
check('create_access_key', k and k['access_key_id'].startswith('AKIA') and k['status'] == 'Active' and len(k['secret_access_key']) == 40, k and k['access_key_id'])
ann = iam_as(k['access_key_id'], k['secret_access_key']) if k else None
who = call('get_user with her key', lambda: result(ann.get_user(), 'get_user')['user']) if ann else None
check('get_user with her key', who and who['user_name'] == 'b2-ann', who)
refused('create_user with her key', lambda: ann.create_user('b2-nope'), 403, 'AccessDenied')
call('update_access_key Inactive', lambda: iam.update_access_key(k['access_key_id'], 'Inactive', user_name='b2-ann'))
refused('an inactive key', lambda: ann.get_user(), 403, 'InvalidClientTokenId')
call('update_access_key Active', lambda: iam.update_access_key(k['access_key_id'], 'Active', user_name='b2-ann'))
ks = call('get_all_access_keys', lambda: result(iam.get_all_access_keys('b2-ann'), 'list_access_keys')['access_key_metadata'])
check('get_all_access_keys', ks and [(x['access_key_id'], x['status']) for x in ks] == [(k['access_key_id'], 'Active')], ks)
refused('a wrong secret', lambda: iam_as(k['access_key_id'], 'x' * 40).get_user(), 403, 'SignatureDoesNotMatch')

# Login profile
call('create_login_profile', lambda: iam.create_login_profile('b2-ann', 'Boto-Two-Password-1!'))
lp = call('get_login_profiles', lambda: result(iam.get_login_profiles('b2-ann'), 'get_login_profile')['login_profile'])
check('get_login_profiles', lp and lp['user_name'] == 'b2-ann', lp)
call('update_login_profile', lambda: iam.update_login_profile('b2-ann', 'Boto-Two-Password-2!'))
refused('create_login_profile twice', lambda: iam.create_login_profile('b2-ann', 'Boto-Two-Password-3!'), 409, 'EntityAlreadyExists')
refused('a login profile for a missing user', lambda: iam.get_login_profiles('b2-bob'), 404, 'NoSuchEntity')

# Signing and server certificates
cert, key = certificate()
sc = call('upload_signing_cert', lambda: result(iam.upload_signing_cert(cert, user_name='b2-ann'), 'upload_signing_certificate')['certificate'])
check('upload_signing_cert', sc and sc['status'] == 'Active' and sc['user_name'] == 'b2-ann', sc)
call('update_signing_cert', lambda: iam.update_signing_cert(sc['certificate_id'], 'Inactive', user_name='b2-ann'))
scs = call('get_all_signing_certs', lambda: result(iam.get_all_signing_certs(user_name='b2-ann'), 'list_signing_certificates')['certificates'])
check('get_all_signing_certs', scs and [x['status'] for x in scs] == ['Inactive'], scs)
refused('delete_user with credentials', lambda: iam.delete_user('b2-ann'), 409, 'DeleteConflict')
call('delete_signing_cert', lambda: iam.delete_signing_cert(sc['certificate_id'], user_name='b2-ann'))

# DeleteUser's conflict texts are AWS's as its users recorded them: a user holding one thing each.
ssh_pub = subprocess.run(['sh', '-c', 'd=$(mktemp -d) && ssh-keygen -q -t rsa -b 2048 -N "" -f $d/k && cat $d/k.pub && rm -r $d'],
                         check=True, capture_output=True, text=True).stdout.strip()
call('create_group b2-tmp', lambda: iam.create_group('b2-tmp'))
for holder, give, take, text in (
        ('b2-cert', lambda: iam.upload_signing_cert(cert, user_name='b2-cert'),
         lambda r: iam.delete_signing_cert(result(r, 'upload_signing_certificate')['certificate']['certificate_id'], user_name='b2-cert'),
         'Cannot delete entity, must delete certificates first.'),
        ('b2-ssh', lambda: iam.get_response('UploadSSHPublicKey', {'UserName': 'b2-ssh', 'SSHPublicKeyBody': ssh_pub}),
         lambda r: iam.get_response('DeleteSSHPublicKey', {'UserName': 'b2-ssh', 'SSHPublicKeyId': result(r, 'upload_ssh_public_key')['ssh_public_key']['ssh_public_key_id']}),
         'Cannot delete entity, must remove referenced objects first.'),
        ('b2-git', lambda: iam.get_response('CreateServiceSpecificCredential', {'UserName': 'b2-git', 'ServiceName': 'codecommit.amazonaws.com'}),
         lambda r: iam.get_response('DeleteServiceSpecificCredential', {'UserName': 'b2-git', 'ServiceSpecificCredentialId': result(r, 'create_service_specific_credential')['service_specific_credential']['service_specific_credential_id']}),
         'Cannot delete entity, must remove referenced objects first.'),
        ('b2-member', lambda: iam.add_user_to_group('b2-tmp', 'b2-member'), lambda r: iam.remove_user_from_group('b2-tmp', 'b2-member'),
         'Cannot delete entity, must remove users from group first.')):
    call(f'create_user {holder}', lambda: iam.create_user(holder))
    held = call(f'give {holder}', give)
    refused(f'delete_user {holder}', lambda: iam.delete_user(holder), 409, 'DeleteConflict', text)
    call(f'take from {holder}', lambda: take(held))
    call(f'delete_user {holder}', lambda: iam.delete_user(holder))
call('delete_group b2-tmp', lambda: iam.delete_group('b2-tmp'))
call('upload_server_cert', lambda: iam.upload_server_cert('b2-web', cert, key, path='/boto2/'))
srv = call('get_server_certificate', lambda: result(iam.get_server_certificate('b2-web'), 'get_server_certificate')['server_certificate'])
check('get_server_certificate', srv and srv['certificate_body'].strip() == cert.strip()
      and srv['server_certificate_metadata']['arn'] == f'arn:aws:iam::{ACCOUNT}:server-certificate/boto2/b2-web', srv and srv['server_certificate_metadata'])
call('update_server_cert', lambda: iam.update_server_cert('b2-web', new_cert_name='b2-www'))
lst = call('list_server_certs', lambda: result(iam.list_server_certs(path_prefix='/boto2/'), 'list_server_certificates')['server_certificate_metadata_list'])
check('list_server_certs', lst and [x['server_certificate_name'] for x in lst] == ['b2-www'], lst)
refused('upload_server_cert with a key of another certificate', lambda: iam.upload_server_cert('b2-bad', cert, certificate()[1]), 400, 'KeyPairMismatch')
call('delete_server_cert', lambda: iam.delete_server_cert('b2-www'))

# Virtual MFA: enabled with two consecutive codes, resynced, deactivated
dev = call('create_virtual_mfa_device', lambda: result(iam.create_virtual_mfa_device('/', 'b2-ann'), 'create_virtual_mfa_device')['virtual_mfa_device'])
serial = f'arn:aws:iam::{ACCOUNT}:mfa/b2-ann'
if dev:
    check('create_virtual_mfa_device', dev['serial_number'] == serial, dev['serial_number'])
    seed = base64.b32decode(base64.b64decode(dev['base_32_string_seed']))   # a blob: base64 of the Base32 text
    step = int(time.time()) // 30
    call('enable_mfa_device', lambda: iam.enable_mfa_device('b2-ann', serial, totp(seed, step - 1), totp(seed, step)))
    mfa = call('get_all_mfa_devices', lambda: result(iam.get_all_mfa_devices('b2-ann'), 'list_mfa_devices')['mfa_devices'])
    check('get_all_mfa_devices', mfa and [x['serial_number'] for x in mfa] == [serial], mfa)
    refused('resync_mfa_device with wrong codes', lambda: iam.resync_mfa_device('b2-ann', serial, '000000', '000000'), 403, 'InvalidAuthenticationCode')
    call('deactivate_mfa_device', lambda: iam.deactivate_mfa_device('b2-ann', serial))
    # boto 2 has no DeleteVirtualMFADevice: its generic get_response sends any action.
    call('DeleteVirtualMFADevice', lambda: iam.get_response('DeleteVirtualMFADevice', {'SerialNumber': serial}))

# Roles and instance profiles
call('create_role', lambda: iam.create_role('b2-app', assume_role_policy_document=json.dumps(TRUST), path='/boto2/'))
role = call('get_role', lambda: result(iam.get_role('b2-app'), 'get_role')['role'])
check('get_role trust policy', role and json.loads(unquote(role['assume_role_policy_document'])) == TRUST, role)
call('put_role_policy', lambda: iam.put_role_policy('b2-app', 'inline', doc))
check('list_role_policies', (call('list_role_policies', lambda: result(iam.list_role_policies('b2-app'), 'list_role_policies')) or {}).get('policy_names') == ['inline'])
call('update_assume_role_policy', lambda: iam.update_assume_role_policy('b2-app', json.dumps(TRUST)))
call('create_instance_profile', lambda: iam.create_instance_profile('b2-ip', path='/boto2/'))
call('add_role_to_instance_profile', lambda: iam.add_role_to_instance_profile('b2-ip', 'b2-app'))
ips = call('list_instance_profiles_for_role', lambda: result(iam.list_instance_profiles_for_role('b2-app'), 'list_instance_profiles_for_role')['instance_profiles'])
check('list_instance_profiles_for_role', ips and ips[0]['instance_profile_name'] == 'b2-ip' and ips[0]['roles']['member']['role_name'] == 'b2-app', ips)
allip = call('list_instance_profiles', lambda: result(iam.list_instance_profiles(path_prefix='/boto2/'), 'list_instance_profiles')['instance_profiles'])
check('list_instance_profiles', allip and [x['instance_profile_name'] for x in allip] == ['b2-ip'], allip)
refused('delete_role in an instance profile', lambda: iam.delete_role('b2-app'), 409, 'DeleteConflict')

# SAML provider
entity = 'https://idp.boto2.example.com/saml'
b64 = ''.join(cert.strip().splitlines()[1:-1])
metadata = (f'<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity}"><IDPSSODescriptor '
            f'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo '
            f'xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>{b64}</X509Certificate></X509Data></KeyInfo>'
            f'</KeyDescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
            f'Location="https://idp.boto2.example.com/sso"/></IDPSSODescriptor></EntityDescriptor>')
sp = call('create_saml_provider', lambda: result(iam.create_saml_provider(metadata, 'b2-idp'), 'create_saml_provider'))
sp_arn = f'arn:aws:iam::{ACCOUNT}:saml-provider/b2-idp'
check('create_saml_provider', sp and sp['saml_provider_arn'] == sp_arn, sp)
got = call('get_saml_provider', lambda: result(iam.get_saml_provider(sp_arn), 'get_saml_provider'))
check('get_saml_provider', got and entity in got['saml_metadata_document'], got and got.keys())
call('update_saml_provider', lambda: iam.update_saml_provider(sp_arn, metadata))
sps = call('list_saml_providers', lambda: result(iam.list_saml_providers(), 'list_saml_providers')['saml_provider_list'])
check('list_saml_providers', sps and sp_arn in [x['arn'] for x in sps], sps)
call('delete_saml_provider', lambda: iam.delete_saml_provider(sp_arn))

# Account: alias, password policy, summary, credential report
call('create_account_alias', lambda: iam.create_account_alias('boto-two'))
aliases = call('get_account_alias', lambda: result(iam.get_account_alias(), 'list_account_aliases')['account_aliases'])
check('get_account_alias', aliases == ['boto-two'], aliases)
refused('get_account_password_policy without one', lambda: iam.get_account_password_policy(), 404, 'NoSuchEntity')
# boto 2 sends RequireNumbers (and the other Require… flags) only when allow_users_to_change_password is a bool.
call('update_account_password_policy', lambda: iam.update_account_password_policy(allow_users_to_change_password=True, minimum_password_length=14, require_numbers=True))
pp = call('get_account_password_policy', lambda: result(iam.get_account_password_policy(), 'get_account_password_policy')['password_policy'])
check('get_account_password_policy', pp and pp['minimum_password_length'] == '14' and pp['require_numbers'] == 'true', pp)
refused('a password shorter than the policy', lambda: iam.update_login_profile('b2-ann', 'Short-1!'), 400, 'PasswordPolicyViolation')
summary = call('get_account_summary', lambda: iam.get_account_summary())
check('get_account_summary', summary and summary['Users'] == 3 and summary['Groups'] == 1 and summary['AccountAccessKeysPresent'] == 1, summary)
for _ in range(50):
    state = call('generate_credential_report', lambda: result(iam.generate_credential_report(), 'generate_credential_report')['state'])
    if state != 'STARTED': break
    time.sleep(0.2)
check('generate_credential_report', state == 'COMPLETE', state)
report = call('get_credential_report', lambda: result(iam.get_credential_report(), 'get_credential_report'))
csv = base64.b64decode(report['content']).decode() if report else ''
check('get_credential_report', csv.startswith('user,arn,user_creation_time,password_enabled,') and '\nb2-ann,' in csv and report['report_format'] == 'text/csv', csv[:80])

# STS: GetSessionToken, AssumeRole, GetFederationToken
sts = sts_as(*ROOT)
st = call('get_session_token (root)', lambda: sts.get_session_token(duration=900))
check('get_session_token (root)', st and st.access_key.startswith('ASIA') and st.session_token and st.expiration, st and st.access_key)
refused('assume_role as root', lambda: sts.assume_role(f'arn:aws:iam::{ACCOUNT}:role/boto2/b2-app', 'root'), 403, 'AccessDenied')
ann_sts = sts_as(k['access_key_id'], k['secret_access_key'])
ar = call('assume_role', lambda: ann_sts.assume_role(f'arn:aws:iam::{ACCOUNT}:role/boto2/b2-app', 'b2-session', duration_seconds=900))
if ar:
    check('assume_role answer', ar.credentials.access_key.startswith('ASIA') and ar.user.arn == f'arn:aws:sts::{ACCOUNT}:assumed-role/b2-app/b2-session'
          and ar.user.assume_role_id.endswith(':b2-session'), ar.user.arn)
    rs = iam_as(ar.credentials.access_key, ar.credentials.secret_key, ar.credentials.session_token)
    users = call('get_all_users as the role', lambda: result(rs.get_all_users(path_prefix='/boto2/'), 'list_users')['users'])
    check('get_all_users as the role', users and len(users) == 3, users)
    refused('create_user as the role', lambda: rs.create_user('b2-nope'), 403, 'AccessDenied')
refused('assume_role with a bad session name', lambda: ann_sts.assume_role(f'arn:aws:iam::{ACCOUNT}:role/boto2/b2-app', 'bad name'), 400, 'ValidationError')
refused('assume_role of a missing role', lambda: ann_sts.assume_role(f'arn:aws:iam::{ACCOUNT}:role/nope', 'x1'), 403, 'AccessDenied')
ust = call('get_session_token (user)', lambda: ann_sts.get_session_token(duration=900))
if ust:
    refused('IAM with a GetSessionToken session without MFA', lambda: iam_as(ust.access_key, ust.secret_key, ust.session_token).get_user(), 403, 'InvalidClientTokenId')
    refused('get_session_token from a session', lambda: sts_as(ust.access_key, ust.secret_key, ust.session_token).get_session_token(), 403, 'AccessDenied')
ft = call('get_federation_token', lambda: ann_sts.get_federation_token('b2-fed', duration=900, policy=json.dumps(POLICY)))
check('get_federation_token', ft and ft.credentials.access_key.startswith('ASIA') and ft.federated_user_arn == f'arn:aws:sts::{ACCOUNT}:federated-user/b2-fed', ft and ft.federated_user_arn)

# Clean up: DeleteConflict until each dependency is gone, then nothing left
for name, fn in (
        ('remove_role_from_instance_profile', lambda: iam.remove_role_from_instance_profile('b2-ip', 'b2-app')),
        ('delete_instance_profile', lambda: iam.delete_instance_profile('b2-ip')),
        ('delete_role_policy', lambda: iam.delete_role_policy('b2-app', 'inline')),
        ('delete_role', lambda: iam.delete_role('b2-app')),
        ('detach_user_policy', lambda: iam.detach_user_policy(arn, 'b2-bob')),
        ('detach_group_policy', lambda: iam.detach_group_policy(arn, 'b2-eng')),
        ('delete_policy', lambda: iam.delete_policy(arn)),
        ('delete_user_policy', lambda: iam.delete_user_policy('b2-ann', 'inline')),
        ('delete_group_policy', lambda: iam.delete_group_policy('b2-eng', 'inline')),
        ('remove_user_from_group', lambda: iam.remove_user_from_group('b2-eng', 'b2-ann')),
        ('delete_group', lambda: iam.delete_group('b2-eng')),
        ('delete_access_key', lambda: iam.delete_access_key(k['access_key_id'], 'b2-ann')),
        ('delete_login_profile', lambda: iam.delete_login_profile('b2-ann')),
        ('delete_account_alias', lambda: iam.delete_account_alias('boto-two')),
        ('delete_account_password_policy', lambda: iam.delete_account_password_policy())):
    call(name, fn)
for name in ('b2-ann', 'b2-bob', 'b2-cyd'):
    call(f'delete_user {name}', lambda: iam.delete_user(name))
left = call('get_account_summary at the end', lambda: iam.get_account_summary())
check('nothing left', left and (left['Users'], left['Groups'], left['Policies'], left['InstanceProfiles'], left['ServerCertificates'], left['MFADevices'], left['Providers']) == (0, 0, 0, 0, 0, 0, 0), left)
print_report()
