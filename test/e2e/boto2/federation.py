"""boto 2's anonymous STS calls against Castellan (run by compat-boto2.test.ts): AssumeRoleWithWebIdentity
with an OpenID Connect token and AssumeRoleWithSAML with a signed SAML response, both unsigned POSTs
built by boto 2's `sts-anon` handler, then a call with each session's credentials, and the refusal
of a token and an assertion that do not verify. Prints one JSON object {"checks": N, "failures": [...]}.
"""
import json, os
from urllib.parse import urlparse
from boto.exception import BotoServerError
from checks import call, check, print_report, refused
from boto.iam.connection import IAMConnection
from boto.regioninfo import RegionInfo
from boto.sts import STSConnection

URL, ACCOUNT, E = os.environ['CASTELLAN_URL'], os.environ['CASTELLAN_ACCOUNT_ID'], os.environ
HOST, PORT = urlparse(URL).hostname, urlparse(URL).port

def session_user(creds):
    iam = IAMConnection(creds.access_key, creds.secret_key, security_token=creds.session_token, host=HOST, port=PORT, is_secure=False)
    iam.auth_service_name, iam.auth_region_name = 'iam', 'us-east-1'
    return iam.list_roles()['list_roles_response']['list_roles_result']['roles']

# No credentials at all: boto 2 sends these through its unsigned handler.
anon = STSConnection(anon=True, region=RegionInfo(name='us-east-1', endpoint=HOST), port=PORT, is_secure=False)

web = call('assume_role_with_web_identity', lambda: anon.assume_role_with_web_identity(E['WEB_ROLE_ARN'], 'boto2-web', E['WEB_TOKEN'], duration_seconds=900))
if web:
    check('assume_role_with_web_identity', web.credentials.access_key.startswith('ASIA') and web.user.arn == f'arn:aws:sts::{ACCOUNT}:assumed-role/boto2-web/boto2-web', web.user.arn)
    roles = call('a call as the web identity session', lambda: session_user(web.credentials))
    check('a call as the web identity session', roles is not None and len(roles) == 2, roles)
refused('a web identity token signed by another key', lambda: anon.assume_role_with_web_identity(E['WEB_ROLE_ARN'], 'boto2-web', E['WEB_TOKEN_FOREIGN']), 400, 'InvalidIdentityToken')

saml = call('assume_role_with_saml', lambda: anon.assume_role_with_saml(E['SAML_ROLE_ARN'], E['SAML_PROVIDER_ARN'], E['SAML_RESPONSE'], duration_seconds=900))
if saml:
    check('assume_role_with_saml', saml.credentials.access_key.startswith('ASIA') and saml.user.arn.startswith(f'arn:aws:sts::{ACCOUNT}:assumed-role/boto2-saml/'), saml.user.arn)
    roles = call('a call as the SAML session', lambda: session_user(saml.credentials))
    check('a call as the SAML session', roles is not None and len(roles) == 2, roles)
refused('a SAML response signed by another key', lambda: anon.assume_role_with_saml(E['SAML_ROLE_ARN'], E['SAML_PROVIDER_ARN'], E['SAML_RESPONSE_FOREIGN']), 400, 'InvalidIdentityToken')
print_report()
