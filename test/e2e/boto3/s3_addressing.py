"""boto3 against the S3 example (run by authorizer-s3-virtual-host.test.ts): one round of bucket and
object calls with the addressing style S3_ADDRESSING_STYLE (auto: boto3's default, path style at a
custom endpoint; virtual: Host BUCKET.endpoint), reaching BUCKET.s3.localhost through the forward
proxy at S3_PROXY (the test's resolver need not resolve *.localhost). Prints one JSON object: each
call's result, or its error code and message.
"""
import json, os
import boto3
from botocore.config import Config

client = boto3.client(
    's3',
    endpoint_url=os.environ['S3_ENDPOINT'],
    region_name='us-east-1',
    config=Config(s3={'addressing_style': os.environ['S3_ADDRESSING_STYLE']}, proxies={'http': os.environ['S3_PROXY']}, retries={'max_attempts': 1}),
)
bucket = os.environ['S3_BUCKET']
out = {}

def call(name, fn):
    try:
        out[name] = fn()
    except client.exceptions.ClientError as e:
        out[name] = {'error': e.response['Error']['Code'], 'message': e.response['Error'].get('Message', '')}

call('create_bucket', lambda: client.create_bucket(Bucket=bucket)['ResponseMetadata']['HTTPStatusCode'])
call('put_object', lambda: client.put_object(Bucket=bucket, Key='dir/a b.txt', Body=b'from boto3')['ETag'])
call('list_objects_v2', lambda: [o['Key'] for o in client.list_objects_v2(Bucket=bucket).get('Contents', [])])
call('get_object', lambda: client.get_object(Bucket=bucket, Key='dir/a b.txt')['Body'].read().decode())
call('head_bucket', lambda: client.head_bucket(Bucket=bucket)['ResponseMetadata']['HTTPStatusCode'])
call('list_buckets', lambda: [b['Name'] for b in client.list_buckets()['Buckets']])
call('delete_object', lambda: client.delete_object(Bucket=bucket, Key='dir/a b.txt')['ResponseMetadata']['HTTPStatusCode'])
call('delete_bucket', lambda: client.delete_bucket(Bucket=bucket)['ResponseMetadata']['HTTPStatusCode'])
print(json.dumps(out))
