"""What both boto 2 scripts count with: each check, a call expected to succeed, a call expected to be
refused with an HTTP status and error code (and, when given, AWS's message), and the one JSON line
{"checks": N, "failures": [...]} compat-boto2.test.ts reads."""
import json
from boto.exception import BotoServerError

failures, checks = [], [0]

def check(name, ok, detail=''):
    checks[0] += 1
    if not ok: failures.append(f'{name}: {detail}')

def call(name, fn):
    try:
        return fn()
    except Exception as e:  # a refusal where success was expected, or a client that cannot parse the answer
        failures.append(f'{name}: {type(e).__name__} {getattr(e, "error_code", "")} {str(e)[:300]}')
        checks[0] += 1
        return None

def refused(name, fn, status, code, message=None):
    checks[0] += 1
    try:
        fn()
        failures.append(f'{name}: no error')
    except BotoServerError as e:
        if (e.status, e.error_code) != (status, code) or (message is not None and e.message != message):
            failures.append(f'{name}: {e.status} {e.error_code} {e.message}')

def print_report():
    print(json.dumps({'checks': checks[0], 'failures': failures}))
